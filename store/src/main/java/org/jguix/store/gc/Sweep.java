package org.jguix.store.gc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;
import org.jguix.store.TempRoots;

/**
 * The candidate-by-candidate part of one collection ({@code tryToDelete}, {@code deletePathRecursive},
 * the store scan), with the results it accumulates; the file system is {@link Trash}'s.
 * Used by one thread, the collection's (only the unlinking of files taken out is handed to the
 * {@link Unlinker}'s threads).
 *
 * <p><b>Deleting while sessions keep adding.</b> Each removal — the last liveness check, the
 * invalidation (a write transaction, in which the schema refuses to delete a path that valid paths
 * still refer to) and taking the path out of the store directory (a rename into the trash, the
 * {@link Unlinker} frees files later) — runs inside a {@link TempRoots.Hold},
 * which blocks this process's {@code addTempRoot} for that short time. Every writer in jguix adds the
 * temp root of a path before it looks at or creates the path, so a concurrent add either happened
 * before the hold (its root is absorbed into the live set and the path is kept) or starts after the
 * path is gone (it then finds the path invalid and writes it anew). A path that gained a referrer
 * since the graph was read is kept too, with everything it keeps alive.
 */
final class Sweep {
    /**
     * Paths removed per transaction and hold: short holds (each path is one SQL delete and one
     * unlink, tens of microseconds), few commits.
     */
    private static final int BATCH = 32;

    private final StoreLayout layout;
    private final StoreDatabase db;
    private final StoreGraph graph;
    private final Liveness liveness;
    private final Set<String> tempRoots;
    private final TempRoots.Watch watch;
    private final GcOptions options;
    private final StoreLog log;
    private final String linksPath;
    private final Trash trash;
    private final Unlinker unlinker;
    private final BitSet invalidated = new BitSet();
    /** Nodes marked dead with everything upstream of them: {@link #markDeadUpstream} stops there. */
    private final BitSet deadUpstream = new BitSet();
    /** Nodes waiting in {@link #pending} for their batch. */
    private final BitSet scheduled = new BitSet();
    /**
     * During {@link #scan} without a limit: dead valid paths in referrers-first order, removed
     * {@value #BATCH} at a time however many {@code tryToDelete} calls found them.
     */
    private final List<Integer> pending = new ArrayList<>();
    private boolean batching;
    private final SortedSet<String> alive = new TreeSet<>();
    private final SortedSet<String> dead = new TreeSet<>();
    private final SortedSet<String> deleted = new TreeSet<>();
    private TempRoots.Hold hold;

    /** Thrown up to the scan when more than {@code maxFreed} bytes are gone ({@code GCLimitReached}). */
    static final class LimitReached extends Exception {
        private static final long serialVersionUID = 1L;

        LimitReached() {
            super(null, null, false, false);
        }
    }

    Sweep(StoreLayout layout, StoreDatabase db, StoreGraph graph, Liveness liveness, Set<String> tempRoots,
            TempRoots.Watch watch, GcOptions options, StoreLog log, Trash trash, Unlinker unlinker,
            String linksPath) {
        this.layout = layout;
        this.db = db;
        this.graph = graph;
        this.liveness = liveness;
        this.tempRoots = tempRoots;
        this.watch = watch;
        this.options = options;
        this.log = log;
        this.linksPath = linksPath;
        this.trash = trash;
        this.unlinker = unlinker;
    }

    SortedSet<String> alive() {
        return alive;
    }

    SortedSet<String> dead() {
        return dead;
    }

    SortedSet<String> deleted() {
        return deleted;
    }

    /** Roots added by sessions since the last look: they and what they keep alive are live. */
    void absorb(List<String> added) throws StoreException {
        for (String r : added) {
            tempRoots.add(r);
            liveness.addRoot(r);
        }
    }

