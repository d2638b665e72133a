package org.jguix.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jguix.hash.NixBase32;

/**
 * Permanent GC roots under {@code $state} ({@code gc.cc}): {@link #addIndirectRoot} and {@link #findRoots}.
 *
 * <pre>
 * $state/gcroots/            scanned recursively (then $state/manifests if present, then $state/profiles)
 *   profiles -> $state/profiles
 *   auto/&lt;nix-base32(sha1(link))&gt; -> link      indirect roots; link -> /gnu/store/…
 *   anything -> /gnu/store/…                       direct roots
 *   &lt;hash&gt;-&lt;name&gt;  (regular file)               root for $store/&lt;hash&gt;-&lt;name&gt;
 * </pre>
 */
public final class GcRoots {
    private final StoreLayout layout;

    public GcRoots(StoreLayout layout) {
        this.layout = layout;
    }

    /** {@code $state/gcroots/auto/<nix-base32(sha1(linkPath))>}. */
    public Path indirectRootLink(String linkPath) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(linkPath.getBytes(StandardCharsets.UTF_8));
            return layout.stateDir().resolve("gcroots").resolve("auto").resolve(NixBase32.encode(sha1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }

    /**
     * {@code LocalStore::addIndirectRoot} (op AddIndirectRoot): atomically (re)places the auto link to
     * {@code linkPath} ({@code makeSymlink}: temp link {@code <link>.tmp-<pid>-<rand>}, then rename).
     */
    public void addIndirectRoot(String linkPath) throws IOException {
        Path link = indirectRootLink(linkPath);
        Files.createDirectories(link.getParent());
        Path temp = link.resolveSibling(link.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
        Files.createSymbolicLink(temp, Path.of(linkPath));
        try {
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new StoreException("cannot rename `" + temp + "' to `" + link + "'", e);
        }
    }

    /**
     * {@code LocalStore::findRoots} (op FindRoots): root file or link name to the valid store path it
     * keeps alive, sorted by name. Info messages ("skipping invalid root …", "removing stale link …",
     * "cannot read potential root …") go to {@code info}; stale links under {@code gcroots/auto} are
     * deleted, as there.
     */
    public SortedMap<String, String> findRoots(StoreDatabase db, Consumer<String> info) throws IOException {
        return findRoots(db::isValidPath, info);
    }

    /** Whether a store path is valid (the database, or the collector's graph in front of it). */
    @FunctionalInterface
    public interface Validity {
        boolean isValid(String storePath) throws StoreException;
    }

    /** {@link #findRoots(StoreDatabase, Consumer)}, asking {@code db} whether a target is valid. */
    public SortedMap<String, String> findRoots(Validity db, Consumer<String> info) throws IOException {
        SortedMap<String, String> roots = new TreeMap<>();
        Path state = layout.stateDir();
        scan(db, state.resolve("gcroots"), roots, info);
        if (Files.exists(state.resolve("manifests"), LinkOption.NOFOLLOW_LINKS)) {
            scan(db, state.resolve("manifests"), roots, info);
        }
        scan(db, state.resolve("profiles"), roots, info);
        return roots;
    }

    private void scan(Validity db, Path path, SortedMap<String, String> roots, Consumer<String> info)
            throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                    for (Path e : entries) {
                        scan(db, e, roots, info);
                    }
                }
            } else if (a.isSymbolicLink()) {
                String target = Files.readSymbolicLink(path).toString();
                if (layout.isInStore(target)) {
                    found(db, path.toString(), target, roots, info);
                } else {
                    indirect(db, path, target, roots, info);
                }
            } else if (a.isRegularFile()) {
                String storePath = layout.storeDirString() + "/" + path.getFileName();
                if (db.isValid(storePath)) {
                    roots.put(path.toString(), storePath);
                }
            }
        } catch (AccessDeniedException | NoSuchFileException | NotDirectoryException e) {
            info.accept("cannot read potential root '" + path + "': " + strerror(e));
        } catch (FileSystemException e) {
            if (!"Not a directory".equals(e.getReason())) {
                throw e;
            }
            info.accept("cannot read potential root '" + path + "': Not a directory");
        }
    }

    /** A link outside the store: follow one level, relative to the link's directory ({@code absPath}). */
    private void indirect(Validity db, Path link, String target, SortedMap<String, String> roots,
            Consumer<String> info) throws IOException {
        // absPath(target, dirOf(link)): an absolute target names the logical tree, hence layout.file.
        Path t = (target.startsWith("/") ? layout.file(target) : link.getParent().resolve(target)).normalize();
        if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
            if (link.startsWith(layout.stateDir().resolve("gcroots").resolve("auto"))) {
                info.accept("removing stale link from `" + link + "' to `" + t + "'");
                Files.deleteIfExists(link);
            }
            return;
        }
        if (!Files.isSymbolicLink(t)) {
            return;
        }
        String target2 = Files.readSymbolicLink(t).toString();
        if (layout.isInStore(target2)) {
            found(db, t.toString(), target2, roots, info);
        }
    }

    /** {@code foundRoot}. */
    private void found(Validity db, String link, String target, SortedMap<String, String> roots,
            Consumer<String> info) throws IOException {
        String storePath = layout.toStorePath(target);
        if (db.isValid(storePath)) {
            roots.put(link, storePath);
        } else {
            info.accept("skipping invalid root from `" + link + "' to `" + storePath + "'");
        }
    }

    private static String strerror(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        return "Not a directory";
    }
}
