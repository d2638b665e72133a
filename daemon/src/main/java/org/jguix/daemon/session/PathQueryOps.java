package org.jguix.daemon.session;

import static org.jguix.daemon.session.OpHandler.direct;
import static org.jguix.daemon.session.OpHandler.storePathArg;
import static org.jguix.daemon.session.OpHandler.storePathsArg;

import java.util.HexFormat;
import java.util.List;
import org.jguix.store.StoreDatabase;
import org.jguix.store.ValidPathInfo;
import org.jguix.wire.Operation;
import org.jguix.wire.Reply;
import org.jguix.wire.Request;

/**
 * Queries about valid paths ({@code performOp} cases of the same names, answered from the database):
 * IsValidPath, QueryPathHash, QueryPathInfo, QueryReferences, QueryReferrers, QueryDeriver,
 * QueryValidPaths, QueryAllValidPaths, QueryPathFromHashPart. Sets come back sorted (the database
 * returns sorted sets, like {@code std::set}).
 */
final class PathQueryOps {
    private PathQueryOps() {
    }

    static void register(OpTable.Builder b) {
        // The one deliberate exception to "bad arguments are fatal": the path is checked in work.
        b.put(Operation.IS_VALID_PATH, direct((q, s) -> {
            s.assertStorePath(q.path());
            return db(s).isValidPath(q.path());
        }));
        b.put(Operation.QUERY_PATH_HASH, storePathArg(Request.QueryPathHash::path,
                (q, s) -> HexFormat.of().formatHex(db(s).queryPathInfo(q.path()).narDigest())));
        b.put(Operation.QUERY_PATH_INFO, storePathArg(Request.QueryPathInfo::path,
                (q, s) -> pathInfo(db(s).queryPathInfo(q.path()))));
        b.put(Operation.QUERY_REFERENCES, storePathArg(Request.QueryReferences::path,
                (q, s) -> List.copyOf(db(s).queryReferences(q.path()))));
        b.put(Operation.QUERY_REFERRERS, storePathArg(Request.QueryReferrers::path,
                (q, s) -> List.copyOf(db(s).queryReferrers(q.path()))));
        b.put(Operation.QUERY_DERIVER, storePathArg(Request.QueryDeriver::path,
                (q, s) -> db(s).queryDeriver(q.path()).orElse("")));
        b.put(Operation.QUERY_VALID_PATHS, storePathsArg(Request.QueryValidPaths::paths,
                (q, s) -> List.copyOf(db(s).queryValidPaths(q.paths()))));
        b.put(Operation.QUERY_ALL_VALID_PATHS, direct((q, s) -> List.copyOf(db(s).queryAllValidPaths())));
        b.put(Operation.QUERY_PATH_FROM_HASH_PART, direct(
                (q, s) -> db(s).queryPathFromHashPart(q.hashPart()).orElse("")));
    }

    /** The reply of QueryPathInfo: base16 NAR hash without its {@code sha256:} prefix ({@code printHash}). */
    static Reply.PathInfo pathInfo(ValidPathInfo info) {
        return new Reply.PathInfo(info.deriver().orElse(""), HexFormat.of().formatHex(info.narDigest()),
                List.copyOf(info.references()), info.registrationTime(), info.narSize());
    }

    static StoreDatabase db(SessionState s) {
        return s.store().db();
    }
}
