package org.jguix.store.gc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jguix.store.GcLock;
import org.jguix.store.GcRoots;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;
import org.jguix.store.TempRoots;
import org.jguix.store.optimise.Links;

/**
 * {@code LocalStore::collectGarbage}, one per store; collections in this process run one at a time.
 * See the package documentation for the steps and what differs from guix-daemon.
 */
public final class GarbageCollector {
    private final StoreDatabase db;
    private final GcLock gcLock;
    private final TempRoots tempRoots;
    private final GcRoots gcRoots;
    private final Links links;
    private final boolean autoOptimise;
    private final Path proc;
    private final ReentrantLock collecting = new ReentrantLock(true);

    /**
     * @param autoOptimise {@code auto-optimise-store}: store files have a second link in
     *                     {@code .links}, which deletion takes into account when counting bytes
     * @param proc         where running processes are listed ({@code /proc}), for the busy roots
     */
    public GarbageCollector(StoreDatabase db, GcLock gcLock, TempRoots tempRoots, GcRoots gcRoots, Links links,
            boolean autoOptimise, Path proc) {
        this.db = db;
        this.gcLock = gcLock;
        this.tempRoots = tempRoots;
        this.gcRoots = gcRoots;
        this.links = links;
        this.autoOptimise = autoOptimise;
        this.proc = proc;
    }

    /** Collects as {@code options} says, printing guix-daemon's messages to {@code log}. */
    public GcResult collect(GcOptions options, StoreLog log) throws IOException {
        if (!collecting.tryLock()) {
            log.error("waiting for the big garbage collector lock..."); // openGCLock's words
            collecting.lock();
        }
        try {
            tempRoots.ensureFile();
            try (TempRoots.Watch watch = tempRoots.watch(); Unlinker unlinker = new Unlinker()) {
                return collect(options, log, watch, unlinker);
            }
        } finally {
            collecting.unlock();
        }
    }

    @SuppressWarnings("try") // the exclusive hold is what the block needs, not a value
    private GcResult collect(GcOptions options, StoreLog log, TempRoots.Watch watch, Unlinker unlinker)
            throws IOException {
        GcAction action = options.action();
        StoreLayout layout = db.layout();
        // deleteGarbage's threshold: a store file's second link is its .links entry under auto-optimise
        Trash trash = new Trash(layout, log, autoOptimise ? 2 : 1);
        Sweep sweep;
        try (GcLock.Hold exclusive = gcLock.exclusive()) {
            log.error("finding garbage collector roots...");
            // The graph first: it answers "is this root valid?" without a query per root.
            StoreGraph graph = StoreGraph.load(db, options.keepOutputs(), options.keepDerivations());
            GcRoots.Validity valid = p -> graph.indexOf(p) >= 0 || db.isValidPath(p);
            Set<String> roots = new HashSet<>(gcRoots.findRoots(valid, log::info).values());
            roots.addAll(RuntimeRoots.find(proc, layout, valid));
            try (ForeignTempRoots foreign = ForeignTempRoots.read(layout, tempRoots.file(), log)) {
                Set<String> temp = new HashSet<>(foreign.roots());
                temp.addAll(watch.initial());
                Liveness liveness = new Liveness(graph, db, options);
                for (String r : roots) {
                    liveness.addRoot(r);
                }
                for (String r : temp) {
                    liveness.addRoot(r);
                }
                sweep = new Sweep(layout, db, graph, liveness, temp, watch, options, log, trash, unlinker,
                        links.storePath());
                sweep.absorb(watch.drain());
                if (action.deletes()) {
                    trash.prepare();
                }
                if (action == GcAction.DELETE_SPECIFIC) {
                    deleteSpecific(options, layout, sweep);
                } else if (options.maxFreed() != 0) {
                    log.error(action.deletes() ? "deleting garbage..." : "determining live/dead paths...");
                    sweep.scan();
                }
                if (action == GcAction.RETURN_LIVE) {
                    return new GcResult(sweep.alive(), 0);
                }
                if (action == GcAction.RETURN_DEAD) {
                    return new GcResult(sweep.dead(), 0);
                }
            }
        }
        // Other processes may add to the store again; the trash is ours alone.
        log.info("deleting `" + layout.storeDirString() + "/trash'");
        unlinker.await();
        trash.empty();
        if (action.deletes()) {
            log.error("deleting unused links...");
            trash.addFreed(links.removeUnused(log));
        }
        return new GcResult(action.deletes() ? sweep.deleted() : new TreeSet<>(), trash.bytesFreed());
    }

    private static void deleteSpecific(GcOptions options, StoreLayout layout, Sweep sweep) throws IOException {
        try {
            for (String p : options.pathsToDelete()) {
                layout.assertStorePath(p);
                sweep.tryToDelete(p);
                if (!sweep.isDead(p)) {
                    throw new StoreException("cannot delete path `" + p + "' since it is still alive");
                }
            }
        } catch (Sweep.LimitReached e) {
            // guix-daemon lets this escape; stopping is what was asked for
        }
    }
}
