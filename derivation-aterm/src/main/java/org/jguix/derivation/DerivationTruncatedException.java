package org.jguix.derivation;

/** The input ended before the derivation did (distinguished from corruption). */
public final class DerivationTruncatedException extends DerivationParseException {
    private static final long serialVersionUID = 1L;

    public DerivationTruncatedException(long offset, String detail) {
        super(offset, detail);
    }
}
