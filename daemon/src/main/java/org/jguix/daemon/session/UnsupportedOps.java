package org.jguix.daemon.session;

import java.io.IOException;
import org.jguix.store.StoreException;
import org.jguix.wire.Operation;

/**
 * The recoverable "operation X is not supported yet by jguix" failure, for handlers that cannot do
 * part of their work yet (BuildPaths without a builder). Every operation of the protocol has a
 * handler now; argument checks stay in those handlers, so that argument errors keep the daemon's
 * fatal texts.
 */
final class UnsupportedOps {
    private UnsupportedOps() {
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
