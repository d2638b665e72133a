package org.jguix.wire.internal;

/**
 * The client-visible texts of guix-daemon 1.5.0 for wire-level errors, in one place. Each is
 * what {@code nix/libutil/serialise.cc} or {@code nix/nix-daemon/nix-daemon.cc} throws; the
 * daemon sends it verbatim in the {@code STDERR_ERROR} frame. Tests compare these with the
 * real daemon's frames in {@code fixtures/wire}.
 */
public final class WireTexts {
  /** {@code serialise.cc:readInt}: bytes 4–7 of an {@code int} are not all zero. */
  public static final String INT_TOO_LARGE = "implementation cannot deal with > 32-bit integers";
  /** {@code serialise.cc:readPadding}. */
  public static final String NON_ZERO_PADDING = "non-zero padding";
  /** {@code serialise.cc:FdSource::readUnbuffered} (EndOfFile), also {@code TunnelSource}. */
  public static final String UNEXPECTED_EOF = "unexpected end-of-file";
  /** {@code serialise.cc:readString(buf, max)}; also used for our own length limits. */
  public static final String STRING_TOO_LONG = "string is too long";
  /** {@code nix-daemon.cc:processConnection}: first int is not WORKER_MAGIC_1. */
  public static final String PROTOCOL_MISMATCH = "protocol mismatch";
  /**
   * No daemon text: guix-daemon accepts any bytes in strings; jguix decodes strings as UTF-8
   * and refuses malformed ones.
   */
  public static final String INVALID_UTF8 = "string is not valid UTF-8";
  /**
   * No daemon text: the daemon never writes anything but 0 or 1 where the client reads a
   * boolean; used by our reply decoder only.
   */
  public static final String BAD_BOOLEAN = "invalid boolean";
  /** No daemon text: an unknown stderr frame code (the client says "invalid error code"). */
  public static final String BAD_STDERR_CODE = "invalid error code";

  private WireTexts() {}

  /** {@code nix-daemon.cc:performOp} default case. */
  public static String invalidOperation(long opcode) {
    return "invalid operation " + opcode;
  }
}
