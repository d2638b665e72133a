package org.jguix.nar;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Deletes a file tree the way {@code util.cc:deletePath} does, for the trees jguix makes and
 * throws away: failed restores, upload staging, store temporaries, build chroots.
 */
public final class TreeDeleter {
    private TreeDeleter() {
    }

    /**
     * Deletes {@code root} recursively if it exists. Symlinks are removed, never followed.
     * Directories are made owner-readable, -writable and -searchable first, because store
     * content is canonicalised to 0555 and a builder may {@code chmod} its chroot's root; entries
     * that vanish meanwhile are not an error.
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
                if (p.add(PosixFilePermission.OWNER_WRITE) | p.add(PosixFilePermission.OWNER_EXECUTE)
                        | p.add(PosixFilePermission.OWNER_READ)) {
                    Files.setPosixFilePermissions(dir, p);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