    /**
     * The scan of the store directory: entries that are not valid are tried at once, in directory
     * order; valid ones after, in random order when a {@code maxFreed} limit applies (so that it is
     * not biased towards the start of the alphabet), else in directory order: every dead path goes
     * then, and the order shows only in the order of the "deleting" lines, random in guix-daemon's
     * output anyway. (A {@code SecureRandom} shuffle of 10,000 paths took 20–150 ms.)
     */
    void scan() throws IOException {
        List<String> valid = new ArrayList<>();
        try {
            // File.list: names only, without a Path per entry (10,000 of them, every collection)
            String[] names = layout.storeDirectory().toFile().list();
            if (names == null) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.storeDirectory())) {
                    entries.forEach(e -> { }); // the error File.list does not give
                }
                throw new IOException("cannot read " + layout.storeDirectory());
            }
            for (String name : names) {
                String path = layout.storeDirString() + "/" + name;
                if (graph.indexOf(path) >= 0 || db.isValidPath(path)) {
                    valid.add(path);
                } else {
                    tryToDelete(path);
                }
            }
            if (options.limited()) {
                Collections.shuffle(valid, ThreadLocalRandom.current());
            }
            // Batched across paths: a random order mostly finds paths whose referrers are gone
            // already, so one batch per tryToDelete would be one transaction per path.
            batching = options.action().deletes() && !options.limited();
            for (String path : valid) {
                tryToDelete(path);
            }
            flush();
        } catch (LimitReached e) {
            // enough freed
        }
    }

    /** {@code tryToDelete}. */
    void tryToDelete(String path) throws IOException, LimitReached {
        if (path.equals(linksPath) || path.equals(trash.path()) || Trash.isBusyTemporary(path)) {
            return;
        }
        int node = graph.indexOf(path);
        if (node >= 0 && scheduled.get(node)) {
            return; // found dead already, waiting for its batch
        }
        boolean valid = node >= 0 ? !invalidated.get(node) : db.isValidPath(path);
        if (!valid) {
            absorb(watch.drain());
            if (isActiveTempFile(path, ".lock") || isActiveTempFile(path, ".chroot")) {
                return;
            }
        }
        boolean live = node >= 0 && valid ? liveness.isLive(node) : valid || liveness.isRoot(path);
        if (live) {
            if (options.action() == GcAction.RETURN_LIVE) {
                alive.add(path);
            }
            return;
        }
        if (node >= 0 && valid) {
            markDeadUpstream(node);
        } else {
            noteDead(path);
        }
        if (options.action().deletes()) {
            deletePathRecursive(path);
        }
    }

    boolean isDead(String path) {
        return dead.contains(path);
    }

    /**
     * The dead set is the answer of return-dead and what delete-specific checks; deleting all the
     * dead does not need it (10,000 sorted insertions of the live and dead sets were a few percent of
     * a collection's CPU), nor the live set, return-live's answer.
     */
    private void noteDead(String path) {
        if (options.action() != GcAction.DELETE_DEAD) {
            dead.add(path);
        }
    }

    /**
     * What {@code canReachRoot} visits from a dead path: everything that could have kept it alive,
     * all dead as well. It goes into the dead list too (paths missing from the store directory are
     * only found this way). A node marked before had its whole upstream marked then, so the walk
     * stops there: without that, the items of a dead chain of n would cost n²/2 steps.
     */
    private void markDeadUpstream(int node) {
        if (deadUpstream.get(node)) {
            return;
        }
        Deque<Integer> todo = new ArrayDeque<>();
        deadUpstream.set(node);
        todo.push(node);
        while (!todo.isEmpty()) {
            int n = todo.pop();
            noteDead(graph.path(n));
            graph.forEachPredecessor(n, m -> {
                if (!deadUpstream.get(m) && !invalidated.get(m)) {
                    deadUpstream.set(m);
                    todo.push(m);
                }
            });
        }
    }

    /**
     * {@code deletePathRecursive}: the path's valid referrers first (they are dead too), then itself.
     * They are removed in batches of {@value #BATCH} (one transaction, one hold each) unless a
     * {@code maxFreed} limit asks to stop after the path that crosses it.
     */
    private void deletePathRecursive(String path) throws IOException, LimitReached {
        int start = graph.indexOf(path);
        if (start < 0 || invalidated.get(start)) {
            removeInvalid(path);
            return;
        }
        List<Integer> order = referrersFirst(start);
        if (batching) {
            for (int n : order) {
                scheduled.set(n);
                pending.add(n);
            }
            if (pending.size() >= BATCH) {
                flush();
            }
            return;
        }
        int batch = options.limited() ? 1 : BATCH;
        for (int i = 0; i < order.size(); i += batch) {
            removeValid(order.subList(i, Math.min(order.size(), i + batch)));
        }
    }

    /** {@code start} and its valid referrers, transitively, each after all its referrers. */
    private List<Integer> referrersFirst(int start) {
        List<Integer> order = new ArrayList<>();
        Deque<int[]> stack = new ArrayDeque<>();
        BitSet visited = new BitSet();
        visited.set(start);
        stack.push(new int[] {start, 0});
        while (!stack.isEmpty()) {
            int[] top = stack.peek();
            if (top[1] == 1) {
                stack.pop();
                order.add(top[0]);
                continue;
            }
            top[1] = 1;
            graph.forEachReferrer(top[0], r -> {
                if (!visited.get(r) && !invalidated.get(r) && !this.scheduled.get(r)) {
                    visited.set(r);
                    stack.push(new int[] {r, 0});
                }
            });
        }
        return order;
    }

    /** Removes the pending batch, in order, {@value #BATCH} at a time. */
    private void flush() throws IOException, LimitReached {
        for (int i = 0; i < pending.size(); i += BATCH) {
            List<Integer> batch = pending.subList(i, Math.min(pending.size(), i + BATCH));
            try {
                removeValid(batch);
            } finally {
                for (int n : batch) {
                    scheduled.clear(n);
                }
            }
        }
        pending.clear();
    }

    /**
     * Valid paths out of the database and the store directory, atomically with temp-root additions:
     * one transaction asks the live set about each and deletes its row unless valid paths refer to it
     * now; those that gained a referrer or a root are kept (with what they keep alive), the others are
     * taken out.
     */
    private void removeValid(List<Integer> nodes) throws IOException, LimitReached {
        List<String> paths = nodes.stream().map(graph::path).toList();
        List<String> lines = new ArrayList<>();
        try {
            Set<String> gone = new HashSet<>(db.invalidateEach(paths, path -> {
                enterHold();
                return !liveness.isLive(path);
            }));
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                if (!gone.contains(path)) {
                    if (db.isValidPath(path)) {
                        liveness.markLive(path);
                    }
                    continue;
                }
                invalidated.set(nodes.get(i));
                String line = "[" + trash.progress(options) + "] deleting '" + path + "'";
                if (trash.takeOut(path, graph.narSize(nodes.get(i)), unlinker)) {
                    deleted.add(path);
                    lines.add(line);
                }
            }
        } finally {
            leaveHold();
        }
        report(lines);
    }

    /** An entry that is not valid: out of the store directory unless it became a root or valid. */
    private void removeInvalid(String path) throws IOException, LimitReached {
        String line;
        try {
            enterHold();
            if (liveness.isRoot(path) || isActiveTempFile(path, ".lock") || isActiveTempFile(path, ".chroot")
                    || graph.indexOf(path) < 0 && db.isValidPath(path)) {
                return;
            }
            line = "[" + trash.progress(options) + "] deleting '" + path + "'";
            if (!trash.takeOut(path, 0, unlinker)) {
                return;
            }
            deleted.add(path);
        } finally {
            leaveHold();
        }
        report(List.of(line));
    }

    /** The "[…] deleting '…'" lines, then the limit. */
    private void report(List<String> lines) throws LimitReached {
        log.log(StoreLog.INFO, lines);
        if (!lines.isEmpty() && Long.compareUnsigned(trash.bytesGone(), options.maxFreed()) > 0) {
            log.info("deleted or invalidated more than " + Long.toUnsignedString(options.maxFreed())
                    + " bytes; stopping");
            throw new LimitReached();
        }
    }

    private void enterHold() throws StoreException {
        if (hold == null) {
            hold = watch.hold();
            absorb(hold.added());
        }
    }

    private void leaveHold() {
        if (hold != null) {
            hold.close();
            hold = null;
        }
    }

    /** {@code isActiveTempFile}: {@code X.lock} or {@code X.chroot} of a temp root X (a build in progress). */
    private boolean isActiveTempFile(String path, String suffix) {
        return path.endsWith(suffix) && tempRoots.contains(path.substring(0, path.length() - suffix.length()));
    }
}
