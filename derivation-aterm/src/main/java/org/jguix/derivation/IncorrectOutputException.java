package org.jguix.derivation;

/**
 * An output path that does not match its recomputation; the message is guix-daemon's
 * ({@code LocalStore::checkDerivationOutputs}) verbatim.
 */
public final class IncorrectOutputException extends DerivationException {
    private static final long serialVersionUID = 1L;
    private final String given;
    private final String expected;

    public IncorrectOutputException(String drvPath, String given, String expected) {
        super("derivation `" + drvPath + "' has incorrect output `" + given + "', should be `" + expected + "'");
        this.given = given;
        this.expected = expected;
    }

    /** The path written in the derivation. */
    public String given() {
        return given;
    }

    /** The path it should be. */
    public String expected() {
        return expected;
    }
}
