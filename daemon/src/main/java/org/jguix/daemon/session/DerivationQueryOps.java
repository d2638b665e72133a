package org.jguix.daemon.session;

import static org.jguix.daemon.session.OpHandler.storePathArg;
import static org.jguix.daemon.session.PathQueryOps.db;

import java.util.List;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;

/**
 * Queries over the {@code DerivationOutputs} table: QueryDerivationOutputs, QueryDerivationOutputNames
 * (an invalid {@code .drv} is 1.5.0's {@code path `%1%' is not valid}, from {@code queryValidPathId})
 * and QueryValidDerivers (no validity check on its argument).
 */
final class DerivationQueryOps {
    private DerivationQueryOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.QUERY_DERIVATION_OUTPUTS, storePathArg(Request.QueryDerivationOutputs::path,
                (q, s) -> List.copyOf(db(s).queryDerivationOutputs(q.path()))));
        b.put(Operation.QUERY_DERIVATION_OUTPUT_NAMES, storePathArg(Request.QueryDerivationOutputNames::path,
                (q, s) -> List.copyOf(db(s).queryDerivationOutputNames(q.path()))));
        b.put(Operation.QUERY_VALID_DERIVERS, storePathArg(Request.QueryValidDerivers::path,
                (q, s) -> List.copyOf(db(s).queryValidDerivers(q.path()))));
    }
}
