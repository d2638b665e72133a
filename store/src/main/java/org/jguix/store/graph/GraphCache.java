package org.jguix.store.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The database's reference graph ({@code ValidPaths}, {@code Refs}, {@code DerivationOutputs}) kept in
 * memory between collections: what makes Nix's collector fast is not asking SQLite for every path's
 * edges, and reading the three tables whole at every collection still cost most of a
 * {@code --list-live}. The store database keeps it current.
 *
 * <p><b>Consistency.</b> Every method runs with the database's write lock held (the one
 * in-process writer), and the changes of a transaction are applied just after it commits, before the
 * lock is released. So at any moment the lock is free the cache equals the committed database, as far
 * as this process's writes go. Writes by other processes (a real guix-daemon on the same store,
 * Guile's {@code register-items}) are seen through SQLite's {@code PRAGMA data_version} on the writer
 * connection, which changes exactly when another connection has committed: the reader of the cache
 * passes it to {@link #isCurrent} and reloads ({@link #reload}) when it differs. Anything unexpected
 * while applying a change (a path that should be there and is not) makes the cache stale, and the next
 * reader reloads it; being wrong costs one reload, never a live path.
 *
 * <p>Nothing is loaded until the first collection asks ({@link #isCurrent} is false while empty), so a
 * daemon that never collects holds no graph. Not thread-safe on its own: the write lock is its lock.
 */
public final class GraphCache {
    /**
     * One {@code ValidPaths} row with its edges: {@code references} are the row ids of its {@code Refs}
     * rows (a self-reference included), {@code outputs} the paths of its {@code DerivationOutputs} rows.
     * Never changed once built (the arrays are not exposed), so snapshots can share them.
     */
    private record Node(long id, String path, String deriver, long narSize, long[] references, List<String> outputs) {
        /** The same row after re-registration: the new size, the union of the references. */
        Node reregistered(long newSize, long[] moreReferences) {
            long[] merged = Arrays.copyOf(references, references.length + moreReferences.length);
            System.arraycopy(moreReferences, 0, merged, references.length, moreReferences.length);
            return new Node(id, path, deriver, newSize, Arrays.stream(merged).distinct().toArray(), outputs);
        }
    }

    /** The rows as they were when taken, to replay once the write lock is released. Immutable. */
    public static final class Snapshot {
        private final List<Node> nodes;

        private Snapshot(List<Node> nodes) {
            this.nodes = nodes;
        }

        /** The rows, as the database's three tables would list them. */
        public void replay(Visitor v) {
            for (Node n : nodes) {
                v.path(n.id(), n.path(), n.deriver(), n.narSize());
            }
            for (Node n : nodes) {
                for (long r : n.references()) {
                    v.reference(n.id(), r);
                }
            }
            for (Node n : nodes) {
                for (String o : n.outputs()) {
                    v.derivationOutput(n.id(), o);
                }
            }
        }

        public int size() {
            return nodes.size();
        }
    }

    /** The visitor a snapshot is replayed to, row by row, in the order the database would list them. */
    public interface Visitor {
        void path(long id, String path, String deriver, long narSize);

        void reference(long referrer, long reference);

        void derivationOutput(long drv, String output);
    }

    /** What one registration transaction did to a path, for {@link #registered}. */
    public record Registered(long id, String path, String deriver, long narSize, long[] references,
            List<String> outputs, boolean isNew) {
        public Registered {
            Objects.requireNonNull(path);
            references = references.clone();
            outputs = List.copyOf(outputs);
        }
    }

    private final Map<Long, Node> byId = new HashMap<>();
    private final Map<String, Long> idOf = new HashMap<>();
    private boolean loaded;
    private boolean stale;
    private long dataVersion;

    /**
     * Whether the cache equals the database whose writer connection now reports {@code dataVersion}:
     * it was loaded, nothing went wrong since, and no other connection committed.
     */
    public boolean isCurrent(long currentDataVersion) {
        return loaded && !stale && currentDataVersion == dataVersion;
    }

    /** Starts a reload: everything is forgotten; the rows follow through {@link #loader}. */
    public Visitor reload(long currentDataVersion) {
        byId.clear();
        idOf.clear();
        loaded = false;
        dataVersion = currentDataVersion;
        return new Loader();
    }

    /** Ends a reload begun by {@link #reload}. */
    public void loaded(Visitor loader) {
        ((Loader) loader).finish();
        loaded = true;
        stale = false;
    }

    /** A consistent copy of the rows (the nodes are shared, the list is not). */
    public Snapshot snapshot() {
        return new Snapshot(List.copyOf(byId.values()));
    }

    /** A committed {@code registerValidPaths}. */
    public void registered(List<Registered> rows) {
        if (!loaded) {
            return;
        }
        for (Registered r : rows) {
            Node old = byId.get(r.id());
            if (r.isNew()) {
                if (old != null || idOf.containsKey(r.path())) {
                    stale = true;
                    continue;
                }
                byId.put(r.id(), new Node(r.id(), r.path(), r.deriver(), r.narSize(), r.references(),
                        r.outputs()));
                idOf.put(r.path(), r.id());
            } else if (old == null || !old.path().equals(r.path())) {
                stale = true; // re-registration of a row the cache lacks: another process wrote it
            } else {
                byId.put(r.id(), old.reregistered(r.narSize(), r.references()));
            }
        }
    }

    /** Committed invalidations ({@code Refs} from them and their {@code DerivationOutputs} cascade). */
    public void invalidated(List<String> paths) {
        if (!loaded) {
            return;
        }
        for (String p : paths) {
            Long id = idOf.remove(p);
            if (id == null) {
                stale = true;
                continue;
            }
            byId.remove(id);
        }
    }

    /** A committed {@code updatePathInfo}. */
    public void narSizeChanged(String path, long narSize) {
        if (!loaded) {
            return;
        }
        Long id = idOf.get(path);
        Node old = id == null ? null : byId.get(id);
        if (old == null) {
            stale = true;
            return;
        }
        byId.put(id, old.reregistered(narSize, NONE));
    }

    /** Marks the cache as possibly wrong: the next reader reloads it. */
    public void invalidate() {
        stale = true;
    }

    /** Number of valid paths held (for tests). */
    public int size() {
        return byId.size();
    }

    /** Collects the three tables' rows into nodes. */
    private final class Loader implements Visitor {
        private final List<Node> rows = new ArrayList<>();
        private final Map<Long, LongList> refs = new HashMap<>();
        private final Map<Long, List<String>> outputs = new HashMap<>();

        @Override
        public void path(long id, String path, String deriver, long narSize) {
            rows.add(new Node(id, path, deriver, narSize, null, null));
        }

        @Override
        public void reference(long referrer, long reference) {
            refs.computeIfAbsent(referrer, k -> new LongList()).add(reference);
        }

        @Override
        public void derivationOutput(long drv, String output) {
            outputs.computeIfAbsent(drv, k -> new ArrayList<>()).add(output);
        }

        void finish() {
            for (Node n : rows) {
                LongList r = refs.get(n.id());
                byId.put(n.id(), new Node(n.id(), n.path(), n.deriver(), n.narSize(),
                        r == null ? NONE : r.toArray(), List.copyOf(outputs.getOrDefault(n.id(), List.of()))));
                idOf.put(n.path(), n.id());
            }
        }
    }

    private static final long[] NONE = new long[0];

    /** A growable long array. */
    private static final class LongList {
        private long[] a = new long[4];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
