package org.jguix.wire;

/** Input that is complete but not a valid worker-protocol item (corruption, limit, unknown op). */
public final class WireFormatException extends WireException {
  private static final long serialVersionUID = 1L;

  /**
   * @param what the field being decoded
   * @param offset byte offset of the offending item
   * @param value the offending value as text
   * @param daemonText guix-daemon's message for this condition
   * @param detail what was expected, e.g. {@code "length 9 (expected ≤ 8)"}
   */
  public WireFormatException(String what, long offset, String value, String daemonText,
      String detail) {
    super(what, offset, value, daemonText, detail);
  }
}
