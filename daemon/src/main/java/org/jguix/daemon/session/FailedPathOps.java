package org.jguix.daemon.session;

import static org.jguix.daemon.session.OpHandler.direct;

import java.util.List;
import org.jguix.wire.Operation;

/**
 * The cache of failed builds ({@code FailedPaths}, filled only with {@code --cache-failures}):
 * QueryFailedPaths and ClearFailedPaths, whose arguments are not checked as store paths ({@code *}
 * clears everything).
 */
final class FailedPathOps {
    private FailedPathOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.QUERY_FAILED_PATHS, direct((q, s) -> List.copyOf(s.store().db().queryFailedPaths())));
        b.put(Operation.CLEAR_FAILED_PATHS, direct((q, s) -> {
            s.store().db().clearFailedPaths(q.paths());
            return true;
        }));
    }
}
