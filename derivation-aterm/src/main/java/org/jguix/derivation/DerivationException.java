package org.jguix.derivation;

import java.io.IOException;

/** Base of this package's errors: a {@code .drv} that cannot be read, is invalid or has wrong outputs. */
public class DerivationException extends IOException {
    private static final long serialVersionUID = 1L;

    public DerivationException(String message) {
        super(message);
    }

    public DerivationException(String message, Throwable cause) {
        super(message, cause);
    }
}
