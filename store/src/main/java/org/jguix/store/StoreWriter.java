package org.jguix.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;
import org.jguix.nar.StoreCanonicaliser;
import org.jguix.store.internal.DirectorySync;
import org.jguix.store.internal.FileTrees;
import org.jguix.nar.TreeDeleter;

/**
 * Puts one store item on disk and registers it, the protocol of {@code LocalStore::addTextToStore} /
 * {@code addToStoreFromDump} made crash-safe:
 *
 * <ol>
 * <li>add a temp root for the destination; if it is valid, done;</li>
 * <li>lock it ({@link PathLocks}) and check validity again (another writer may have finished);</li>
 * <li>write the content under a temporary name in the store directory,
 *     {@code .jguix-tmp-<pid>-<n>} (same file system, so the rename is atomic);</li>
 * <li>canonicalise it ({@link StoreCanonicaliser}: 0444/0555, mtime 1, daemon owner) and hash its NAR;</li>
 * <li>fsync every file and directory of it — guix-daemon and nix-daemon do not (they rely on the
 *     optional {@code sync-before-registering}); jguix never declares valid what may not be on disk;</li>
 * <li>rename into place, replacing any stale leftover at the destination, fsync the store directory
 *     ({@link DirectorySync}: one fsync serves every add that renamed before it started);</li>
 * <li>register it ({@link StoreDatabase#registerValidPaths}); then mark the lock file for deletion.</li>
 * </ol>
 * Canonicalisation precedes the rename (the brief's order put it after) so that the content appears
 * at its final name only in its final, synced form; the NAR hash is unchanged by either order.
 *
 * <p>Failure anywhere leaves no valid path without content and no valid path with incomplete
 * content: before the rename only the temporary exists and is removed; a failed registration removes
 * the renamed content (we hold the path lock, so nobody else wrote it). A crash leaves at most an
 * unregistered temporary, which {@link #removeStaleTemporaries} (daemon start) or any GC removes.
 *
 * <p>Deduplication ({@code optimisePath}, on by default in guix-daemon) runs on the canonical
 * temporary after hashing and before the sync, through {@link Deduplication}.
 */
public final class StoreWriter {
    static final String TEMP_PREFIX = ".jguix-tmp-";
    private static final AtomicLong COUNTER = new AtomicLong();

    private final StoreDatabase db;
    private final StoreCanonicaliser canonicaliser;
    private final Consumer<String> messages;
    private final Deduplication deduplication;
    private final DirectorySync storeDirectory;

    /**
     * {@code optimisePath} on a new item: replaces its files by hard links to identical content already
     * in the store ({@code org.jguix.store.optimise.Optimiser}); called on the canonical temporary.
     */
    @FunctionalInterface
    public interface Deduplication {
        /** No deduplication ({@code --disable-deduplication}). */
        Deduplication NONE = item -> false;

        /**
         * Deduplicates {@code item}; returns whether any of its files was replaced by a link to another
         * inode (whose content the writer then syncs through the path, not through what it wrote).
         */
        boolean deduplicate(Path item) throws IOException;
    }

    /** Writes the content of a new store item at {@code target}, which does not exist yet. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path target) throws IOException;

        /**
         * Writes the content at {@code target} ({@link #writeTo}) and returns what makes it durable
         * later, after canonicalisation: by default an fsync of every file and directory under
         * {@code target}; content that still holds what it wrote open syncs that instead of opening
         * and walking it again.
         */
        default Staged stage(Path target) throws IOException {
            writeTo(target);
            return () -> FileTrees.syncTree(target);
        }

        /**
         * The sha256 NAR of what {@link #writeTo} writes, as it is once canonicalised, if this content
         * knows it without reading the files back; empty (the default): the writer hashes them.
         */
        default Optional<NarDigest> knownNar() throws IOException {
            return Optional.empty();
        }

