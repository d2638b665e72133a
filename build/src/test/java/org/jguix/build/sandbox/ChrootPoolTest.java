package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChrootPoolTest {
    @TempDir
    Path store;

    @Test
    void sparesCarryTheNameTheCollectorSparesWhileTheDaemonLives() throws IOException {
        ChrootPool pool = new ChrootPool(store);
        Path used = Files.createDirectories(store.resolve("x.drv.chroot/top/etc"));
        pool.give(used.getParent().getParent());
        Path spare = pool.take().orElseThrow();
        assertTrue(spare.getFileName().toString().startsWith(".jguix-tmp-" + ProcessHandle.current().pid() + "-chroot-"),
                spare.toString());
        assertTrue(Files.isDirectory(spare.resolve("top/etc")));
        assertFalse(Files.exists(store.resolve("x.drv.chroot")));
        assertEquals(Optional.empty(), pool.take());
    }

    @Test
    void beyondItsCapacityAndWhenClearedTreesAreDeleted() throws IOException {
        ChrootPool pool = new ChrootPool(store);
        for (int i = 0; i <= ChrootPool.CAPACITY; i++) {
            Path p = Files.createDirectories(store.resolve(i + ".drv.chroot/top"));
            pool.give(p.getParent());
        }
        try (var s = Files.list(store)) {
            assertEquals(ChrootPool.CAPACITY, s.count());
        }
        pool.clear();
        try (var s = Files.list(store)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void sparesOfAnEarlierDaemonWithThisPidAreDeletedAtStart() throws IOException {
        Path stale = Files.createDirectories(store.resolve(".jguix-tmp-" + ProcessHandle.current().pid() + "-chroot-7/top"));
        Path other = Files.createDirectories(store.resolve(".jguix-tmp-1-chroot-7"));
        ChrootPool pool = new ChrootPool(store);
        assertFalse(Files.exists(stale.getParent()));
        assertTrue(Files.exists(other), "another process's spares are the collector's to judge");
        assertEquals(Optional.empty(), pool.take());
    }
}
