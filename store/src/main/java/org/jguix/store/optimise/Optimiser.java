package org.jguix.store.optimise;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jguix.hash.NixBase32;
import org.jguix.nar.NarHasher;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;
import org.jguix.store.StoreLog;
import org.jguix.store.StoreWriter;
import org.jguix.store.TempRoots;

/**
 * Deduplication ({@code optimise-store.cc}): identical regular files of at least
 * {@value Links#MIN_SIZE} bytes become hard links to one inode, also linked as
 * {@code .links/<nix-base32 sha256 of the file's NAR>}. {@link #optimiseStore} is the OptimiseStore
 * operation; {@link #deduplicate} is {@code optimisePath} on a new item before it is registered
 * (auto-optimise, on by default, off with {@code --disable-deduplication}).
 *
 * <p>Replacing a file: {@code link(.links/H, $store/.tmp-link-<pid>-<rand>)} then {@code rename} over
 * the file, so the path always names complete content; its directory is made writable for that and
 * then given back mode 0555 and mtime 1 ({@code MakeReadOnly}). The collector skips the temporary
 * links of live processes.
 */
public final class Optimiser implements StoreWriter.Deduplication {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IWUSR = 0200;
    private static final int S_IXUSR = 0100;
    private static final FileTime MTIME = FileTime.from(1, TimeUnit.SECONDS);

    /** What {@code OptimiseStats} counts. */
    public static final class Stats {
        private long filesLinked;
        private long bytesFreed;

        public long filesLinked() {
            return filesLinked;
        }

        public long bytesFreed() {
            return bytesFreed;
        }
    }

    private final StoreLayout layout;
    private final Links links;
    private final StoreLog log;

    /** {@code log} receives the messages of {@link #deduplicate} (no client asked for those). */
    public Optimiser(StoreLayout layout, Links links, StoreLog log) {
        this.layout = layout;
        this.links = links;
        this.log = log;
    }

    public Links links() {
        return links;
    }

    /** {@code optimisePath} with a fresh inode set, for a new item at {@code item} (in the store directory). */
    @Override
    public boolean deduplicate(Path item) throws IOException {
        Stats stats = new Stats();
        optimisePath(item, stats, new HashSet<>(), log);
        return stats.filesLinked > 0;
    }

    /**
     * {@code LocalStore::optimiseStore}: every valid path, each first held by a temp root of
     * {@code roots} and skipped if no longer valid. Prints at Error "SIZE freed by hard-linking N files".
     */
    public Stats optimiseStore(StoreDatabase db, TempRoots.Session roots, StoreLog out) throws IOException {
        Stats stats = new Stats();
        Set<Long> inodes = loadInodeHash(out);
        for (String p : db.queryAllValidPaths()) {
            roots.add(p);
            if (!db.isValidPath(p)) {
                continue; // collected meanwhile
            }
            out.log(StoreLog.CHATTY, "hashing files in `" + p + "'");
            optimisePath(layout.file(p), stats, inodes, out);
        }
        out.error(ShowBytes.of(stats.bytesFreed) + " freed by hard-linking " + stats.filesLinked + " files");
        return stats;
    }

