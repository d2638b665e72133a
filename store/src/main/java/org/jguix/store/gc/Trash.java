package org.jguix.store.gc;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;
import org.jguix.store.optimise.ShowBytes;

/**
 * The file-system half of deletion and the byte counts ({@code GCState}'s {@code trashDir},
 * {@code moveToTrash}, {@code bytesFreed}, {@code bytesInvalidated}). Everything leaves the store
 * directory by a rename into {@code $store/trash} — atomic, so it can be freed without holding
 * anything. A directory's NAR size counts as "invalidated" meanwhile and the trash, deleted at the
 * end, counts its bytes; a file is counted at once, as guix-daemon (which unlinks it at once) counts
 * it, and an {@link Unlinker} frees it while the collection goes on. So the figures and messages are
 * guix-daemon's, and only the wait for the disk moves.
 */
final class Trash {
    private final StoreLayout layout;
    private final StoreLog log;
    private final int linkThreshold;
    private final String trashPath;
    private final Path trash;
    private boolean moveToTrash = true;
    private long bytesFreed;
    private long bytesInvalidated;

    Trash(StoreLayout layout, StoreLog log, int linkThreshold) {
        this.layout = layout;
        this.log = log;
        this.linkThreshold = linkThreshold;
        this.trashPath = layout.storeDirString() + "/trash";
        this.trash = layout.file(trashPath);
    }

    /** {@code $store/trash}, which the scan skips. */
    String path() {
        return trashPath;
    }

    long bytesFreed() {
        return bytesFreed;
    }

    /** Freed or moved to the trash: what a {@code maxFreed} limit compares. */
    long bytesGone() {
        return bytesFreed + bytesInvalidated;
    }

    void addFreed(long bytes) {
        bytesFreed += bytes;
    }

    /** A leftover trash is deleted (and counted), then the trash is created anew. */
    void prepare() throws IOException {
        if (Files.exists(trash, LinkOption.NOFOLLOW_LINKS)) {
            bytesFreed += GarbageDeleter.delete(trash, trashPath, linkThreshold);
        }
        try {
            Files.createDirectories(trash);
        } catch (FileSystemException e) {
            if (!"No space left on device".equals(e.getReason())) {
                throw e;
            }
            log.info("note: can't create trash directory: creating directory `" + trashPath
                    + "': No space left on device");
            moveToTrash = false;
        }
    }

    /** The last step: {@code deleteGarbage} of the trash (an error if it is missing). */
    void empty() throws IOException {
        bytesFreed += GarbageDeleter.delete(trash, trashPath, linkThreshold);
    }

    /** Whether {@code path} is on disk (as an entry of the store directory; links not followed). */
    boolean exists(String path) {
        return Files.exists(layout.file(path), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Takes {@code path} (NAR size {@code size}) out of the store directory: a directory into the
     * trash (its size counted as invalidated, its bytes when the trash is emptied), anything else
     * counted as freed now, as guix-daemon's {@code deletePath} counts it, and renamed into the trash
     * for {@code unlinker} to free on its threads. False if there was nothing on disk.
     */
    boolean takeOut(String path, long size, Unlinker unlinker) throws IOException {
        Path file = layout.file(path);
        Map<String, Object> st;
        try {
            st = GarbageDeleter.stat(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!moveToTrash) {
            bytesFreed += GarbageDeleter.delete(file, path, st, linkThreshold);
            return true;
        }
        Path target = trash.resolve(file.getFileName());
        if (!GarbageDeleter.isDirectory(st)) {
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                bytesFreed += GarbageDeleter.delete(file, path, st, linkThreshold); // as guix-daemon would
                return true;
            }
            bytesFreed += GarbageDeleter.counted(st, linkThreshold);
            unlinker.unlink(target, path);
            return true;
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            p.add(PosixFilePermission.OWNER_WRITE);
            Files.setPosixFilePermissions(file, p);
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            bytesInvalidated += size;
        } catch (AtomicMoveNotSupportedException e) {
            cannotMove(path, target, "Invalid cross-device link");
        } catch (FileSystemException e) {
            if ("No space left on device".equals(e.getReason())) {
                cannotMove(path, target, e.getReason());
            }
            // any other failure: left where it is, as guix-daemon does
        }
        return true;
    }

    private void cannotMove(String path, Path target, String reason) throws IOException {
        log.info("note: can't create move `" + path + "': unable to rename `" + path + "' to `"
                + trashPath + "/" + target.getFileName() + "': " + reason);
        bytesFreed += GarbageDeleter.delete(layout.file(path), path, linkThreshold);
    }

    /** The running total before a deletion: a percentage of {@code maxFreed}, or a size. */
    String progress(GcOptions options) {
        long gone = bytesGone();
        if (!options.limited()) {
            return ShowBytes.of(gone);
        }
        double fraction = unsigned(gone) / unsigned(options.maxFreed());
        return (int) ((fraction > 1. ? 1. : fraction) * 100.) + "%";
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0;
    }

    /**
     * jguix's own staging names in the store directory while their process lives: upload and add
     * temporaries ({@code .jguix-tmp-<pid>-<n>}) and the optimiser's {@code .tmp-link-<pid>-<n>}.
     * guix-daemon would delete them as garbage, but it never collects while its own adds run.
     */
    static boolean isBusyTemporary(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String rest;
        if (name.startsWith(".jguix-tmp-")) {
            rest = name.substring(".jguix-tmp-".length());
        } else if (name.startsWith(".tmp-link-")) {
            rest = name.substring(".tmp-link-".length());
        } else {
            return false;
        }
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return pid == ProcessHandle.current().pid()
                    || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
