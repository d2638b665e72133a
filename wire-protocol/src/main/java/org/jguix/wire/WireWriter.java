package org.jguix.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Writes worker-protocol primitives ({@code nix/libutil/serialise.cc}) to an
 * {@link OutputStream}. No buffering of its own and no implicit flush: the session decides when
 * bytes must reach the peer (after a handshake greeting, a stderr frame, a reply) and calls
 * {@link #flush()}.
 */
public final class WireWriter {
  private static final byte[] ZEROS = new byte[8];

  private final OutputStream out;
  private final byte[] scratch = new byte[8];

  public WireWriter(OutputStream out) {
    this.out = out;
  }

  /** A {@code u64}, little-endian. */
  public void writeU64(long v) throws IOException {
    for (int i = 0; i < 8; i++) {
      scratch[i] = (byte) (v >>> (8 * i));
    }
    out.write(scratch, 0, 8);
  }

  /** An {@code int}: the 32 bits of {@code v} (unsigned) then four zero bytes. */
  public void writeInt(int v) throws IOException {
    writeU64(Integer.toUnsignedLong(v));
  }

  /** A boolean as {@code int} 1 or 0. */
  public void writeBool(boolean v) throws IOException {
    writeInt(v ? 1 : 0);
  }

  /** A byte string: length, bytes, zero padding to a multiple of 8. */
  public void writeBytes(byte[] data, int off, int len) throws IOException {
    writeInt(len);
    out.write(data, off, len);
    writePadding(len);
  }

  public void writeBytes(ByteString data) throws IOException {
    writeBytes(data.array(), 0, data.length());
  }

  /** A string as its UTF-8 bytes. */
  public void writeString(String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeBytes(b, 0, b.length);
  }

  /** A count then the strings, in iteration order (sort sets before calling). */
  public void writeStrings(Collection<String> strings) throws IOException {
    writeInt(strings.size());
    for (String s : strings) {
      writeString(s);
    }
  }

  /** A count then the (key, value) pairs. */
  public void writeStringPairs(Collection<StringPair> pairs) throws IOException {
    writeInt(pairs.size());
    for (StringPair p : pairs) {
      writeString(p.key());
      writeString(p.value());
    }
  }

  /** The zero padding that follows a {@code len}-byte string. */
  public void writePadding(long len) throws IOException {
    int pad = (int) ((8 - (len % 8)) % 8);
    out.write(ZEROS, 0, pad);
  }

  /** Raw bytes, unframed (a NAR after an AddToStore header). */
  public void writeRaw(byte[] data, int off, int len) throws IOException {
    out.write(data, off, len);
  }

  /** Flushes the underlying stream. */
  public void flush() throws IOException {
    out.flush();
  }
}
