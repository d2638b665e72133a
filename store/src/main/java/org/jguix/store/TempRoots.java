package org.jguix.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jguix.store.internal.ProcessRwFileLock;

/**
 * Temporary GC roots: store paths a connection is using that must survive a collection although they
 * may not be valid (yet) or reachable ({@code gc.cc:LocalStore::addTempRoot}).
 *
 * <p><b>In memory</b>, per connection: each {@link Session} holds its roots. jguix's own collector
 * does not freeze them: it {@link #watch()}es them (the union now, then every addition) and blocks
 * additions only for the instant it removes one path ({@link Watch#hold()}), so adds go on while it
 * collects. {@link #freeze()} blocks additions for as long as it is held, as a C++ collector's read
 * lock blocks {@code addTempRoot}.
 *
 * <p><b>On disk</b>, for other processes (a real {@code guix gc}, another daemon): guix expects one file
 * per connection <em>process</em>, {@code $state/temproots/<pid>}, NUL-terminated paths, and decides
 * liveness by fcntl locks, which are per process. jguix is one process, so it keeps <b>one file for the
 * whole process</b> holding the union of all sessions' roots — exactly what a guix collector would
 * compute from per-connection files. The file is created on first use under the shared GC lock, any
 * stale file of the same pid being deleted first. The locks are split by byte range because Java
 * cannot upgrade a lock in place: a shared lock on byte 2<sup>62</sup> is held for the file's lifetime
 * (a collector's non-blocking whole-file write lock fails on it, so we are alive), and each append
 * takes an exclusive lock on [0, 2<sup>62</sup>) (blocking while a collector holds its whole-file read
 * lock, i.e. during its marking). When sessions close and many written roots are no longer held, the
 * file is rewritten under the same exclusive lock. {@link #close()} unlinks it, like
 * {@code ~LocalStore}.
 *
 * <p><b>Never open this file anywhere else in the process</b> (jguix's own collector must skip it when
 * reading {@code temproots/}): closing any descriptor of a file drops all of the process's fcntl
 * locks on it, and other processes would then see the file as stale and delete it.
 */
public final class TempRoots implements AutoCloseable {
    private static final long LIVENESS_BYTE = 1L << 62;
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path file;
    private final GcLock gcLock;
    private final ReentrantLock mutex = new ReentrantLock();
    private final Condition thawed = mutex.newCondition();
    private final Map<String, Integer> held = new HashMap<>();
    private final Set<String> inFile = new HashSet<>();
    private final List<Watch> watches = new ArrayList<>();
    private boolean frozen;
    private FileChannel channel;
    private FileLock liveness;

    private TempRoots(StoreLayout layout, GcLock gcLock) {
        this.dir = layout.stateDir().resolve("temproots");
        this.file = dir.resolve(Long.toString(ProcessHandle.current().pid())).toAbsolutePath().normalize();
        this.gcLock = gcLock;
    }

    /** The process's temp roots for {@code layout}; one open instance per state directory. */
    public static TempRoots open(StoreLayout layout, GcLock gcLock) {
        TempRoots t = new TempRoots(layout, gcLock);
        if (!OPEN.add(t.file)) {
            throw new IllegalStateException("temp roots already open in this process: " + t.file);
        }
        return t;
    }

    /** The on-disk file ({@code temproots/<pid>}). */
    public Path file() {
        return file;
    }

    /** A connection's temp roots; closing drops them. */
    public final class Session implements AutoCloseable {
        private final Set<String> mine = new HashSet<>();

        private Session() {
        }

        /** {@code addTempRoot}: blocks while a collection (ours or another process's) is marking. */
        public void add(String storePath) throws IOException {
            mutex.lock();
            try {
                while (frozen) {
                    thawed.awaitUninterruptibly();
                }
                if (mine.add(storePath)) {
                    held.merge(storePath, 1, Integer::sum);
                }
                for (Watch w : watches) {
                    w.added.add(storePath);
                }
                if (!inFile.contains(storePath)) {
                    append(storePath);
                    inFile.add(storePath);
                }
            } finally {
                mutex.unlock();
            }
        }

        public SortedSet<String> roots() {
            mutex.lock();
            try {
                return Collections.unmodifiableSortedSet(new TreeSet<>(mine));
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            mutex.lock();
            try {
                for (String p : mine) {
                    held.computeIfPresent(p, (k, n) -> n == 1 ? null : n - 1);
                }
                mine.clear();
                if (channel != null && inFile.size() > 2 * held.size() + 64) {
                    rewrite();
                }
            } finally {
                mutex.unlock();
            }
        }
    }

    public Session newSession() {
        return new Session();
    }

    /** The roots of all sessions, frozen: additions wait until the returned hold is closed. */
    public interface Frozen extends AutoCloseable {
        SortedSet<String> roots();

