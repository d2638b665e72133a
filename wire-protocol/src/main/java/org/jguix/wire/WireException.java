package org.jguix.wire;

import java.io.IOException;

/**
 * Malformed or truncated worker-protocol input. Says what was being read, where (byte offset
 * from the start of the stream the {@link WireReader} was given) and the offending value, and
 * carries separately the text the real guix-daemon puts in its {@code STDERR_ERROR} frame for
 * the same condition ({@link #daemonText()}), so a session can answer byte-identically.
 *
 * <p>After one of these a {@link WireReader} is positioned mid-item and must not be used again.
 */
public abstract sealed class WireException extends IOException
    permits WireFormatException, WireEofException {
  private static final long serialVersionUID = 1L;

  private final String what;
  private final long offset;
  private final String value;
  private final String daemonText;

  WireException(String what, long offset, String value, String daemonText, String detail) {
    super(what + " at byte " + offset + ": " + detail);
    this.what = what;
    this.offset = offset;
    this.value = value;
    this.daemonText = daemonText;
  }

  /** The field or item being decoded, e.g. {@code "QueryPathInfo.path"}. */
  public String what() {
    return what;
  }

  /** Byte offset at which the offending item starts (or where the input ended). */
  public long offset() {
    return offset;
  }

  /** The offending value as text, or {@code ""} when there is none (end of input). */
  public String value() {
    return value;
  }

  /** The message guix-daemon 1.5.0 sends to the client for this condition (verbatim). */
  public String daemonText() {
    return daemonText;
  }
}
