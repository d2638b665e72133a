package org.jguix.store;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jguix.store.graph.GraphCache;
import org.jguix.store.internal.Connections;
import org.jguix.store.internal.ProcessRwFileLock;
import org.jguix.store.internal.Queries;
import org.jguix.store.internal.StoreErrors;

/**
 * The store database {@code $db/db.sqlite} as guix-daemon's {@code LocalStore} reads and writes it, for
 * a whole daemon process: open it once, share it between all sessions, close it at shutdown.
 *
 * <p>Opening ({@link #open}) does what {@code LocalStore::LocalStore} and {@code openDB} do: create the
 * state directories, take the big lock (shared, held until {@link #close}), check the {@code schema}
 * file, create the database with guix's schema if the store is new, and apply the same pragmas
 * (foreign keys, {@code synchronous = normal}, WAL, {@code wal_autocheckpoint = 40000}, 1-hour busy
 * timeout). Connections are one writer and a few readers, see {@link Connections} for why.
 *
 * <p>Every query has the semantics of the {@code LocalStore} method of the same name; errors carry
 * guix-daemon's messages ({@link StoreErrors}). Thread-safe.
 */
public final class StoreDatabase implements AutoCloseable {

    /**
     * Settings the database layer depends on.
     *
     * @param readConnections  size of the read pool (≥ 1)
     * @param fsyncMetadata    {@code fsync-metadata}: {@code synchronous = normal}, else {@code off}
     * @param useWal           {@code use-sqlite-wal}: journal mode {@code wal}, else {@code truncate}
     * @param buildUsersGid    the build users group when running as root with one (store gets 01775)
     * @param ignoreSymlinkStore {@code NIX_IGNORE_SYMLINK_STORE=1}
     * @param clock            registration and failure times
     * @param messages         where "waiting for the big store lock..." and busy warnings go
     * @param drvOutputs       reads outputs of registered {@code .drv} files
     */
    public record Options(int readConnections, boolean fsyncMetadata, boolean useWal, OptionalInt buildUsersGid,
            boolean ignoreSymlinkStore, Clock clock, Consumer<String> messages, DerivationOutputsReader drvOutputs) {
        public Options {
            if (readConnections < 1) {
                throw new IllegalArgumentException("readConnections: " + readConnections + " (expected ≥ 1)");
            }
            Objects.requireNonNull(buildUsersGid);
            Objects.requireNonNull(clock);
            messages = StoreInitialiser.orIgnore(messages);
            Objects.requireNonNull(drvOutputs);
        }

        /** guix-daemon's defaults; 4 readers; messages dropped; the given {@code .drv} reader. */
        public static Options defaults(DerivationOutputsReader drvOutputs) {
            return new Options(4, true, true, OptionalInt.empty(), false, Clock.systemUTC(), null, drvOutputs);
        }

        public Options withMessages(Consumer<String> sink) {
            return new Options(readConnections, fsyncMetadata, useWal, buildUsersGid, ignoreSymlinkStore, clock,
                    sink, drvOutputs);
        }

        public Options withClock(Clock c) {
            return new Options(readConnections, fsyncMetadata, useWal, buildUsersGid, ignoreSymlinkStore, c,
                    messages, drvOutputs);
        }

        public Options withIgnoreSymlinkStore(boolean ignore) {
            return new Options(readConnections, fsyncMetadata, useWal, buildUsersGid, ignore, clock,
                    messages, drvOutputs);
        }
    }

    private final StoreLayout layout;
    private final Options options;
    private final boolean readOnly;
    private final ProcessRwFileLock.Held bigLock;
    private final Connections db;
    private final Registration registration;
    /** The reference graph between collections; guarded by the write lock ({@link Connections#write}). */
    private final GraphCache graph = new GraphCache();

    private StoreDatabase(StoreLayout layout, Options options, boolean readOnly, ProcessRwFileLock.Held bigLock,
            Connections db) {
        this.layout = layout;
        this.options = options;
        this.readOnly = readOnly;
        this.bigLock = bigLock;
        this.db = db;
        this.registration = new Registration(layout, options.drvOutputs(), options.clock());
    }