    private Set<Long> loadInodeHash(StoreLog out) throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(links.dir())) {
            for (Path p : entries) {
                try {
                    inodes.add((Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS));
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        }
        out.talkative("loaded " + inodes.size() + " hash inodes");
        return inodes;
    }

    /** {@code optimisePath_}. */
    void optimisePath(Path path, Stats stats, Set<Long> inodes, StoreLog out) throws IOException {
        Map<String, Object> st = Files.readAttributes(path, "unix:mode,ino,nlink,size", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) st.get("mode");
        if ((mode & S_IFMT) == S_IFDIR) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path e : entries) {
                    Object ino = Files.getAttribute(e, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                    if (!inodes.contains((Long) ino)) {
                        optimisePath(e, stats, inodes, out);
                    }
                }
            }
            return;
        }
        long size = (Long) st.get("size");
        if ((mode & S_IFMT) != S_IFREG || size < Links.MIN_SIZE) {
            return;
        }
        if ((mode & S_IWUSR) != 0) {
            out.error("skipping suspicious writable file `" + logical(path) + "'");
            return;
        }
        long ino = (Long) st.get("ino");
        if ((Integer) st.get("nlink") > 1 && inodes.contains(ino)) {
            return;
        }
        String name = NixBase32.encode(NarHasher.hashPath(path, "sha256").digest());
        Path link = links.dir().resolve(name);
        links.linking().lock();
        try {
            if (linkOrReplace(path, link, ino, size, inodes, out)) {
                stats.filesLinked++;
                stats.bytesFreed += size;
            }
        } finally {
            links.linking().unlock();
        }
    }

    /** The {@code retry:} loop: true if {@code path} was replaced by a link to {@code link}. */
    private boolean linkOrReplace(Path path, Path link, long ino, long size, Set<Long> inodes, StoreLog out)
            throws IOException {
        while (true) {
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createLink(link, path);
                    inodes.add(ino);
                    return false;
                } catch (FileAlreadyExistsException e) {
                    // another process linked the same contents first: use its link
                } catch (FileSystemException e) {
                    if ("No space left on device".equals(e.getReason())) {
                        out.info("cannot link `" + logical(link) + "' to `" + logical(path)
                                + "': No space left on device");
                        return false;
                    }
                    throw new StoreException("cannot link `" + logical(link) + "' to `" + logical(path) + "': "
                            + e.getReason(), e);
                }
            }
            Map<String, Object> stLink;
            try {
                stLink = Files.readAttributes(link, "unix:ino,size", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue; // removed by another process's collector in between
            }
            if ((Long) stLink.get("ino") == ino) {
                return false;
            }
            if ((Long) stLink.get("size") != size) {
                out.error("removing corrupted link `" + logical(link) + "'");
                Files.deleteIfExists(link);
                continue;
            }
            out.talkative("linking `" + logical(path) + "' to `" + logical(link) + "'");
            return replace(path, link, size, out);
        }
    }

    private boolean replace(Path path, Path link, long size, StoreLog out) throws IOException {
        Path dir = path.getParent();
        boolean toggle = !dir.equals(layout.storeDirectory());
        if (toggle) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            p.add(PosixFilePermission.OWNER_WRITE);
            Files.setPosixFilePermissions(dir, p);
        }
        try {
            Path temp = layout.storeDirectory().resolve(".tmp-link-" + ProcessHandle.current().pid() + "-"
                    + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
            try {
                Files.createLink(temp, link);
            } catch (FileSystemException e) {
                if ("Too many links".equals(e.getReason())) {
                    if (size != 0) {
                        out.info("`" + logical(link) + "' has maximum number of links");
                    }
                    return false;
                }
                throw new StoreException("cannot link `" + logical(temp) + "' to `" + logical(link) + "': "
                        + e.getReason(), e);
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                if (!Files.deleteIfExists(temp)) {
                    out.error("unable to unlink `" + logical(temp) + "'");
                }
                if (e instanceof FileSystemException f && "Too many links".equals(f.getReason())) {
                    if (size != 0) {
                        out.info("`" + logical(link) + "' has maximum number of links");
                    }
                    return false;
                }
                throw new StoreException("cannot rename `" + logical(temp) + "' to `" + logical(path) + "'", e);
            }
            return true;
        } finally {
            if (toggle) {
                makeReadOnly(dir);
            }
        }
    }

    /** {@code canonicaliseTimestampAndPermissions} of one directory: 0444 plus x bits if u+x, mtime 1. */
    private static void makeReadOnly(Path dir) {
        try {
            int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            if (mode != 0444 && mode != 0555) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(
                        (mode & S_IXUSR) != 0 ? "r-xr-xr-x" : "r--r--r--"));
            }
            Files.setLastModifiedTime(dir, MTIME);
        } catch (IOException e) {
            // ~MakeReadOnly: ignoreException()
        }
    }

    private String logical(Path p) {
        Path root = layout.root();
        return root.equals(Path.of("/")) || !p.startsWith(root) ? p.toString() : "/" + root.relativize(p);
    }
}
