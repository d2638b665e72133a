package org.jguix.daemon.session;

import static org.jguix.daemon.session.OpHandler.direct;
import static org.jguix.daemon.session.OpHandler.storePathArg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;
import org.jguix.wire.StringPair;

/**
 * GC roots seen from a session: AddTempRoot (this connection's, until it ends), AddIndirectRoot,
 * SyncWithGC and FindRoots ({@code gc.cc}). FindRoots' notes ("removing stale link …") are Info
 * messages to the client, as {@code printMsg(lvlInfo, …)} makes them.
 */
final class RootOps {
    private RootOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.ADD_TEMP_ROOT, storePathArg(Request.AddTempRoot::path, (q, s) -> {
            s.tempRoots().add(q.path());
            return true;
        }));
        b.put(Operation.ADD_INDIRECT_ROOT, direct((q, s) -> {
            s.store().gcRoots().addIndirectRoot(absPath(q.path()));
            return true;
        }));
        b.put(Operation.SYNC_WITH_GC, direct((q, s) -> {
            s.store().gcLock().syncWithGc();
            return true;
        }));
        b.put(Operation.FIND_ROOTS, direct((q, s) -> {
            List<StringPair> out = new ArrayList<>();
            for (Map.Entry<String, String> e : s.store().gcRoots()
                    .findRoots(s.store().db(), m -> s.log(Verbosity.INFO, m)).entrySet()) {
                out.add(new StringPair(e.getKey(), e.getValue()));
            }
            return out;
        }));
    }

    /**
     * {@code util.cc:absPath} against the daemon's working directory {@code /}, then {@code canonPath}:
     * no {@code .}, {@code ..} or repeated slashes; symlinks are not resolved.
     */
    static String absPath(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return "/" + String.join("/", parts);
    }
}
