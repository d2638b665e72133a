package org.jguix.build.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jguix.nar.TreeDeleter;

/**
 * Chroot trees of finished builds, kept in the store directory for the next builds
 * ({@link ChrootSkeleton} says why and what may be kept). A spare is named
 * {@code .jguix-tmp-PID-chroot-N}: the collector leaves such names alone while process PID
 * lives, and deletes them once it is gone (a daemon killed with spares left).
 */
final class ChrootPool {
    /** Beyond a few builds' worth, a spare only costs disk. */
    static final int CAPACITY = 8;

    private final Path storeDir;
    private final Deque<Path> spares = new ArrayDeque<>();
    private final AtomicLong names = new AtomicLong();

    ChrootPool(Path storeDir) {
        this.storeDir = storeDir;
        // A daemon killed before it could delete its spares, whose pid this one now has (a
        // container's daemon always has the same): the collector would take them for ours.
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(storeDir, prefix() + "*")) {
            for (Path p : stale) {
                TreeDeleter.delete(p);
            }
        } catch (IOException e) {
            // left to the collector once the pid is free
        }
    }

    private static String prefix() {
        return ".jguix-tmp-" + ProcessHandle.current().pid() + "-chroot-";
    }

    /** A spare tree, now owned by the caller, or empty. */
    synchronized Optional<Path> take() {
        return Optional.ofNullable(spares.pollFirst());
    }

    /** Keeps {@code rootTop} (a chroot directory no build uses any more) as a spare, or deletes it. */
    void give(Path rootTop) throws IOException {
        synchronized (this) {
            if (spares.size() < CAPACITY) {
                Path spare = storeDir.resolve(prefix() + names.incrementAndGet());
                Files.move(rootTop, spare, StandardCopyOption.ATOMIC_MOVE);
                spares.addFirst(spare);
                return;
            }
        }
        TreeDeleter.delete(rootTop);
    }

    /** Deletes the spares (the daemon stops). */
    void clear() throws IOException {
        Path p;
        while ((p = take().orElse(null)) != null) {
            TreeDeleter.delete(p);
        }
    }
}
