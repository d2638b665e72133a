package org.jguix.hash;

/** An algorithm name outside {@link HashAlgorithm}; the message is guix-daemon's verbatim. */
public final class UnknownHashAlgorithmException extends InvalidHashException {
    private static final long serialVersionUID = 1L;
    private final String name;

    public UnknownHashAlgorithmException(String name) {
        // parseHashInfo / parseHashType callers: "unknown hash algorithm `X'"
        super("unknown hash algorithm `" + name + "'");
        this.name = name;
    }

    /** The rejected name, as given. */
    public String name() {
        return name;
    }
}
