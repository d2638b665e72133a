package org.jguix.build.run;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.StoreLayout;

/** How build outputs reach their store paths ({@code registerOutputs}, {@code replaceValidPath}, the FOD copy). */
final class OutputMoves {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    private OutputMoves() {
    }

    /** Renames a canonical output from the chroot into the store; a directory needs u+w meanwhile. */
    static Path moveIntoStore(StoreLayout layout, Path actual, String path) throws IOException {
        Path dest = layout.file(path);
        int st = (Integer) Files.getAttribute(actual, "unix:mode", NOFOLLOW);
        boolean dir = (st & S_IFMT) == S_IFDIR;
        if (dir) {
            Files.setAttribute(actual, "unix:mode", (st | 0700) & 07777, NOFOLLOW);
        }
        try {
            Files.move(actual, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException("moving build output `" + path + "' from the chroot to the store: " + e.getMessage(), e);
        }
        if (dir) {
            Files.setAttribute(dest, "unix:mode", st & 07777, NOFOLLOW);
        }
        return dest;
    }

    /**
     * {@code replaceValidPath}: the corrupt original is renamed out of the way
     * ({@code P.old-PID-RAND}), the repaired output renamed in, the original deleted. Not
     * atomic, as in guix-daemon.
     */
    static Path replaceValidPath(StoreLayout layout, Path actual, String path) throws IOException {
        Path dest = layout.file(path);
        Path old = Path.of(dest + ".old-" + ProcessHandle.current().pid() + "-"
                + java.util.concurrent.ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
        boolean existed = Files.exists(dest, NOFOLLOW);
        if (existed) {
            Files.move(dest, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            moveIntoStore(layout, actual, path);
        } catch (IOException e) {
            throw new IOException("moving `" + actual + "' to `" + dest + "': " + e.getMessage(), e);
        }
        if (existed) {
            TreeDeleter.delete(old);
        }
        return dest;
    }

    /** {@code copyFileRecursively(src, dst, true)}: a copy keeping modes and owners, never following links. */
    static void copyTree(Path src, Path dst) throws IOException {
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            private final List<Path[]> dirs = new ArrayList<>();

            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Path target = dst.resolve(src.relativize(d).toString());
                Files.createDirectory(target);
                dirs.add(new Path[] {d, target});
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Path target = src.equals(f) ? dst : dst.resolve(src.relativize(f).toString());
                Files.copy(f, target, NOFOLLOW, StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Path target = dst.resolve(src.relativize(d).toString());
                Map<String, Object> a = Files.readAttributes(d, "unix:mode,uid,gid", NOFOLLOW);
                Files.setAttribute(target, "unix:uid", a.get("uid"), NOFOLLOW);
                Files.setAttribute(target, "unix:gid", a.get("gid"), NOFOLLOW);
                Files.setAttribute(target, "unix:mode", (Integer) a.get("mode") & 07777, NOFOLLOW);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
