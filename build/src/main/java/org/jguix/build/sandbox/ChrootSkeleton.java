package org.jguix.build.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jguix.build.spec.BindMount;
import org.jguix.build.spec.ChrootEntry;
import org.jguix.build.spec.ChrootLayout;
import org.jguix.nar.TreeDeleter;

/**
 * What a chroot holds before the daemon and the helper fill it in for one build, and how a
 * chroot an earlier build used is brought back to exactly that.
 *
 * <p>Why reuse at all: on ext4 without a journal, every inode allocation skips the inodes
 * freed in the last 30 seconds ({@code recently_deleted}), so creating and deleting the
 * thirty-odd directories, files and mount points of a chroot per build made each allocation
 * scan past thousands of dead inodes; in a batch of 100 trivial builds that scan was the
 * largest single cost of both daemons. A reused tree keeps its inodes.
 *
 * <p>Only entries the daemon's user owns are kept (in mode R the builder runs as a build user
 * and owns what it created, so whatever it left is deleted), directories only while they fit
 * in one block (ext4 never shrinks a directory, and a fresh one of the same entries would be
 * smaller), regular files only with one link. A kept entry has the kind a fresh chroot would
 * have at that path; the daemon then resets modes, owners and file contents as for a fresh one.
 */
final class ChrootSkeleton {
    enum Kind { DIRECTORY, FILE, SYMLINK }

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    /** What the helper's {@code mkdir(0777)} and {@code open(0600)} give under the daemon's umask 022. */
    private static final int PLACEHOLDER_DIR_MODE = 0755;
    private static final int PLACEHOLDER_FILE_MODE = 0600;

    /** In-sandbox path → kind; symlink entries with their target; the daemon's own entries. */
    private final Map<String, Kind> wanted;
    private final Map<String, String> links;
    private final Set<String> planned;
    /** Mount placeholders (not daemon entries) missing from a directory may be renamed from a spare one. */
    private final Map<String, List<String>> placeholdersByParent;

    private ChrootSkeleton(Map<String, Kind> wanted, Map<String, String> links, Set<String> planned,
            Map<String, List<String>> placeholdersByParent) {
        this.wanted = wanted;
        this.links = links;
        this.planned = planned;
        this.placeholdersByParent = placeholdersByParent;
    }

    /**
     * The skeleton of {@code chroot}: the daemon's entries, each mount target as the helper
     * creates it (a directory for a directory source, a placeholder file for anything else but a
     * symlink, which the helper recreates and so must not exist), {@code /proc} and the parents
     * of all these. {@code host} maps a daemon-view path to this process's view.
     */
    static ChrootSkeleton of(ChrootLayout chroot, Function<String, Path> host) {
        Map<String, Kind> wanted = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        Map<String, List<String>> placeholders = new HashMap<>();
        Set<String> planned = new HashSet<>();
        for (ChrootEntry e : chroot.entries()) {
            planned.add(e.path());
            switch (e) {
                case ChrootEntry.Directory d -> want(wanted, d.path(), Kind.DIRECTORY);
                case ChrootEntry.File f -> want(wanted, f.path(), Kind.FILE);
                case ChrootEntry.Symlink s -> {
                    want(wanted, s.path(), Kind.SYMLINK);
                    links.put(s.path(), s.target());
                }
            }
        }
        for (BindMount m : chroot.mounts().values()) {
            int mode;
            try {
                mode = (int) Files.getAttribute(host.apply(m.source()), "unix:mode", NOFOLLOW);
            } catch (IOException e) {
                continue; // the helper reports the missing source
            }
            if ((mode & S_IFMT) == S_IFLNK) {
                continue;
            }
            Kind k = (mode & S_IFMT) == S_IFDIR ? Kind.DIRECTORY : Kind.FILE;
            if (!wanted.containsKey(m.target())) {
                placeholders.computeIfAbsent(parent(m.target()), p -> new ArrayList<>()).add(m.target());
            }
            want(wanted, m.target(), k);
        }
        if (chroot.mountProc()) {
            want(wanted, "/proc", Kind.DIRECTORY);
        }
        if (chroot.mountDevshm()) {
            want(wanted, "/dev/shm", Kind.DIRECTORY);
        }
        return new ChrootSkeleton(wanted, links, planned, placeholders);
    }

    private static void want(Map<String, Kind> wanted, String path, Kind kind) {
        wanted.putIfAbsent(path, kind);
        for (String p = parent(path); !p.isEmpty(); p = parent(p)) {
            if (wanted.putIfAbsent(p, Kind.DIRECTORY) != null) {
                break;
            }
        }
    }

