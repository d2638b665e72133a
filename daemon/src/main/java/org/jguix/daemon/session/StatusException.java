package org.jguix.daemon.session;

import org.jguix.store.StoreException;

/**
 * A failed operation whose error frame carries a status other than 1 ({@code Error(msg, status)}):
 * BuildPaths reports 100 for a permanent build failure and 101 for a timeout, which
 * {@code guix build} turns into its own exit status.
 */
final class StatusException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final int status;

    StatusException(String message, int status) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
