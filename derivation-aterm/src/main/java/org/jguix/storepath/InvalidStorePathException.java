package org.jguix.storepath;

import java.io.IOException;

/**
 * A store directory, store path or store name that guix-daemon would reject. Messages
 * produced for names are guix-daemon's verbatim ({@code checkStoreName},
 * {@code assertStorePath}); see {@link StoreErrors}.
 */
public final class InvalidStorePathException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidStorePathException(String message) {
        super(message);
    }
}