        @Override
        void close();
    }

    /** For jguix's own collector, after taking the GC lock exclusively. */
    public Frozen freeze() {
        mutex.lock();
        try {
            while (frozen) {
                thawed.awaitUninterruptibly();
            }
            frozen = true;
            SortedSet<String> snapshot = Collections.unmodifiableSortedSet(new TreeSet<>(held.keySet()));
            return new Frozen() {
                private boolean closed;

                @Override
                public SortedSet<String> roots() {
                    return snapshot;
                }

                @Override
                public void close() {
                    mutex.lock();
                    try {
                        if (!closed) {
                            closed = true;
                            frozen = false;
                            thawed.signalAll();
                        }
                    } finally {
                        mutex.unlock();
                    }
                }
            };
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Creates the on-disk file now if no root did yet. jguix's collector calls it before taking the
     * GC lock exclusively, since creating the file takes that lock shared.
     */
    public void ensureFile() throws IOException {
        mutex.lock();
        try {
            if (channel == null) {
                create();
            }
        } finally {
            mutex.unlock();
        }
    }

    /**
     * For jguix's collector, which lets sessions add roots while it runs instead of freezing them:
     * the roots held now, and from now on every root added. Close it when the collection ends.
     */
    public Watch watch() {
        mutex.lock();
        try {
            Watch w = new Watch(new TreeSet<>(held.keySet()));
            watches.add(w);
            return w;
        } finally {
            mutex.unlock();
        }
    }

    /** See {@link #watch()}. */
    public final class Watch implements AutoCloseable {
        private final SortedSet<String> initial;
        private final List<String> added = new ArrayList<>();

        private Watch(SortedSet<String> initial) {
            this.initial = Collections.unmodifiableSortedSet(initial);
        }

        /** The roots held by all sessions when the watch began. */
        public SortedSet<String> initial() {
            return initial;
        }

        /**
         * Blocks additions until the hold is closed, by the same thread; {@link Hold#added()} lists
         * the roots added since the previous hold (or the watch's start). A collector decides and
         * deletes one path inside a hold, so that a root added concurrently is either seen before the
         * decision or added after the path is gone (and then recreated by its writer).
         */
        public Hold hold() {
            mutex.lock();
            List<String> copy = new ArrayList<>(added);
            added.clear();
            return new Hold(copy);
        }

        /** Additions seen since the last call, without blocking further ones (no hold taken). */
        public List<String> drain() {
            try (Hold h = hold()) {
                return h.added();
            }
        }

        @Override
        public void close() {
            mutex.lock();
            try {
                watches.remove(this);
            } finally {
                mutex.unlock();
            }
        }
    }

    /** See {@link Watch#hold()}. */
    public final class Hold implements AutoCloseable {
        private final List<String> added;
        private boolean closed;

        private Hold(List<String> added) {
            this.added = Collections.unmodifiableList(added);
        }

        public List<String> added() {
            return added;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                mutex.unlock();
            }
        }
    }

    private void append(String storePath) throws IOException {
        if (channel == null) {
            create();
        }
        FileLock data = channel.lock(0, LIVENESS_BYTE, false);
        try {
            channel.write(ByteBuffer.wrap((storePath + "\0").getBytes(StandardCharsets.UTF_8)), channel.size());
        } finally {
            data.release();
        }
    }

    private void rewrite() throws IOException {
        FileLock data = channel.lock(0, LIVENESS_BYTE, false);
        try {
            channel.truncate(0);
            StringBuilder s = new StringBuilder();
            for (String p : new TreeSet<>(held.keySet())) {
                s.append(p).append('\0');
            }
            channel.write(ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.UTF_8)), 0);
        } finally {
            data.release();
        }
        inFile.clear();
        inFile.addAll(held.keySet());
    }

    /** First use: the creation loop of {@code addTempRoot}. */
    private void create() throws IOException {
        while (true) {
            Files.createDirectories(dir);
            FileChannel ch;
            FileLock live;
            GcLock.Hold gc = gcLock.shared();
            try {
                Files.deleteIfExists(file); // must be stale: pids are unique
                ch = ProcessRwFileLock.openLockFile(file);
                try {
                    live = ch.lock(LIVENESS_BYTE, 1, true);
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
            } finally {
                gc.close();
            }
            if (ch.size() == 0) {
                channel = ch;
                liveness = live;
                return;
            }
            ch.close(); // a collector marked it stale in between: try again
        }
    }

    /** Unlinks the file and releases its locks ({@code ~LocalStore}). */
    @Override
    public void close() throws IOException {
        mutex.lock();
        try {
            if (channel != null) {
                Files.deleteIfExists(file);
                liveness.release();
                channel.close();
                channel = null;
            }
        } finally {
            OPEN.remove(file);
            mutex.unlock();
        }
    }
}
