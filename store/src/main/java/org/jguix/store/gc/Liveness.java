package org.jguix.store.gc;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreException;
import org.jguix.store.ValidPathInfo;

/**
 * The live set of one collection: the roots, and everything they keep alive along the graph's
 * liveness edges (see {@link StoreGraph}). It only grows: roots that appear while the collection runs
 * (a session's new temp root) and paths found with a new referrer are added with everything they
 * keep alive. Paths the graph does not know (valid since it was read) are followed through the
 * database.
 *
 * <p>This is the daemon's {@code canReachRoot} turned around: it asks, for each candidate, whether
 * some root reaches it over the "incoming" edges; marking forward from the roots once gives the same
 * answer for every path, since a failed search there visits only paths that no root reaches.
 */
final class Liveness {
    private final StoreGraph graph;
    private final StoreDatabase db;
    private final boolean keepOutputs;
    private final boolean keepDerivations;
    private final BitSet live;
    private final Set<String> roots = new HashSet<>();
    private final Set<String> liveUnknown = new HashSet<>();

    Liveness(StoreGraph graph, StoreDatabase db, GcOptions options) {
        this.graph = graph;
        this.db = db;
        this.keepOutputs = options.keepOutputs();
        this.keepDerivations = options.keepDerivations();
        this.live = new BitSet(graph.size());
    }

    /** A root (valid or not): it and what it keeps alive are live. */
    void addRoot(String path) throws StoreException {
        if (roots.add(path)) {
            markLive(path);
        }
    }

    boolean isRoot(String path) {
        return roots.contains(path);
    }

    /** {@code path} and everything it keeps alive are live from now on. */
    void markLive(String path) throws StoreException {
        int n = graph.indexOf(path);
        if (n >= 0) {
            markNode(n);
        } else {
            markUnknown(path);
        }
    }

    boolean isLive(int node) {
        return live.get(node);
    }

    /** Live: a root, or kept alive by one. */
    boolean isLive(String path) {
        int n = graph.indexOf(path);
        return n >= 0 ? live.get(n) : roots.contains(path) || liveUnknown.contains(path);
    }

    private void markNode(int start) {
        if (live.get(start)) {
            return;
        }
        Deque<Integer> todo = new ArrayDeque<>();
        live.set(start);
        todo.push(start);
        while (!todo.isEmpty()) {
            graph.forEachSuccessor(todo.pop(), m -> {
                if (!live.get(m)) {
                    live.set(m);
                    todo.push(m);
                }
            });
        }
    }

    /** A path registered after the graph was read: its edges come from the database. */
    private void markUnknown(String path) throws StoreException {
        if (!liveUnknown.add(path)) {
            return;
        }
        Optional<ValidPathInfo> info = db.queryPathInfoIfValid(path);
        if (info.isEmpty()) {
            return; // not valid: nothing to follow
        }
        for (String r : info.get().references()) {
            if (!r.equals(path)) {
                markLive(r);
            }
        }
        Optional<String> deriver = info.get().deriver();
        if (keepDerivations && deriver.isPresent() && deriver.get().endsWith(".drv")
                && db.isValidPath(deriver.get())
                && db.queryDerivationOutputs(deriver.get()).contains(path)) {
            markLive(deriver.get());
        }
        if (keepOutputs) {
            for (String out : db.queryDerivationOutputs(path)) {
                if (!out.equals(path) && db.isValidPath(out)) {
                    markLive(out);
                }
            }
        }
    }
}