    /** Opens (creating if new) the store described by {@code layout}. */
    public static StoreDatabase open(StoreLayout layout, Options options) throws IOException {
        StoreInitialiser.Prepared p = StoreInitialiser.prepare(layout, options);
        try {
            StoreInitialiser.checkDbDirWritable(layout.dbDir());
            Connections c = Connections.open(layout.dbDir().resolve("db.sqlite"), p.create(),
                    options.readConnections(), options.fsyncMetadata(), options.useWal(), options.messages());
            if (p.create()) {
                try {
                    StoreInitialiser.writeSchema(layout);
                } catch (IOException | RuntimeException e) {
                    c.close();
                    throw e;
                }
            }
            return new StoreDatabase(layout, options, p.readOnly(), p.bigLock(), c);
        } catch (IOException | RuntimeException e) {
            if (p.bigLock() != null) {
                p.bigLock().close();
            }
            throw e;
        }
    }

    public StoreLayout layout() {
        return layout;
    }

    /** True when the big lock could not be opened ({@code EACCES}): guix-daemon's read-only mode. */
    public boolean readOnly() {
        return readOnly;
    }

    /** {@code isValidPath}. */
    public boolean isValidPath(String path) throws StoreException {
        return db.read("querying path info", c -> Queries.isValid(c, path));
    }

    /** {@code queryValidPaths}: the subset of {@code paths} that is valid. */
    public SortedSet<String> queryValidPaths(Collection<String> paths) throws StoreException {
        return db.read("querying path info", c -> {
            SortedSet<String> out = new TreeSet<>();
            for (String p : paths) {
                if (Queries.isValid(c, p)) {
                    out.add(p);
                }
            }
            return out;
        });
    }

    /** {@code queryAllValidPaths}. */
    public SortedSet<String> queryAllValidPaths() throws StoreException {
        return db.read("querying valid paths", Queries::allValidPaths);
    }

    /** {@code queryPathInfo}: error {@code path `P' is not valid} if it is not. */
    public ValidPathInfo queryPathInfo(String path) throws StoreException {
        layout.assertStorePath(path);
        Optional<ValidPathInfo> info = queryPathInfoIfValid(path);
        if (info.isEmpty()) {
            throw StoreErrors.notValid(path);
        }
        return info.get();
    }

    /** {@code queryPathInfo} without the error: empty if {@code path} is not valid. */
    public Optional<ValidPathInfo> queryPathInfoIfValid(String path) throws StoreException {
        return db.read("querying path info", c -> {
            Queries.Row row = Queries.pathInfo(c, path);
            if (row == null) {
                return Optional.empty();
            }
            if (row.hash() == null || row.hash().indexOf(':') < 0) {
                throw StoreErrors.corruptHash(String.valueOf(row.hash()), path);
            }
            ValidPathInfo info;
            try {
                info = new ValidPathInfo(path, Optional.ofNullable(row.deriver()), row.hash(),
                        row.registrationTime(), row.narSize(), Queries.references(c, row.id()), false,
                        new TreeSet<>(), "");
            } catch (IllegalArgumentException e) {
                throw StoreErrors.corruptHash(row.hash(), path);
            }
            return Optional.of(info);
        });
    }

    /** {@code queryReferences} (via queryPathInfo: errors if not valid). */
    public SortedSet<String> queryReferences(String path) throws StoreException {
        return queryPathInfo(path).references();
    }

    /** {@code queryReferrers}: empty if {@code path} is not valid. */
    public SortedSet<String> queryReferrers(String path) throws StoreException {
        layout.assertStorePath(path);
        return db.read("querying referrers", c -> Queries.referrers(c, path));
    }

    /** {@code queryDeriver}: empty if unknown; error if {@code path} is not valid. */
    public Optional<String> queryDeriver(String path) throws StoreException {
        return queryPathInfo(path).deriver();
    }

    /** {@code queryValidDerivers}: valid derivations that list {@code outputPath} as an output. */
    public SortedSet<String> queryValidDerivers(String outputPath) throws StoreException {
        layout.assertStorePath(outputPath);
        return db.read("querying valid derivers", c -> Queries.validDerivers(c, outputPath));
    }

    /** The {@code DerivationOutputs} rows of a valid derivation: output name to path. */
    public SortedMap<String, String> queryDerivationOutputMap(String drvPath) throws StoreException {
        return db.read("querying derivation outputs", c -> {
            Queries.Row row = Queries.pathInfo(c, drvPath);
            if (row == null) {
                throw StoreErrors.notValidId(drvPath);
            }
            return Queries.derivationOutputs(c, row.id());
        });
    }