    private static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    /**
     * Brings the tree at {@code rootDir} (the chroot's {@code /}) back to this skeleton: deletes
     * what it must not hold, renames spare mount placeholders to missing ones, leaves the rest.
     * A {@code rootDir} that cannot be kept itself is deleted (the caller creates it again).
     */
    void clear(Path rootDir, int owner, long blockSize) throws IOException {
        Attrs a = Attrs.of(rootDir);
        if (a == null) {
            return;
        }
        if (a.kind() != Kind.DIRECTORY || a.uid() != owner || a.size() > blockSize) {
            TreeDeleter.delete(rootDir);
            return;
        }
        clearDirectory(rootDir, "", owner, blockSize);
    }

    private void clearDirectory(Path dir, String inside, int owner, long blockSize) throws IOException {
        Deque<Path> spareDirs = new ArrayDeque<>();
        Deque<Path> spareFiles = new ArrayDeque<>();
        List<Path> entries;
        try (var s = Files.list(dir)) {
            entries = s.toList();
        }
        for (Path c : entries) {
            String path = inside + "/" + c.getFileName();
            Attrs a = Attrs.of(c);
            if (a == null) {
                continue;
            }
            if (keep(path, c, a, owner, blockSize)) {
                if (a.kind() == Kind.DIRECTORY) {
                    clearDirectory(c, path, owner, blockSize);
                }
            } else if (a.uid() == owner && a.kind() == Kind.DIRECTORY && a.mode() == PLACEHOLDER_DIR_MODE
                    && a.size() <= blockSize && isEmpty(c)) {
                spareDirs.add(c);
            } else if (a.uid() == owner && a.kind() == Kind.FILE && a.mode() == PLACEHOLDER_FILE_MODE
                    && a.size() == 0 && a.links() == 1) {
                spareFiles.add(c);
            } else {
                TreeDeleter.delete(c);
            }
        }
        for (String missing : placeholdersByParent.getOrDefault(inside, List.of())) {
            Path target = dir.resolve(missing.substring(inside.length() + 1));
            Deque<Path> spares = wanted.get(missing) == Kind.DIRECTORY ? spareDirs : spareFiles;
            if (!spares.isEmpty() && !Files.exists(target, NOFOLLOW)) {
                Files.move(spares.pop(), target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        for (Path p : spareDirs) {
            TreeDeleter.delete(p);
        }
        for (Path p : spareFiles) {
            TreeDeleter.delete(p);
        }
    }

    /** Deletes the entries of {@code dir} that {@code owner} does not own (a builder's files). */
    static void removeForeign(Path dir, int owner) throws IOException {
        List<Path> entries;
        try (var s = Files.list(dir)) {
            entries = s.toList();
        } catch (NoSuchFileException e) {
            return;
        }
        for (Path c : entries) {
            Attrs a = Attrs.of(c);
            if (a != null && a.uid() != owner) {
                TreeDeleter.delete(c);
            }
        }
    }

    private boolean keep(String path, Path c, Attrs a, int owner, long blockSize) throws IOException {
        if (a.kind() == null || wanted.get(path) != a.kind() || a.uid() != owner) {
            return false;
        }
        // The daemon resets its own entries' modes; what the helper made must have its modes already.
        boolean mine = planned.contains(path);
        return switch (a.kind()) {
            case DIRECTORY -> a.size() <= blockSize && (mine || a.mode() == PLACEHOLDER_DIR_MODE);
            case FILE -> a.links() == 1 && (mine || a.mode() == PLACEHOLDER_FILE_MODE);
            case SYMLINK -> Files.readSymbolicLink(c).toString().equals(links.get(path));
        };
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    /** The {@code lstat} fields the decision needs; kind null for anything but a directory, file or symlink. */
    private record Attrs(Kind kind, int mode, int uid, int links, long size) {
        static Attrs of(Path p) throws IOException {
            Map<String, Object> m;
            try {
                m = Files.readAttributes(p, "unix:mode,uid,nlink,size", NOFOLLOW);
            } catch (NoSuchFileException e) {
                return null;
            }
            int mode = (int) m.get("mode");
            Kind kind = switch (mode & S_IFMT) {
                case S_IFDIR -> Kind.DIRECTORY;
                case S_IFREG -> Kind.FILE;
                case S_IFLNK -> Kind.SYMLINK;
                default -> null;
            };
            return new Attrs(kind, mode & 07777, (int) m.get("uid"), (int) m.get("nlink"), (long) m.get("size"));
        }
    }
}
