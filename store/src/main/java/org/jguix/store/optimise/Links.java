package org.jguix.store.optimise;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;

/**
 * The deduplication directory {@code $store/.links}: one hard link per distinct file content,
 * named by the nix-base32 SHA-256 of the file's NAR serialisation (so an executable and a
 * non-executable copy differ), for regular files of at least {@value #MIN_SIZE} bytes
 * ({@code deduplicationMinSize}, "keep in sync with" Guile's {@code deduplication.scm}).
 *
 * <p>guix-daemon notes a race in {@code removeUnusedLinks}: it may unlink an entry whose link
 * count is 1 just before {@code optimisePath} links a new copy to it, and that add then fails.
 * guix-daemon rarely meets it because the collector holds the GC lock while most adds are blocked;
 * jguix adds while it collects, so in this process each linking step ({@link #linking()}) and each
 * removal of an unused entry exclude each other. One instance per store, shared by the writer, the
 * optimiser and the collector.
 */
public final class Links {
    /** {@code deduplicationMinSize}. */
    public static final long MIN_SIZE = 8192;

    private final StoreLayout layout;
    private final Path dir;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public Links(StoreLayout layout) {
        this.layout = layout;
        this.dir = layout.storeDirectory().resolve(".links");
    }

    /** {@code $store/.links} on this machine. */
    public Path dir() {
        return dir;
    }

    /** {@code $store/.links} as a logical store path (what the collector skips). */
    public String storePath() {
        return layout.storeDirString() + "/.links";
    }

    /** Held by the optimiser around each check-and-link of one file. */
    Lock linking() {
        return lock.readLock();
    }

    /**
     * {@code removeUnusedLinks}: unlinks every entry with link count 1 and every entry smaller than
     * {@value #MIN_SIZE} bytes, then prints at Info "note: currently hard linking saves SIZE", where
     * SIZE is Σ(nlink−1)·size − Σ size − the size of the directory itself (negative when nothing is
     * shared). Returns the bytes of the removed entries.
     */
    public long removeUnused(StoreLog log) throws IOException {
        long freed = 0;
        long actualSize = 0;
        long unsharedSize = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                lock.writeLock().lock();
                try {
                    Map<String, Object> st;
                    try {
                        st = Files.readAttributes(p, "unix:nlink,size", LinkOption.NOFOLLOW_LINKS);
                    } catch (NoSuchFileException e) {
                        continue;
                    }
                    int nlink = (Integer) st.get("nlink");
                    long size = (Long) st.get("size");
                    if (nlink != 1 && size >= MIN_SIZE) {
                        actualSize += size;
                        unsharedSize += (nlink - 1) * size;
                        continue;
                    }
                    log.talkative("deleting unused link `" + layout.storeDirString() + "/.links/" + p.getFileName()
                            + "'");
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new StoreException("deleting `" + p + "': " + e.getMessage(), e);
                    }
                    freed += size;
                } finally {
                    lock.writeLock().unlock();
                }
            }
        }
        long overhead = (Long) Files.readAttributes(dir, "unix:size").get("size");
        log.info("note: currently hard linking saves " + ShowBytes.of(unsharedSize - actualSize - overhead));
        return freed;
    }
}
