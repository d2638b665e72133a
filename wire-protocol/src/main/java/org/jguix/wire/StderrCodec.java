package org.jguix.wire;

import java.io.IOException;
import org.jguix.wire.internal.WireTexts;

/**
 * Encodes and decodes {@link StderrFrame}s:
 *
 * <pre>
 *   NEXT   int 0x6f6c6d67  string text
 *   READ   int 0x64617461  int maxLength          (the client answers with one string)
 *   WRITE  int 0x64617416  string data
 *   LAST   int 0x616c7473
 *   ERROR  int 0x63787470  string message  [client minor ≥ 8] int status
 * </pre>
 *
 * The daemon writes these ({@code nix-daemon.cc:tunnelStderr, stopWork, TunnelSink,
 * TunnelSource}); decoding is for tests and clients. Nothing here flushes: the daemon flushes
 * after each NEXT, before waiting for a READ answer, and after each operation.
 */
public final class StderrCodec {
  public static final int STDERR_NEXT = 0x6f6c6d67;
  public static final int STDERR_READ = 0x64617461;
  public static final int STDERR_WRITE = 0x64617416;
  public static final int STDERR_LAST = 0x616c7473;
  public static final int STDERR_ERROR = 0x63787470;

  private StderrCodec() {}

  public static void write(WireWriter out, StderrFrame frame, ProtocolVersion client)
      throws IOException {
    switch (frame) {
      case StderrFrame.Next n -> {
        out.writeInt(STDERR_NEXT);
        out.writeBytes(n.text());
      }
      case StderrFrame.Read r -> writeRead(out, r.maxLength());
      case StderrFrame.Write w -> {
        out.writeInt(STDERR_WRITE);
        out.writeBytes(w.data());
      }
      case StderrFrame.Last l -> writeLast(out);
      case StderrFrame.Error e -> writeError(out, e.message(), e.status(), client);
    }
  }

  /** NEXT with raw bytes (build output), without copying them. */
  public static void writeNext(WireWriter out, byte[] text, int off, int len) throws IOException {
    out.writeInt(STDERR_NEXT);
    out.writeBytes(text, off, len);
  }

  /** WRITE with raw bytes, without copying them. */
  public static void writeWrite(WireWriter out, byte[] data, int off, int len) throws IOException {
    out.writeInt(STDERR_WRITE);
    out.writeBytes(data, off, len);
  }

  public static void writeRead(WireWriter out, int maxLength) throws IOException {
    out.writeInt(STDERR_READ);
    out.writeInt(maxLength);
  }

  public static void writeLast(WireWriter out) throws IOException {
    out.writeInt(STDERR_LAST);
  }

  /** ERROR: the message, then the status iff the client's minor is ≥ 8. */
  public static void writeError(WireWriter out, String message, int status,
      ProtocolVersion client) throws IOException {
    out.writeInt(STDERR_ERROR);
    out.writeString(message);
    if (client.atLeast(8)) {
      out.writeInt(status);
    }
  }

  /**
   * Reads one frame. Message text is decoded permissively (malformed UTF-8 replaced), as the
   * Guix client does with {@code read-maybe-utf8-string}.
   */
  public static StderrFrame read(WireReader in, ProtocolVersion client) throws IOException {
    long at = in.offset();
    int code = in.readInt("stderr.code");
    return switch (code) {
      case STDERR_NEXT -> new StderrFrame.Next(in.readBytes("stderr.next"));
      case STDERR_READ -> new StderrFrame.Read(in.readInt("stderr.read"));
      case STDERR_WRITE -> new StderrFrame.Write(in.readBytes("stderr.write"));
      case STDERR_LAST -> new StderrFrame.Last();
      case STDERR_ERROR -> {
        String message = in.readBytes("stderr.error.message").toStringUtf8();
        int status = client.atLeast(8) ? in.readInt("stderr.error.status") : 1;
        yield new StderrFrame.Error(message, status);
      }
      default -> throw new WireFormatException("stderr.code", at,
          "0x" + Integer.toHexString(code), WireTexts.BAD_STDERR_CODE,
          "frame code 0x" + Integer.toHexString(code) + " (expected a STDERR_* code)");
    };
  }
}
