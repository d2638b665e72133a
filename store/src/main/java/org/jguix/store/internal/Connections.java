package org.jguix.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jguix.store.StoreException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * The SQLite handles of one store database in this process: <b>one writer connection behind a fair
 * lock, plus a small fixed pool of read-only connections</b>, handed out last-in first-out.
 *
 * <p>Why this shape: jguix serves every client from one process on many virtual threads, while
 * guix-daemon gives each client a process with its own handle. A handle per session would make
 * concurrent writers contend through SQLite's file locks, which SQLite resolves by sleeping and polling
 * in its busy handler (unfair and slow under load), and would cost a page cache per client. A single
 * writer serialised by an in-process fair lock hands the write over FIFO without polling; in WAL mode
 * readers never block it nor are blocked by it, so queries from other sessions proceed on the read
 * pool. Other processes (a real guix-daemon, Guile's {@code register-items}) still meet us through
 * SQLite's own locking and the busy timeout.
 *
 * <p>Reads issued by the thread that holds the writer (inside a registration) run on the writer, so
 * they see the transaction's own uncommitted rows. Every entry point retries on {@code SQLITE_BUSY} /
 * {@code SQLITE_PROTOCOL} like {@code sqlite.hh:retrySQLite} (warn once, sleep 0–99 ms, retry).
 */
public final class Connections implements AutoCloseable {
    /** {@code sqlite3_busy_timeout(db, 60 * 60 * 1000)} in {@code LocalStore::openDB}. */
    public static final int BUSY_TIMEOUT_MS = 60 * 60 * 1000;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_PROTOCOL = 15;

    /** Work on one connection; may be run more than once (retry on busy). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle c) throws SQLException, StoreException;
    }

    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Handle writer;
    private final BlockingDeque<Handle> readers;
    private final List<Handle> all = new ArrayList<>();
    private final Consumer<String> messages;
    private volatile boolean warnedBusy;
    /** What the transaction running now asked to do once it has committed (guarded by writeLock). */
    private final List<Runnable> afterCommit = new ArrayList<>();

    private Connections(Handle writer, List<Handle> readers, Consumer<String> messages) {
        this.writer = writer;
        this.readers = new LinkedBlockingDeque<>(readers);
        this.all.add(writer);
        this.all.addAll(readers);
        this.messages = messages;
    }

    /**
     * {@code LocalStore::openDB}: opens {@code dbFile} (creating it only if {@code create}), applies the
     * daemon's pragmas, runs the schema script when creating, then opens {@code readerCount} readers.
     */
    public static Connections open(Path dbFile, boolean create, int readerCount, boolean fsyncMetadata,
            boolean useWal, Consumer<String> messages) throws StoreException {
        List<Connection> opened = new ArrayList<>();
        try {
            Connection w = connect(dbFile, create, false);
            opened.add(w);
            try (Statement s = w.createStatement()) {
                String context = "enabling foreign keys";
                try {
                    s.execute("pragma foreign_keys = 1;");
                    context = "setting synchronous mode";
                    s.execute("pragma synchronous = " + (fsyncMetadata ? "normal" : "off") + ";");
                    context = "querying journal mode";
                    String mode = useWal ? "wal" : "truncate";
                    String prev;
                    try (ResultSet r = s.executeQuery("pragma main.journal_mode;")) {
                        prev = r.next() ? r.getString(1) : "";
                    }
                    context = "setting journal mode";
                    if (!prev.equals(mode)) {
                        s.execute("pragma main.journal_mode = " + mode + ";");
                    }
                    context = "setting autocheckpoint interval";
                    if (useWal) {
                        s.execute("pragma wal_autocheckpoint = 40000;");
                    }
                    if (create) {
                        context = "initialising database schema";
                        // sqlite3_exec of the whole script, exactly as openDB does (sqlite-jdbc's
                        // DB.exec would run only the first statement; _exec is sqlite3_exec).
                        org.sqlite.core.DB raw = w.unwrap(SQLiteConnection.class).getDatabase();
                        int rc = raw._exec(Schema.sql());
                        if (rc != 0) {
                            raw.throwex(rc);
                        }
                    }
                } catch (SQLException e) {
                    throw StoreErrors.sqlite(context, e.getMessage(), e);
                }
            }
            List<Handle> rs = new ArrayList<>();
            for (int i = 0; i < readerCount; i++) {
                Connection r = connect(dbFile, false, true);
                opened.add(r);
                rs.add(new Handle(r));
            }
            return new Connections(new Handle(w), rs, messages);
        } catch (StoreException | RuntimeException e) {
            for (Connection c : opened) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // already failing; the first error is the one to report
                }
            }
            throw e;
        } catch (SQLException e) {
            throw StoreErrors.sqlite("opening connection", e.getMessage(), e);
        }
    }

    private static Connection connect(Path dbFile, boolean create, boolean queryOnly) throws StoreException {
        SQLiteConfig cfg = new SQLiteConfig();
        if (!create) {
            cfg.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection c;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + dbFile, cfg.toProperties());
        } catch (SQLException e) {
            throw StoreErrors.cannotOpenDb(dbFile, e);
        }
        if (queryOnly) {
            try (Statement s = c.createStatement()) {
                s.execute("pragma query_only = 1;");
            } catch (SQLException e) {
                throw StoreErrors.sqlite("opening read connection", e.getMessage(), e);
            }
        }
        return c;
    }

    /** Runs a read-only query (on the writer if this thread holds it, else on a pooled reader). */
    public <T> T read(String context, Work<T> work) throws StoreException {
        if (writeLock.isHeldByCurrentThread()) {
            return retry(context, () -> work.run(writer));
        }
        // Last in, first out: the reader used most recently has the warmest page cache. Each reader's
        // cache is checked against the WAL at the start of every read and pages changed since are read
        // again, so taking them in turn (FIFO) made every query of a busy connection re-read the pages
        // the others' writes had touched (three pread64 per IsValidPath right after an add).
        Handle c;
        try {
            c = readers.takeFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(context + ": interrupted");
        }
        try {
            return retry(context, () -> work.run(c));
        } finally {
            readers.addFirst(c);
        }
    }

    /**
     * Runs {@code action} once the write transaction of the calling thread has committed, before the
     * write lock is released (so in commit order); not at all if it rolls back. Only inside
     * {@link #write}. An unchecked exception from it is logged, never thrown: the write succeeded.
     */
    public void afterCommit(Runnable action) {
        if (!writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("afterCommit outside a write transaction");
        }
        afterCommit.add(action);
    }

    /**
     * Runs {@code work} in one write transaction ({@code begin immediate}: the write lock is taken up
     * front so it cannot fail half-way on a read-to-write upgrade), committed if {@code work} returns,
     * rolled back if it throws. A nested call from inside a transaction joins it.
     */
    public <T> T write(String context, Work<T> work) throws StoreException {
        if (writeLock.isHeldByCurrentThread()) {
            return retry(context, () -> work.run(writer));
        }
        writeLock.lock();
        try {
            T result = retry(context, () -> {
                Connection raw = writer.connection();
                afterCommit.clear();
                raw.setAutoCommit(false); // sqlite-jdbc issues "begin immediate;"
                boolean done = false;
                try {
                    T r = work.run(writer);
                    raw.commit();
                    done = true;
                    return r;
                } finally {
                    if (!done) {
                        rollbackQuietly();
                    }
                    raw.setAutoCommit(true);
                }
            });
            for (Runnable a : afterCommit) {
                try {
                    a.run();
                } catch (RuntimeException e) {
                    // committed: the caller must not see a failure and undo what is now valid
                    messages.accept("warning: after committing (" + context + "): " + e);
                }
            }
            return result;
        } finally {
            afterCommit.clear();
            writeLock.unlock();
        }
    }

    private void rollbackQuietly() {
        try {
            writer.connection().rollback();
        } catch (SQLException ignored) {
            // the transaction is gone either way; the original error is reported
        }
    }

    private interface Attempt<T> {
        T run() throws SQLException, StoreException;
    }

    private <T> T retry(String context, Attempt<T> attempt) throws StoreException {
        while (true) {
            try {
                return attempt.run();
            } catch (SQLException e) {
                int code = e.getErrorCode() & 0xff;
                if (code != SQLITE_BUSY && code != SQLITE_PROTOCOL) {
                    throw StoreErrors.sqlite(context, e.getMessage(), e);
                }
                if (!warnedBusy) {
                    warnedBusy = true;
                    messages.accept(StoreErrors.SQLITE_BUSY);
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(100));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw StoreErrors.sqlite(context, e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void close() throws StoreException {
        writeLock.lock();
        try {
            SQLException first = null;
            for (Handle c : all) {
                try {
                    c.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw StoreErrors.sqlite("closing database", first.getMessage(), first);
            }
        } finally {
            writeLock.unlock();
        }
    }
}
