package org.jguix.daemon.session;

import java.io.IOException;
import org.jguix.wire.Request;

/**
 * Serves one operation, in guix-daemon's two phases ({@code nix-daemon.cc:performOp}):
 *
 * <ol>
 * <li>{@link #prepare}, before {@code startWork}: check the decoded arguments as the daemon does
 *     while reading them ({@code readStorePath}'s {@code assertStorePath}, …) and consume any inline
 *     data (AddToStore's NAR). A failure here is <b>fatal</b>: the client gets an error frame and the
 *     connection ends.</li>
 * <li>{@link Work#run}, after {@code startWork}: do the work and return the reply value. A failure
 *     here is <b>recoverable</b>: an error frame ends the operation, the session goes on.</li>
 * </ol>
 *
 * @param <Q> the request record
 * @param <P> the reply value ({@link org.jguix.wire.Operation}'s reply type)
 */
@FunctionalInterface
public interface OpHandler<Q extends Request, P> {
    Work<P> prepare(Q request, SessionState session) throws IOException;

    /**
     * The second phase of an operation. {@link #close} releases what {@code prepare} acquired (a
     * staged upload, say) whether or not {@link #run} ran or succeeded.
     */
    @FunctionalInterface
    interface Work<P> extends AutoCloseable {
        P run() throws IOException;

        @Override
        default void close() throws IOException {
        }
    }

    /** A handler with nothing to check before the work phase. */
    static <Q extends Request, P> OpHandler<Q, P> direct(Body<Q, P> body) {
        return (q, s) -> () -> body.run(q, s);
    }

    /** A handler whose single store-path argument is checked by {@code readStorePath} (fatal). */
    static <Q extends Request, P> OpHandler<Q, P> storePathArg(java.util.function.Function<Q, String> arg,
            Body<Q, P> body) {
        return (q, s) -> {
            s.assertStorePath(arg.apply(q));
            return () -> body.run(q, s);
        };
    }

    /** A handler whose store-path list argument is checked by {@code readStorePaths} (fatal). */
    static <Q extends Request, P> OpHandler<Q, P> storePathsArg(
            java.util.function.Function<Q, ? extends Iterable<String>> arg, Body<Q, P> body) {
        return (q, s) -> {
            for (String p : arg.apply(q)) {
                s.assertStorePath(p);
            }
            return () -> body.run(q, s);
        };
    }

    /** The work of a handler, given the request and the session. */
    @FunctionalInterface
    interface Body<Q, P> {
        P run(Q request, SessionState session) throws IOException;
    }
}
