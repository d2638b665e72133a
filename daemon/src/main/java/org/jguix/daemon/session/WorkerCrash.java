package org.jguix.daemon.session;

/**
 * Where guix-daemon 1.5.0's worker process dies (a failed assertion), the client sees its connection
 * end without a reply; jguix does the same by throwing this, which {@link Session} answers by closing
 * the connection. Unchecked on purpose: it must not be taken for an operation's error on the way, as
 * a {@code java.io.IOException} would be (the verifier reports those and goes on).
 */
final class WorkerCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param daemonText what guix-daemon prints on its stderr as it aborts (for the daemon's log) */
    WorkerCrash(String daemonText) {
        super(daemonText);
    }
}
