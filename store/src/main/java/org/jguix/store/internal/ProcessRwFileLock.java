package org.jguix.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A reader/writer lock on a file that is shared between the threads of this process and, through one
 * whole-file fcntl lock, with other processes — for the files guix-daemon locks for a long time in
 * shared mode: {@code $db/big-lock} ({@code LocalStore::LocalStore}) and {@code $state/gc.lock}
 * ({@code LocalStore::openGCLock}).
 *
 * <p><b>Why a process-wide registry.</b> fcntl locks belong to the process, not to a descriptor or a
 * thread: a second lock by the same process silently converts the first, closing any descriptor of the
 * file drops all of them, and Java refuses overlapping {@link FileLock}s within one JVM
 * ({@code OverlappingFileLockException}). guix-daemon could ignore this because each connection is a
 * process. jguix serves all connections from one process, so the state that mirrors the kernel's
 * per-process lock must itself be per process: {@link #of(Path)} returns the single instance for a file.
 * This is the one deliberate global of the store module.
 *
 * <p>In this process: any number of shared holders or one exclusive holder, with no thread ownership
 * (a holder may release from another thread). Towards other processes: while there are shared holders
 * the process holds one shared fcntl lock; while there is an exclusive holder, an exclusive one. The
 * descriptor is opened ({@code O_RDWR|O_CREAT}, mode 0600 as {@code openLockFile}) on the first
 * acquisition and closed when the last holder releases, which also drops the fcntl lock.
 */
public final class ProcessRwFileLock {
    private static final ConcurrentHashMap<Path, ProcessRwFileLock> ALL = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock mutex = new ReentrantLock();
    private final Condition released = mutex.newCondition();
    private int readers;
    private boolean writer;
    private FileChannel channel;
    private FileLock fcntl;

    private ProcessRwFileLock(Path file) {
        this.file = file;
    }

    /** The process's lock for {@code file} (keyed by the absolute, normalised name; links not resolved). */
    public static ProcessRwFileLock of(Path file) {
        return ALL.computeIfAbsent(file.toAbsolutePath().normalize(), ProcessRwFileLock::new);
    }

    /** One acquisition; {@link #close()} releases it (idempotent). */
    public final class Held implements AutoCloseable {
        private final boolean shared;
        private boolean closed;

        private Held(boolean shared) {
            this.shared = shared;
        }

        @Override
        public void close() throws IOException {
            mutex.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (shared) {
                    readers--;
                } else {
                    writer = false;
                }
                if (readers == 0 && !writer) {
                    FileChannel c = channel;
                    channel = null;
                    fcntl = null;
                    c.close(); // releases the fcntl lock
                }
                released.signalAll();
            } finally {
                mutex.unlock();
            }
        }
    }

    /**
     * Acquires the lock, blocking; {@code onWait} runs once (before blocking) if the lock is not free,
     * whether the holder is a thread of this process or another process — guix-daemon prints its
     * "waiting for ..." message in both cases, since there both are other processes.
     */
    public Held acquire(boolean shared, Runnable onWait) throws IOException {
        boolean warned = false;
        try {
            mutex.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while locking " + file);
        }
        try {
            while (writer || (!shared && readers > 0)) {
                if (!warned) {
                    onWait.run();
                    warned = true;
                }
                released.awaitUninterruptibly();
            }
            // Mutex held while waiting on fcntl: in-process holders never need the mutex in this state
            // (none exist when we reach the kernel), so this cannot deadlock.
            if (readers == 0) {
                channel = openLockFile(file);
                try {
                    fcntl = channel.tryLock(0, Long.MAX_VALUE, shared);
                    if (fcntl == null) {
                        if (!warned) {
                            onWait.run();
                        }
                        fcntl = channel.lock(0, Long.MAX_VALUE, shared);
                    }
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    channel = null;
                    throw e;
                }
            }
            if (shared) {
                readers++;
            } else {
                writer = true;
            }
            return new Held(shared);
        } finally {
            mutex.unlock();
        }
    }

    /** Non-blocking variant: null if the lock is held elsewhere (in this process or another). */
    public Held tryAcquire(boolean shared) throws IOException {
        mutex.lock();
        try {
            if (writer || (!shared && readers > 0)) {
                return null;
            }
            if (readers == 0) {
                FileChannel c = openLockFile(file);
                FileLock l;
                try {
                    l = c.tryLock(0, Long.MAX_VALUE, shared);
                } catch (IOException | RuntimeException e) {
                    c.close();
                    throw e;
                }
                if (l == null) {
                    c.close();
                    return null;
                }
                channel = c;
                fcntl = l;
            }
            if (shared) {
                readers++;
            } else {
                writer = true;
            }
            return new Held(shared);
        } finally {
            mutex.unlock();
        }
    }

    /** {@code pathlocks.cc:openLockFile}: {@code O_RDWR|O_CREAT}, mode 0600 (before the umask). */
    public static FileChannel openLockFile(Path file) throws IOException {
        return FileChannel.open(file, java.util.Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
    }
}
