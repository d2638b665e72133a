package org.jguix.store.gc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreException;

/**
 * The valid paths and their edges as one collection sees them: a snapshot of the database's
 * in-memory {@link org.jguix.store.graph.GraphCache}, taken once per collection (Nix's collector asks
 * SQLite for each path's referrers while it walks; holding the graph in memory is what makes marking
 * fast, and keeping it between collections what makes starting one cheap). Nodes are dense indexes;
 * edges are in compressed rows.
 *
 * <p>A <b>liveness edge</b> {@code a → b} means "if a is live, so is b" — the reverse of the
 * daemon's {@code canReachRoot} "incoming" sets:
 * <ul>
 * <li>a refers to b (a self-reference is no edge);</li>
 * <li>{@code gc-keep-derivations}: a is an output of the derivation b ({@code b} ends in
 *     {@code .drv}, lists a in {@code DerivationOutputs}, and a's deriver is b);</li>
 * <li>{@code gc-keep-outputs}: b is an output a derivation a lists in {@code DerivationOutputs}.</li>
 * </ul>
 * Immutable once loaded.
 */
final class StoreGraph {
    private final String[] paths;
    private final long[] narSizes;
    private final Map<String, Integer> index;
    private final Csr successors;
    private final Csr predecessors;
    private final Csr referrers;

    private StoreGraph(String[] paths, long[] narSizes, Map<String, Integer> index, Csr successors,
            Csr predecessors, Csr referrers) {
        this.paths = paths;
        this.narSizes = narSizes;
        this.index = index;
        this.successors = successors;
        this.predecessors = predecessors;
        this.referrers = referrers;
    }

    /** Reads the graph with the liveness edges the two settings ask for. */
    static StoreGraph load(StoreDatabase db, boolean keepOutputs, boolean keepDerivations) throws StoreException {
        Loader l = new Loader();
        db.readGraph(l);
        int n = l.paths.size();
        String[] paths = l.paths.toArray(new String[0]);
        IntList from = new IntList();
        IntList to = new IntList();
        for (int i = 0; i < l.refFrom.size(); i++) {
            from.add(l.refFrom.get(i));
            to.add(l.refTo.get(i));
        }
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(paths[i], i);
        }
        for (int k = 0; k < l.outDrv.size(); k++) {
            int drv = l.outDrv.get(k);
            Integer out = index.get(l.outPath.get(k));
            if (out == null || out == drv) {
                continue; // the output is not valid: nothing to keep
            }
            if (keepOutputs) {
                from.add(drv);
                to.add(out);
            }
            if (keepDerivations && paths[drv].endsWith(".drv") && paths[drv].equals(l.derivers.get(out))) {
                from.add(out);
                to.add(drv);
            }
        }
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = l.narSizes.get(i);
        }
        return new StoreGraph(paths, sizes, index, Csr.of(n, from, to), Csr.of(n, to, from),
                Csr.of(n, l.refTo, l.refFrom));
    }

    int size() {
        return paths.length;
    }

    /** The node of {@code path}, or −1 if it was not valid when the graph was read. */
    int indexOf(String path) {
        Integer i = index.get(path);
        return i == null ? -1 : i;
    }

    String path(int node) {
        return paths[node];
    }

    long narSize(int node) {
        return narSizes[node];
    }

    /** What {@code node} keeps alive. */
    void forEachSuccessor(int node, IntConsumer f) {
        successors.forEach(node, f);
    }

    /** The daemon's "incoming" set of {@code node}: what keeps it alive if live. */
    void forEachPredecessor(int node, IntConsumer f) {
        predecessors.forEach(node, f);
    }

    /** The valid paths referring to {@code node}, itself excluded. */
    void forEachReferrer(int node, IntConsumer f) {
        referrers.forEach(node, f);
    }

    /** Edges grouped by source node: the targets of node i are {@code targets[start[i] .. start[i+1])}. */
    private record Csr(int[] start, int[] targets) {
        static Csr of(int nodes, IntList from, IntList to) {
            int[] start = new int[nodes + 1];
            for (int i = 0; i < from.size(); i++) {
                start[from.get(i) + 1]++;
            }
            for (int i = 0; i < nodes; i++) {
                start[i + 1] += start[i];
            }
            int[] fill = Arrays.copyOf(start, nodes);
            int[] targets = new int[from.size()];
            for (int i = 0; i < from.size(); i++) {
                targets[fill[from.get(i)]++] = to.get(i);
            }
            return new Csr(start, targets);
        }

        void forEach(int node, IntConsumer f) {
            for (int i = start[node]; i < start[node + 1]; i++) {
                f.accept(targets[i]);
            }
        }
    }

    /** Collects the rows; references between known ids only, self-references dropped. */
    private static final class Loader implements StoreDatabase.GraphVisitor {
        final Map<Long, Integer> ids = new HashMap<>();
        final List<String> paths = new ArrayList<>();
        final List<String> derivers = new ArrayList<>();
        final List<Long> narSizes = new ArrayList<>();
        final IntList refFrom = new IntList();
        final IntList refTo = new IntList();
        final IntList outDrv = new IntList();
        final List<String> outPath = new ArrayList<>();

        @Override
        public void path(long id, String path, String deriver, long narSize) {
            ids.put(id, paths.size());
            paths.add(path);
            derivers.add(deriver);
            narSizes.add(narSize);
        }

        @Override
        public void reference(long referrer, long reference) {
            Integer a = ids.get(referrer);
            Integer b = ids.get(reference);
            if (a != null && b != null && !a.equals(b)) {
                refFrom.add(a);
                refTo.add(b);
            }
        }

        @Override
        public void derivationOutput(long drv, String output) {
            Integer d = ids.get(drv);
            if (d != null) {
                outDrv.add(d);
                outPath.add(output);
            }
        }
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }
    }
}
