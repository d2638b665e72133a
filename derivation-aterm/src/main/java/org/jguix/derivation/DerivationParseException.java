package org.jguix.derivation;

/**
 * Malformed ATerm text: the message reads {@code byte N: WHAT}, where N is the 0-based
 * offset of the offending byte (or of the start of the offending element).
 */
public class DerivationParseException extends DerivationException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final String detail;

    public DerivationParseException(long offset, String detail) {
        super("byte " + offset + ": " + detail);
        this.offset = offset;
        this.detail = detail;
    }

    /** Offset of the offending byte in the input. */
    public long offset() {
        return offset;
    }

    /** The message without the position. */
    public String detail() {
        return detail;
    }
}
