package org.jguix.wire;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string: wire strings whose contents are arbitrary bytes rather than text
 * (AddTextToStore contents, build output in {@code STDERR_NEXT}, export data in
 * {@code STDERR_WRITE}).
 */
public final class ByteString {
  /** The empty string. */
  public static final ByteString EMPTY = new ByteString(new byte[0]);

  private final byte[] bytes;

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static ByteString of(byte[] bytes) {
    return new ByteString(bytes.clone());
  }

  /** A copy of {@code len} bytes of {@code bytes} from {@code off}. */
  public static ByteString of(byte[] bytes, int off, int len) {
    return new ByteString(Arrays.copyOfRange(bytes, off, off + len));
  }

  /** The UTF-8 encoding of {@code text}. */
  public static ByteString utf8(String text) {
    return new ByteString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Takes ownership of {@code bytes}: the caller must not modify them afterwards. */
  static ByteString wrap(byte[] bytes) {
    return new ByteString(bytes);
  }

  public int length() {
    return bytes.length;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Reads the bytes without copying them. */
  public InputStream newInputStream() {
    return new ByteArrayInputStream(bytes);
  }

  /** The bytes decoded as UTF-8, malformed sequences replaced (for display, as the client does). */
  public String toStringUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  byte[] array() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteString other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return bytes.length <= 64
        ? "ByteString[" + HexFormat.of().formatHex(bytes) + "]"
        : "ByteString[" + bytes.length + " bytes]";
  }
}