        /**
         * One regular, non-executable file holding {@code bytes} (AddTextToStore); its NAR comes from
         * the bytes, not from reading the file back.
         */
        static Content regularFile(byte[] bytes) {
            return new RegularFileContent(bytes);
        }
    }

    /** Content written under its temporary name and not yet synced; {@link #close} releases it. */
    @FunctionalInterface
    public interface Staged extends AutoCloseable {
        /** fsyncs the content (files and directories), canonical metadata included. */
        void sync() throws IOException;

        @Override
        default void close() throws IOException {
        }
    }

    /**
     * The outcome of {@link #add}.
     *
     * @param path    the destination store path
     * @param written whether this call wrote it (false: it was already valid)
     */
    public record Added(String path, boolean written) {
    }

    /** @param canonicaliser owner and group of the daemon (its euid/egid), see {@link StoreCanonicaliser} */
    public StoreWriter(StoreDatabase db, StoreCanonicaliser canonicaliser, Consumer<String> messages) {
        this(db, canonicaliser, messages, Deduplication.NONE);
    }

    public StoreWriter(StoreDatabase db, StoreCanonicaliser canonicaliser, Consumer<String> messages,
            Deduplication deduplication) {
        this.db = db;
        this.canonicaliser = canonicaliser;
        this.messages = StoreInitialiser.orIgnore(messages);
        this.deduplication = deduplication;
        this.storeDirectory = new DirectorySync(db.layout().storeDirectory());
    }

    /**
     * Adds {@code destPath} with the given content, references and deriver (empty for AddToStore and
     * AddTextToStore), unless it is already valid. {@code tempRoots} may be null (no session).
     */
    public Added add(String destPath, Content content, Collection<String> references, Optional<String> deriver,
            TempRoots.Session tempRoots) throws IOException {
        StoreLayout layout = db.layout();
        layout.assertStorePath(destPath);
        if (tempRoots != null) {
            tempRoots.add(destPath);
        }
        if (db.isValidPath(destPath)) {
            return new Added(destPath, false); // optimisation: no lock needed
        }
        try (PathLocks.Held lock = PathLocks.lock(layout, List.of(destPath), "", messages)) {
            if (db.isValidPath(destPath)) {
                lock.setDeletion(true);
                return new Added(destPath, false);
            }
            Path dest = layout.file(destPath);
            Path temp = newTemporary();
            NarDigest nar;
            try {
                try (Staged staged = content.stage(temp)) {
                    canonicaliser.canonicalise(temp);
                    Optional<NarDigest> known = content.knownNar();
                    nar = known.isPresent() ? known.get() : NarHasher.hashPath(temp, "sha256");
                    if (deduplication.deduplicate(temp)) {
                        FileTrees.syncTree(temp);
                    } else {
                        staged.sync();
                    }
                }
                moveIntoPlace(temp, dest);
                storeDirectory.sync();
            } catch (IOException | RuntimeException e) {
                TreeDeleter.delete(temp);
                throw e;
            }
            ValidPathInfo info = ValidPathInfo.of(destPath, nar.digest(), nar.narSize(), new TreeSet<>(references));
            if (deriver.isPresent()) {
                info = info.withDeriver(deriver.get());
            }
            try {
                db.registerValidPaths(List.of(info));
            } catch (IOException | RuntimeException e) {
                TreeDeleter.delete(dest);
                throw e;
            }
            lock.setDeletion(true);
            return new Added(destPath, true);
        }
    }

    /**
     * Renames {@code temp} to {@code dest}, replacing a leftover of an interrupted build or add there.
     * rename(2) replaces a file, a symlink or an empty directory by itself; only when it fails (a
     * non-empty directory, a file where {@code temp} is a directory or the other way round) is the
     * leftover deleted and the rename tried again. Deleting first would cost an lstat, and a thrown
     * NoSuchFileException, on every add, where a leftover is rare.
     */
    private static void moveIntoPlace(Path temp, Path dest) throws IOException {
        try {
            Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
            TreeDeleter.delete(dest);
            Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * A fresh name in the store directory for staging content before {@link #add} (an upload being
     * received, say): same file system as the store, and removed by {@link #removeStaleTemporaries}
     * if this process dies before deleting it. Nothing is created.
     */
    public Path newTemporary() {
        return db.layout().storeDirectory().resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet());
    }

    /** Whether {@code name} (a store directory entry) is a temporary of {@link #add}. */
    public static boolean isTemporary(String name) {
        return name.startsWith(TEMP_PREFIX);
    }

    /**
     * Deletes temporaries left by dead jguix processes (and none of this process's); run at daemon
     * start. Returns how many were removed.
     */
    public static int removeStaleTemporaries(StoreLayout layout) throws IOException {
        int removed = 0;
        if (!Files.isDirectory(layout.storeDirectory(), LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.storeDirectory(), TEMP_PREFIX + "*")) {
            for (Path e : entries) {
                OptionalLong pid = ownerPid(e.getFileName().toString());
                boolean alive = pid.isPresent() && (pid.getAsLong() == ProcessHandle.current().pid()
                        || ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false));
                if (!alive) {
                    TreeDeleter.delete(e);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static OptionalLong ownerPid(String name) {
        String rest = name.substring(TEMP_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return OptionalLong.of(Long.parseLong(dash < 0 ? rest : rest.substring(0, dash)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
