package org.jguix.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.jguix.wire.internal.WireTexts;

/**
 * Reads worker-protocol primitives ({@code nix/libutil/serialise.cc}) from an
 * {@link InputStream}, counting bytes for error offsets. It reads exactly the bytes of each
 * item and never ahead (no buffering of its own: wrap a socket stream in a
 * {@link java.io.BufferedInputStream} if you want one), so a NAR or tunnelled data that follows
 * a request can be read from {@link #rawStream()}.
 *
 * <p>Every read takes the name of the field being read, for error messages. Errors are
 * {@link WireEofException} (input ended inside an item) or {@link WireFormatException}; after
 * either the reader is mid-item and useless.
 */
public final class WireReader {
  private final InputStream in;
  private final WireLimits limits;
  private final byte[] scratch = new byte[8];
  private long offset;

  /** A reader with {@link WireLimits#DEFAULTS}. */
  public WireReader(InputStream in) {
    this(in, WireLimits.DEFAULTS);
  }

  public WireReader(InputStream in, WireLimits limits) {
    this.in = in;
    this.limits = limits;
  }

  /** Bytes consumed so far. */
  public long offset() {
    return offset;
  }

  public WireLimits limits() {
    return limits;
  }

  /** A {@code u64}, little-endian, as a (possibly negative, i.e. ≥ 2^63) long. */
  public long readU64(String field) throws IOException {
    readFully(field, scratch, 0, 8);
    return ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /**
   * An {@code int}: 8 bytes whose upper 4 must be zero ({@code readInt}). The 32-bit result is
   * unsigned on the wire; use {@link Integer#toUnsignedLong} where that matters.
   */
  public int readInt(String field) throws IOException {
    long at = offset;
    long v = readU64(field);
    return checkInt(field, at, v);
  }

  /**
   * An {@code int} that may be absent because the input ended cleanly before its first byte
   * (how the daemon's connection loop reads an opcode). Ending inside it is an error.
   */
  public OptionalInt readIntOrEnd(String field) throws IOException {
    long at = offset;
    int first = in.read();
    if (first < 0) {
      return OptionalInt.empty();
    }
    offset++;
    scratch[0] = (byte) first;
    readFully(field, scratch, 1, 7);
    long v = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return OptionalInt.of(checkInt(field, at, v));
  }

  /** An {@code int} read as a boolean the way most daemon fields are: {@code != 0}. */
  public boolean readBoolNonZero(String field) throws IOException {
    return readInt(field) != 0;
  }

  /** An {@code int} read as a boolean the way a few daemon fields are: {@code == 1}. */
  public boolean readBoolIsOne(String field) throws IOException {
    return readInt(field) == 1;
  }

  /** An {@code int} the writer only ever sets to 0 or 1; anything else is refused. */
  public boolean readStrictBool(String field) throws IOException {
    long at = offset;
    int v = readInt(field);
    if (v != 0 && v != 1) {
      throw new WireFormatException(field, at, Integer.toUnsignedString(v),
          WireTexts.BAD_BOOLEAN, "value " + Integer.toUnsignedString(v) + " (expected 0 or 1)");
    }
    return v == 1;
  }

  /** A length-prefixed, zero-padded byte string, at most {@code maxStringLength} long. */
  public ByteString readBytes(String field) throws IOException {
    int len = readLength(field, limits.maxStringLength());
    byte[] data = in.readNBytes(len);
    if (data.length < len) {
      offset += data.length;
      throw new WireEofException(field, offset, len - data.length);
    }
    offset += len;
    readPadding(field, len);
    return ByteString.wrap(data);
  }

  /** A byte string decoded as UTF-8; malformed UTF-8 is refused. */
  public String readString(String field) throws IOException {
    long at = offset;
    ByteString bytes = readBytes(field);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.array()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WireFormatException(field, at, bytes.toString(), WireTexts.INVALID_UTF8,
          "string is not valid UTF-8");
    }
  }

  /** A count followed by that many strings, in wire order (duplicates kept). */
  public List<String> readStrings(String field) throws IOException {
    int n = readLength(field, limits.maxListLength());
    List<String> out = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      out.add(readString(field));
    }
    return Collections.unmodifiableList(out);
  }

  /** A count followed by that many (key, value) string pairs, in wire order. */
  public List<StringPair> readStringPairs(String field) throws IOException {
    int n = readLength(field, limits.maxListLength());
    List<StringPair> out = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      out.add(new StringPair(readString(field), readString(field)));
    }
    return Collections.unmodifiableList(out);
  }

  /** An {@code int} length or count, refused if above {@code max}. */
  public int readLength(String field, int max) throws IOException {
    long at = offset;
    long n = Integer.toUnsignedLong(readInt(field));
    if (n > max) {
      throw new WireFormatException(field, at, Long.toString(n), WireTexts.STRING_TOO_LONG,
          "length " + n + " (expected ≤ " + max + ")");
    }
    return (int) n;
  }

  /** Consumes and checks the zero padding after a {@code len}-byte string. */
  public void readPadding(String field, long len) throws IOException {
    int pad = (int) ((8 - (len % 8)) % 8);
    if (pad == 0) {
      return;
    }
    long at = offset;
    readFully(field, scratch, 0, pad);
    for (int i = 0; i < pad; i++) {
      if (scratch[i] != 0) {
        throw new WireFormatException(field, at,
            HexFormat.of().formatHex(scratch, 0, pad), WireTexts.NON_ZERO_PADDING,
            "padding " + HexFormat.of().formatHex(scratch, 0, pad) + " (expected zeros)");
      }
    }
  }

  /**
   * Reads exactly {@code len} bytes into {@code buf}; ending early is a
   * {@link WireEofException}.
   */
  public void readFully(String field, byte[] buf, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(buf, off + done, len - done);
      if (n < 0) {
        offset += done;
        throw new WireEofException(field, offset, len - done);
      }
      done += n;
    }
    offset += len;
  }

  /**
   * The underlying stream as seen from the current position, counting what is read through it
   * into {@link #offset()}. For data that follows a request unframed (AddToStore's NAR).
   */
  public InputStream rawStream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          offset++;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          offset += n;
        }
        return n;
      }
    };
  }

  private static int checkInt(String field, long at, long v) throws WireFormatException {
    if ((v >>> 32) != 0) {
      throw new WireFormatException(field, at, "0x" + Long.toHexString(v),
          WireTexts.INT_TOO_LARGE, "value 0x" + Long.toHexString(v) + " (expected < 2^32)");
    }
    return (int) v;
  }
}
