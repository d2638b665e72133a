package org.jguix.store.gc;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jguix.store.StoreException;

/**
 * {@code util.cc:deletePath(path, bytesFreed, linkThreshold)} as {@code LocalStore::deleteGarbage}
 * calls it: a recursive delete that adds to the count the size of every non-directory whose link
 * count is at most the threshold when it is removed — 2 for a top-level store item (or the trash)
 * under auto-optimise, whose second link is the {@code .links} entry, else 1. So a file shared with
 * a live item is not counted; its {@code .links} entry is counted when the collector's
 * {@code removeUnusedLinks} removes it.
 */
final class GarbageDeleter {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    private GarbageDeleter() {
    }

    /**
     * Deletes {@code path} (logical name {@code name}, for messages); returns the bytes counted.
     * A missing {@code path} is an error, "getting status of `NAME': No such file or directory".
     */
    static long delete(Path path, String name, int linkThreshold) throws IOException {
        Map<String, Object> st;
        try {
            st = stat(path);
        } catch (NoSuchFileException e) {
            throw new StoreException("getting status of `" + name + "': No such file or directory", e);
        }
        return delete(path, name, st, linkThreshold);
    }

    /** {@code lstat} as {@link #delete(Path, String, Map, int)} wants it; missing: {@link NoSuchFileException}. */
    static Map<String, Object> stat(Path path) throws IOException {
        return Files.readAttributes(path, "unix:mode,nlink,size", LinkOption.NOFOLLOW_LINKS);
    }

    static boolean isDirectory(Map<String, Object> st) {
        return ((Integer) st.get("mode") & S_IFMT) == S_IFDIR;
    }

    /** What deleting a non-directory with status {@code st} adds to the count. */
    static long counted(Map<String, Object> st, int linkThreshold) {
        return (Integer) st.get("nlink") <= linkThreshold ? (Long) st.get("size") : 0;
    }

    /** {@link #delete(Path, String, int)} with the status already read. */
    static long delete(Path path, String name, Map<String, Object> st, int linkThreshold)
            throws IOException {
        boolean dir = isDirectory(st);
        long bytes = 0;
        if (!dir) {
            bytes += counted(st, linkThreshold);
        }
        if (dir) {
            // Store directories are 0555: make this one writable to unlink its entries (the daemon,
            // as root, needs this only for unreadable ones; jguix's tests do not run as root).
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (p.add(PosixFilePermission.OWNER_READ) | p.add(PosixFilePermission.OWNER_WRITE)
                    | p.add(PosixFilePermission.OWNER_EXECUTE)) {
                Files.setPosixFilePermissions(path, p);
            }
            for (Path e : entries(path, name)) {
                Map<String, Object> est;
                try {
                    est = stat(e);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                bytes += delete(e, name + "/" + e.getFileName(), est, linkThreshold);
            }
        }
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            // removed meanwhile
        } catch (IOException e) {
            throw new StoreException("cannot unlink `" + name + "': " + reason(e), e);
        }
        return bytes;
    }

    private static List<Path> entries(Path dir, String name) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (AccessDeniedException e) {
            throw new StoreException("opening `" + name + "': Permission denied", e);
        }
        return out;
    }

    static String reason(IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
    }
}