    /** {@code queryDerivationOutputs}: the output paths. */
    public SortedSet<String> queryDerivationOutputs(String drvPath) throws StoreException {
        return new TreeSet<>(queryDerivationOutputMap(drvPath).values());
    }

    /** {@code queryDerivationOutputNames}. */
    public SortedSet<String> queryDerivationOutputNames(String drvPath) throws StoreException {
        return new TreeSet<>(queryDerivationOutputMap(drvPath).keySet());
    }

    /**
     * {@code queryPathFromHashPart}: the valid path whose name starts with {@code hashPart} (32 chars,
     * else "invalid hash part"), found as the first path sorting at or after {@code $store/<hashPart>}.
     */
    public Optional<String> queryPathFromHashPart(String hashPart) throws StoreException {
        if (hashPart.length() != 32) {
            throw StoreErrors.invalidHashPart();
        }
        String prefix = layout.storeDirString() + "/" + hashPart;
        String first = db.read("querying path from hash part", c -> Queries.firstPathFrom(c, prefix));
        return first != null && first.startsWith(prefix) ? Optional.of(first) : Optional.empty();
    }

    /**
     * {@code registerValidPaths}: all of {@code infos} in one transaction (see {@link Registration}).
     * The caller must have put complete, canonical, synced content at every path first
     * ({@link StoreWriter} does).
     */
    public void registerValidPaths(List<ValidPathInfo> infos) throws StoreException {
        List<ValidPathInfo> copy = List.copyOf(infos);
        db.write("registering valid paths", c -> {
            List<GraphCache.Registered> changes = registration.run(c, copy);
            afterCommit(() -> graph.registered(changes));
            return null;
        });
    }

    /**
     * Applies a committed change to the in-memory graph. Runs after the commit: a failure here must
     * not be reported as a failed write (the caller would undo what is committed), so it only makes
     * the graph stale, and the next collection reloads it from the tables.
     */
    private void afterCommit(Runnable graphUpdate) {
        db.afterCommit(() -> {
            try {
                graphUpdate.run();
            } catch (RuntimeException e) {
                graph.invalidate();
            }
        });
    }

    /** {@code invalidatePathChecked}: refuses while other valid paths refer to {@code path}. */
    public void invalidatePathChecked(String path) throws StoreException {
        layout.assertStorePath(path);
        db.write("invalidating path", c -> {
            if (Queries.pathInfo(c, path) != null) {
                SortedSet<String> referrers = Queries.referrers(c, path);
                referrers.remove(path);
                if (!referrers.isEmpty()) {
                    throw StoreErrors.pathInUse(path, referrers);
                }
                Queries.invalidate(c, path);
                afterCommit(() -> graph.invalidated(List.of(path)));
            }
            return null;
        });
    }

    /**
     * {@code invalidatePath}, unchecked (VerifyStore handles referrers itself): the row goes, with its
     * references and derivation outputs; a remaining referrer makes SQLite refuse.
     */
    public void invalidatePath(String path) throws StoreException {
        db.write("invalidating path", c -> {
            Queries.invalidate(c, path);
            afterCommit(() -> graph.invalidated(List.of(path)));
            return null;
        });
    }

    /** {@code updatePathInfo}: a new NAR hash ({@code algo:hex}) and size for a valid path. */
    public void updatePathInfo(String path, String narHash, long narSize) throws StoreException {
        db.write("updating path info", c -> {
            Queries.updatePathInfo(c, path, narHash, narSize);
            afterCommit(() -> graph.narSizeChanged(path, narSize));
            return null;
        });
    }

    /**
     * What {@link #readGraph} reports, row by row: {@code path} for a valid path ({@code deriver} null
     * if none, {@code narSize} 0 if unknown), {@code reference} for a {@code Refs} row (self-references
     * included), {@code derivationOutput} for a {@code DerivationOutputs} row (derivation id, output path).
     */
    public interface GraphVisitor extends GraphCache.Visitor {
    }

