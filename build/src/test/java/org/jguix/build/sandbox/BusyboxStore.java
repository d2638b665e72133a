package org.jguix.build.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jguix.nar.TreeDeleter;
import org.jguix.storepath.StoreDir;

/**
 * Test support for the plain (no chroot) sandbox ITs: a scratch directory under {@code /tmp} holding a
 * store with the sid root's static busybox in it and a world-writable {@code build} directory, as a
 * build user needs them. Needs root and the sid root ({@link SidRoot}).
 *
 * @param dir   the scratch directory (0755)
 * @param store its {@code store} directory, with {@code busybox} (0555)
 */
record BusyboxStore(Path dir, StoreDir store) implements AutoCloseable {
    static BusyboxStore create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        ChrootPreparer.setMode(dir, 0755);
        Path s = Files.createDirectories(dir.resolve("store"));
        Files.copy(SidRoot.BUSYBOX, s.resolve("busybox"));
        ChrootPreparer.setMode(s.resolve("busybox"), 0555);
        ChrootPreparer.setMode(Files.createDirectories(dir.resolve("build")), 0777);
        return new BusyboxStore(dir, StoreDir.of(s.toString()));
    }

    /** The busybox binary in the store. */
    String busybox() {
        return store.path() + "/busybox";
    }

    @Override
    public void close() throws IOException {
        TreeDeleter.delete(dir);
    }
}
