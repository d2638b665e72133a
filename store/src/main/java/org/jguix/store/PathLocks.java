package org.jguix.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jguix.store.internal.KeyedMutex;
import org.jguix.store.internal.ProcessRwFileLock;
import org.jguix.store.internal.StoreErrors;

/**
 * Exclusive locks on store paths ({@code pathlocks.cc:PathLocks}), taken before writing a path so that
 * of several concurrent writers one writes and the others wait and then find the path valid.
 *
 * <p>Two layers, because jguix serves every connection from one process:
 * <ol>
 * <li>in this process, a {@link KeyedMutex} per lock file name: threads wait for each other in memory
 *     (fcntl cannot separate threads of one process, and Java forbids overlapping {@link FileLock}s);
 *     a thread re-locking what it holds gets guix's "deadlock: trying to re-acquire self-held lock";</li>
 * <li>towards other processes (another daemon, a real {@code guix gc}), guix's on-disk protocol on
 *     {@code <path>.lock}: open/create (0600), whole-file write lock (try, then print the wait message
 *     and block), and if the file is non-empty it is stale (its owner unlinked it) → reopen and retry.
 *     Unlocking with {@link Held#setDeletion} unlinks the file and writes {@code d} into it first
 *     ({@code deleteLockFile}).</li>
 * </ol>
 * Paths are locked in sorted order to avoid deadlocks. One instance per process (the in-memory table
 * is shared through a static map keyed by lock file name, like the kernel's per-process fcntl table).
 */
public final class PathLocks {
    private static final KeyedMutex<Path> IN_PROCESS = new KeyedMutex<>();

    private PathLocks() {
    }

    /** Locks held on a set of paths; {@link #close()} releases them. */
    public static final class Held implements AutoCloseable {
        private final List<Path> lockFiles = new ArrayList<>();
        private final List<FileChannel> channels = new ArrayList<>();
        private boolean deletion;

        private Held() {
        }

        /** {@code setDeletion(true)}: remove the lock files on release (done after a successful add). */
        public void setDeletion(boolean delete) {
            this.deletion = delete;
        }

        @Override
        public void close() {
            for (int i = lockFiles.size() - 1; i >= 0; i--) {
                Path lockFile = lockFiles.get(i);
                FileChannel ch = channels.get(i);
                try (ch) {
                    if (deletion) {
                        // deleteLockFile: unlink first; the "d" tells anyone who opened the old inode
                        // before the unlink that it is stale. The unlink's result is ignored, as there,
                        // and the "d" written regardless. File.delete is the bare unlink(2);
                        // Files.deleteIfExists would lstat first.
                        lockFile.toFile().delete();
                        ch.write(ByteBuffer.wrap(new byte[] {'d'}));
                    }
                } catch (IOException ignored) {
                    // "error (ignored): cannot close lock file"
                } finally {
                    IN_PROCESS.unlock(lockFile);
                }
            }
            lockFiles.clear();
            channels.clear();
        }
    }

    /**
     * Locks {@code paths} ({@code lockPaths} with {@code wait = true}); {@code waitMessage}, if not
     * empty, is passed to {@code messages} once per path that is busy.
     */
    public static Held lock(StoreLayout layout, Collection<String> paths, String waitMessage,
            Consumer<String> messages) throws IOException {
        return lock(layout, paths, waitMessage, messages, true);
    }

    /** Non-blocking variant: null (and nothing held) if any path is locked elsewhere. */
    public static Held tryLock(StoreLayout layout, Collection<String> paths) throws IOException {
        return lock(layout, paths, "", m -> { }, false);
    }

    private static Held lock(StoreLayout layout, Collection<String> paths, String waitMessage,
            Consumer<String> messages, boolean wait) throws IOException {
        Held held = new Held();
        try {
            for (String p : new TreeSet<>(paths)) {
                Path lockFile = layout.file(p + ".lock").toAbsolutePath().normalize();
                if (IN_PROCESS.heldByCurrentThread(lockFile)) {
                    throw StoreErrors.deadlock();
                }
                boolean[] warned = {false};
                Runnable onWait = () -> {
                    if (!warned[0] && !waitMessage.isEmpty()) {
                        messages.accept(waitMessage);
                    }
                    warned[0] = true;
                };
                try {
                    if (!IN_PROCESS.lock(lockFile, wait, onWait)) {
                        held.close();
                        return null;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while locking " + p);
                }
                FileChannel ch;
                try {
                    ch = lockOnDisk(lockFile, wait, onWait);
                } catch (IOException | RuntimeException e) {
                    IN_PROCESS.unlock(lockFile);
                    throw e;
                }
                if (ch == null) {
                    IN_PROCESS.unlock(lockFile);
                    held.close();
                    return null;
                }
                held.lockFiles.add(lockFile);
                held.channels.add(ch);
            }
            return held;
        } catch (IOException | RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** The fcntl half of {@code lockPaths} for one path, retrying on stale (non-empty) lock files. */
    private static FileChannel lockOnDisk(Path lockFile, boolean wait, Runnable onWait) throws IOException {
        while (true) {
            FileChannel ch = ProcessRwFileLock.openLockFile(lockFile);
            try {
                FileLock l = ch.tryLock();
                if (l == null) {
                    if (!wait) {
                        ch.close();
                        return null;
                    }
                    onWait.run();
                    ch.lock();
                }
                if (ch.size() == 0) {
                    return ch;
                }
                ch.close(); // stale: its owner deleted it after use; someone may hold a fresh one
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
    }
}
