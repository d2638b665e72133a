package org.jguix.derivation;

/** A derivation value that breaks an invariant of the model (not a syntax error). */
public final class InvalidDerivationException extends DerivationException {
    private static final long serialVersionUID = 1L;

    public InvalidDerivationException(String message) {
        super(message);
    }

    public InvalidDerivationException(String message, Throwable cause) {
        super(message, cause);
    }
}
