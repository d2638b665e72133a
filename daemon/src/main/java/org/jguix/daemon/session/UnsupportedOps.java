package org.jguix.daemon.session;

import java.io.IOException;
import org.jguix.store.StoreException;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;

/**
 * Operations whose implementation has not landed yet (GC, optimise, verify). Each consumes
 * and checks its arguments exactly as guix-daemon does, so that argument errors stay fatal with the
 * daemon's text, then fails in work with a recoverable "operation X is not supported yet by jguix".
 */
final class UnsupportedOps {
    private UnsupportedOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.COLLECT_GARBAGE, (q, s) -> {
            if (s.peer().remote()) {
                throw new StoreException("Garbage collection is disabled for remote hosts.");
            }
            for (String p : q.pathsToDelete()) {
                s.assertStorePath(p);
            }
            return () -> {
                if (q.ignoreLiveness()) {
                    throw new StoreException("you are not allowed to ignore liveness");
                }
                throw unsupported(Operation.COLLECT_GARBAGE);
            };
        });
        b.put(Operation.OPTIMISE_STORE, (q, s) -> notYet(Operation.OPTIMISE_STORE));
        b.put(Operation.VERIFY_STORE, (Request.VerifyStore q, SessionState s) -> () -> {
            if (q.repair() && !s.trusted()) {
                throw new StoreException("you are not privileged to repair paths");
            }
            throw unsupported(Operation.VERIFY_STORE);
        });
    }

    /** Work that fails with the "not supported yet" error. */
    static <P> OpHandler.Work<P> notYet(Operation<?, P> op) {
        return () -> {
            throw unsupported(op);
        };
    }

    static IOException unsupported(Operation<?, ?> op) {
        return new StoreException(ErrorTexts.unsupported(op.daemonName()));
    }
}
