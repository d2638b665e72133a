package org.jguix.wire;

import org.jguix.wire.internal.WireTexts;

/**
 * The input ended inside an item. A clean end of input between two requests is not an error
 * and is reported by {@link Operations#readRequest} as an empty result instead.
 */
public final class WireEofException extends WireException {
  private static final long serialVersionUID = 1L;

  /**
   * @param what the field being decoded
   * @param offset where the input ended
   * @param needed how many more bytes the item needed
   */
  public WireEofException(String what, long offset, long needed) {
    super(what, offset, "", WireTexts.UNEXPECTED_EOF,
        "unexpected end of input (" + needed + " more bytes needed)");
  }
}
