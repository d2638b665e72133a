package org.jguix.store;

import java.io.IOException;

/**
 * A failure of a store operation whose message is the text guix-daemon would show the client for the
 * same failure (e.g. {@code path `P' is not valid}); see {@link org.jguix.store.internal.StoreErrors}
 * for the catalogue. The session forwards {@link #getMessage()} verbatim in its error reply.
 */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
