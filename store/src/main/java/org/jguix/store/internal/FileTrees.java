package org.jguix.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File-tree chores of the store writer: fsync a tree (deleting one is {@link org.jguix.nar.TreeDeleter}). */
public final class FileTrees {
    /**
     * Test-only: {@code -Djguix.test.skipContentSync=true} makes {@link #sync} and {@link #syncTree}
     * do nothing, so that bench/daemon.sh can show what the syncs cost. Never set it on a store that
     * matters: a crash could then leave valid paths whose content never reached the disk.
     */
    private static final boolean SKIP = Boolean.getBoolean("jguix.test.skipContentSync");

    private FileTrees() {
    }

    /**
     * fsyncs every regular file and directory under {@code root} (children before their directory), so
     * that content and canonical metadata are on disk before the path is declared valid. Symlinks need
     * no fsync of their own: they live in their directory's data.
     */
    public static void syncTree(Path root) throws IOException {
        if (SKIP) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    sync(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                sync(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** fsync of one file or directory (a read-only descriptor suffices on Linux). */
    public static void sync(Path fileOrDir) throws IOException {
        if (SKIP) {
            return;
        }
        try (FileChannel c = FileChannel.open(fileOrDir, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    /** fsync through a descriptor the caller has open (skipped with the test-only switch, too). */
    public static void sync(FileChannel open) throws IOException {
        if (SKIP) {
            return;
        }
        open.force(true);
    }

}
