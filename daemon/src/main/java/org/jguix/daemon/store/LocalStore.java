package org.jguix.daemon.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.jguix.nar.StoreCanonicaliser;
import org.jguix.store.GcLock;
import org.jguix.store.GcRoots;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;
import org.jguix.store.StoreWriter;
import org.jguix.store.TempRoots;
import org.jguix.store.gc.GarbageCollector;
import org.jguix.store.optimise.Links;
import org.jguix.store.optimise.Optimiser;
import org.jguix.store.verify.Verifier;

/**
 * The local store as one daemon component, shared by all sessions: the database (which holds the
 * big lock), the GC lock, the process's temp roots, the permanent roots and the writer. guix-daemon
 * opens a {@code LocalStore} per connection; jguix opens it once at start and closes it at
 * shutdown. {@link #open} starts the parts in order and unwinds what started if a later part fails;
 * {@link #close} stops them in reverse (style point 26).
 */
public final class LocalStore implements AutoCloseable {
    /**
     * How to open the store.
     *
     * @param layout             where it lives
     * @param clock              registration times
     * @param uid                owner of canonicalised store files (the daemon's euid)
     * @param gid                their group (the daemon's egid)
     * @param buildUsersGid      the build users group, when root runs with one (the store gets 01775)
     * @param fsyncMetadata      {@code fsync-metadata}
     * @param useWal             {@code use-sqlite-wal}
     * @param ignoreSymlinkStore {@code NIX_IGNORE_SYMLINK_STORE=1}
     * @param messages           daemon log sink for store-level messages outside any session
     * @param autoOptimise       {@code auto-optimise-store}: deduplicate new items into {@code .links}
     * @param proc               where the collector looks for busy store items ({@code /proc}; tests that
     *                           collect thousands of times give an empty directory)
     */
    public record Config(StoreLayout layout, Clock clock, int uid, int gid, OptionalInt buildUsersGid,
            boolean fsyncMetadata, boolean useWal, boolean ignoreSymlinkStore, Consumer<String> messages,
            boolean autoOptimise, Path proc) {
        public Config(StoreLayout layout, Clock clock, int uid, int gid, OptionalInt buildUsersGid,
                boolean fsyncMetadata, boolean useWal, boolean ignoreSymlinkStore, Consumer<String> messages,
                boolean autoOptimise) {
            this(layout, clock, uid, gid, buildUsersGid, fsyncMetadata, useWal, ignoreSymlinkStore, messages,
                    autoOptimise, Path.of("/proc"));
        }

        public Config withProc(Path p) {
            return new Config(layout, clock, uid, gid, buildUsersGid, fsyncMetadata, useWal, ignoreSymlinkStore,
                    messages, autoOptimise, p);
        }

        /** With guix-daemon's default, auto-optimise on. */
        public Config(StoreLayout layout, Clock clock, int uid, int gid, OptionalInt buildUsersGid,
                boolean fsyncMetadata, boolean useWal, boolean ignoreSymlinkStore, Consumer<String> messages) {
            this(layout, clock, uid, gid, buildUsersGid, fsyncMetadata, useWal, ignoreSymlinkStore, messages, true);
        }
    }

    private final StoreLayout layout;
    private final StoreDatabase db;
    private final GcLock gcLock;
    private final TempRoots tempRoots;
    private final GcRoots gcRoots;
    private final StoreWriter writer;
    private final Optimiser optimiser;
    private final GarbageCollector collector;
    private final Verifier verifier;

    private LocalStore(StoreLayout layout, StoreDatabase db, GcLock gcLock, TempRoots tempRoots,
            StoreWriter writer, Optimiser optimiser, boolean autoOptimise, Path proc) {
        this.layout = layout;
        this.db = db;
        this.gcLock = gcLock;
        this.tempRoots = tempRoots;
        this.gcRoots = new GcRoots(layout);
        this.writer = writer;
        this.optimiser = optimiser;
        this.collector = new GarbageCollector(db, gcLock, tempRoots, gcRoots, optimiser.links(), autoOptimise,
                proc);
        this.verifier = new Verifier(db, gcLock, Verifier.withoutSubstitutes(db));
    }

    /** Opens the database, removes temporaries of dead jguix processes, opens the temp roots. */
    public static LocalStore open(Config config) throws IOException {
        StoreLayout layout = config.layout();
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            StoreDatabase.Options options = new StoreDatabase.Options(4, config.fsyncMetadata(), config.useWal(),
                    config.buildUsersGid(), config.ignoreSymlinkStore(), config.clock(), config.messages(),
                    new ParsedDerivationOutputs(layout));
            StoreDatabase db = StoreDatabase.open(layout, options);
            started.push(db);
            StoreWriter.removeStaleTemporaries(layout);
            GcLock gcLock = new GcLock(layout, config.messages());
            TempRoots tempRoots = TempRoots.open(layout, gcLock);
            started.push(tempRoots);
            Consumer<String> messages = config.messages() == null ? m -> { } : config.messages();
            Optimiser optimiser = new Optimiser(layout, new Links(layout), (level, text) -> {
                if (level <= StoreLog.INFO) {
                    messages.accept(text);
                }
            });
            StoreWriter writer = new StoreWriter(db, new StoreCanonicaliser(config.uid(), config.gid()),
                    config.messages(), config.autoOptimise() ? optimiser : StoreWriter.Deduplication.NONE);
            return new LocalStore(layout, db, gcLock, tempRoots, writer, optimiser, config.autoOptimise(),
                    config.proc());
        } catch (IOException | RuntimeException e) {
            unwind(started, e);
            throw e;
        }
    }

    private static void unwind(Deque<AutoCloseable> started, Exception failure) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    public StoreLayout layout() {
        return layout;
    }

    public StoreDatabase db() {
        return db;
    }

    public GcLock gcLock() {
        return gcLock;
    }

    public TempRoots tempRoots() {
        return tempRoots;
    }

    public GcRoots gcRoots() {
        return gcRoots;
    }

    public StoreWriter writer() {
        return writer;
    }

    /** Deduplication through {@code .links} (OptimiseStore). */
    public Optimiser optimiser() {
        return optimiser;
    }

    /** VerifyStore. */
    public Verifier verifier() {
        return verifier;
    }

    /** The garbage collector (CollectGarbage). */
    public GarbageCollector collector() {
        return collector;
    }

    /** Closes the temp roots (unlinking their file), then the database (checkpoint, big lock). */
    @Override
    public void close() throws IOException {
        IOException first = null;
        try {
            tempRoots.close();
        } catch (IOException e) {
            first = e;
        }
        try {
            db.close();
        } catch (IOException e) {
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