    /**
     * The whole reference graph for the collector: first every valid path, then the {@code Refs} and
     * {@code DerivationOutputs} rows, as committed when it is called. It comes from the in-memory
     * {@link GraphCache}, which is read from the database the first time and whenever another
     * process has committed since (a held write transaction makes that check and the copy atomic
     * with this process's writes); the rows are replayed to {@code visitor} after the lock is
     * released.
     */
    public void readGraph(GraphVisitor visitor) throws StoreException {
        if (readOnly) {
            db.read("reading the reference graph", c -> {
                readTables(c, visitor::path, visitor::reference, visitor::derivationOutput);
                return null;
            });
            return;
        }
        GraphCache.Snapshot snapshot = db.write("reading the reference graph", c -> {
            long version = Queries.dataVersion(c);
            if (!graph.isCurrent(version)) {
                GraphCache.Visitor loader = graph.reload(version);
                readTables(c, loader::path, loader::reference, loader::derivationOutput);
                graph.loaded(loader);
            }
            return graph.snapshot();
        });
        snapshot.replay(visitor);
    }

    private static void readTables(org.jguix.store.internal.Handle c, Queries.PathRow paths, Queries.RefRow refs,
            Queries.OutputRow outputs) throws java.sql.SQLException {
        Queries.forEachValidPath(c, paths);
        Queries.forEachReference(c, refs);
        Queries.forEachDerivationOutput(c, outputs);
    }

    /** The collector's last question about a path, asked inside the invalidating transaction. */
    @FunctionalInterface
    public interface InvalidationCheck {
        /** Whether {@code path} may go if nothing refers to it any more. */
        boolean shouldInvalidate(String path) throws IOException;
    }

    /**
     * The collector's {@code invalidatePathChecked} for several paths in one write transaction, in the
     * given order (referrers first): each path {@code check} lets go is invalidated unless it is not
     * valid or other valid paths refer to it now (counting the earlier ones as gone). Registrations are
     * serialised with it, so a path that gains a referrer cannot be invalidated under it. Returns the
     * paths invalidated, in order; if anything fails, none is.
     */
    public List<String> invalidateEach(List<String> paths, InvalidationCheck check) throws IOException {
        for (String p : paths) {
            layout.assertStorePath(p);
        }
        List<String> copy = List.copyOf(paths);
        try {
            return db.write("invalidating path", c -> {
                List<String> gone = new ArrayList<>();
                try (Queries.Invalidation q = new Queries.Invalidation(c)) {
                    for (String path : copy) {
                        boolean go;
                        try {
                            go = check.shouldInvalidate(path);
                        } catch (IOException e) {
                            throw new CheckFailed(e);
                        }
                        if (go && q.invalidate(path) == Queries.Invalidation.Outcome.INVALIDATED) {
                            gone.add(path);
                        }
                    }
                }
                List<String> done = List.copyOf(gone);
                afterCommit(() -> graph.invalidated(done));
                return gone;
            });
        } catch (CheckFailed e) {
            throw e.cause;
        }
    }

    /** Carries the check's own failure out of the transaction (which rolls back). */
    private static final class CheckFailed extends StoreException {
        private static final long serialVersionUID = 1L;
        private final transient IOException cause;

        CheckFailed(IOException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }

    /** {@code registerFailedPath} ({@code insert or ignore}, time = now). */
    public void registerFailedPath(String path) throws StoreException {
        long now = options.clock().instant().getEpochSecond();
        db.write("registering failed path", c -> {
            Queries.registerFailed(c, path, now);
            return null;
        });
    }

    /** {@code hasPathFailed}. */
    public boolean hasPathFailed(String path) throws StoreException {
        return db.read("querying failed path", c -> Queries.hasFailed(c, path));
    }

    /** {@code queryFailedPaths}. */
    public SortedSet<String> queryFailedPaths() throws StoreException {
        return db.read("querying failed paths", Queries::failedPaths);
    }

    /** {@code clearFailedPaths}: {@code *} clears all; a derivation also clears its outputs. */
    public void clearFailedPaths(Collection<String> paths) throws StoreException {
        List<String> copy = List.copyOf(paths);
        db.write("clearing failed paths", c -> {
            Queries.clearFailed(c, copy);
            return null;
        });
    }

    /** Closes the connections (SQLite checkpoints and removes the WAL) and releases the big lock. */
    @Override
    public void close() throws IOException {
        try {
            db.close();
        } finally {
            if (bigLock != null) {
                bigLock.close();
            }
        }
    }
}
