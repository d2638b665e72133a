package org.jguix.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;

/** Test support: literal bytes, slow streams, encode helpers. */
final class Bytes {
  private Bytes() {}

  /** Bytes from hex, spaces and newlines ignored. */
  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  /** Hex of the bytes. */
  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A stream that hands out one byte per read call, like a slow socket. */
  static InputStream oneByteAtATime(byte[] data) {
    return new InputStream() {
      private int pos;

      @Override
      public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) {
          return 0;
        }
        if (pos >= data.length) {
          return -1;
        }
        b[off] = data[pos++];
        return 1;
      }
    };
  }

  static WireReader reader(byte[] data) {
    return new WireReader(new ByteArrayInputStream(data));
  }

  /** Something that writes to a {@link WireWriter}. */
  interface Encoding {
    void write(WireWriter out) throws IOException;
  }

  static byte[] encode(Encoding e) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    e.write(new WireWriter(bytes));
    return bytes.toByteArray();
  }
}
