package org.jguix.nar;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives a store object the metadata every store object has (guix {@code local-store.cc:
 * canonicalisePathMetaData_} and {@code canonicaliseTimestampAndPermissions}), recursively and never
 * following symlinks: mode 0444, or 0555 when the owner execute bit is set (which also clears setuid,
 * setgid, sticky and write bits); mtime 1 keeping atime; owner uid:gid when the uid differs. Fifos,
 * sockets and devices are refused. The tree is walked with {@link Files#walkFileTree}, which keeps its
 * own stack, so depth does not threaten the Java stack.
 *
 * <p>Symlinks get only mtime and owner: Java's {@code chmod} with {@code NOFOLLOW_LINKS} on Linux
 * silently changes the link's <em>target</em> (verified with JDK 25), so this class never calls it on one.
 */
public final class StoreCanonicaliser {
    private static final int PERMISSION_BITS = 07777;
    private static final int OWNER_EXECUTE = 0100;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFDIR = 0040000;
    private static final FileTime MTIME = FileTime.from(1, java.util.concurrent.TimeUnit.SECONDS);
    private static final String ATTRIBUTES = "unix:mode,uid,ino,dev,lastModifiedTime,lastAccessTime";

    private final int uid;
    private final int gid;

    /** @param uid owner to give the files (the daemon's euid), {@code gid} likewise */
    public StoreCanonicaliser(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    /** Canonicalises {@code root} without an ownership check (AddToStore, AddTextToStore). */
    public void canonicalise(Path root) throws IOException {
        canonicalise(root, -1, new HashSet<>());
    }

    /**
     * Canonicalises a build output. With {@code fromUid} != -1, a file not owned by {@code fromUid} is
     * refused ({@code invalid ownership on file `X'}, defeating {@code ln /etc/shadow $out}) unless its
     * inode is in {@code inodesSeen}, i.e. a hard link to a file canonicalised earlier in the same build;
     * {@code inodesSeen} is shared by all outputs of a build and grows here.
     */
    public void canonicalise(Path root, int fromUid, Set<List<Object>> inodesSeen) throws IOException {
        // A root that is no directory (every AddTextToStore) needs no walk: one stat instead of two.
        Map<String, Object> rootAttributes = Files.readAttributes(root, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        if (((Integer) rootAttributes.get("mode") & S_IFMT) != S_IFDIR) {
            one(root, rootAttributes, fromUid, inodesSeen);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                one(dir, fromUid, inodesSeen);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                one(file, fromUid, inodesSeen);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void one(Path path, int fromUid, Set<List<Object>> inodesSeen) throws IOException {
        one(path, Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS), fromUid, inodesSeen);
    }

    private void one(Path path, Map<String, Object> a, int fromUid, Set<List<Object>> inodesSeen)
            throws IOException {
        int mode = (Integer) a.get("mode");
        int type = mode & S_IFMT;
        if (type != S_IFLNK && type != 0100000 && type != S_IFDIR) {
            throw new UnsupportedFileException(org.jguix.nar.internal.NarErrors.unsupportedType(path.toString()));
        }
        int owner = (Integer) a.get("uid");
        List<Object> inode = List.of(a.get("dev"), a.get("ino"));
        if (fromUid != -1 && owner != fromUid) {
            if (inodesSeen.contains(inode)) {
                return;
            }
            throw new UnsupportedFileException("invalid ownership on file `" + path + "'");
        }
        inodesSeen.add(inode);
        if (type != S_IFLNK) {
            int perms = mode & PERMISSION_BITS;
            if (perms != 0444 && perms != 0555) {
                Files.setAttribute(path, "unix:mode", 0444 | ((mode & OWNER_EXECUTE) != 0 ? 0111 : 0),
                        LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (((FileTime) a.get("lastModifiedTime")).to(java.util.concurrent.TimeUnit.SECONDS) != 1) {
            // atime as lstat saw it, i.e. kept: given as null, the JDK would fstat the file for it.
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(MTIME, (FileTime) a.get("lastAccessTime"), null);
        }
        if (owner != uid) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
