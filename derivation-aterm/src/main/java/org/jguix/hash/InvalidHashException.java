package org.jguix.hash;

import java.io.IOException;

/**
 * A hash string (or algorithm name) that guix-daemon would not accept, or that it would
 * accept only in a non-canonical spelling. The message says what, where and the value.
 */
public class InvalidHashException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidHashException(String message) {
        super(message);
    }
}
