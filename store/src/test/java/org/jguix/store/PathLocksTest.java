package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // locks held by try-with-resources for their scope only
class PathLocksTest {
    @TempDir
    Path root;
    StoreLayout layout;
    String p;
    Path lockFile;

    @BeforeEach
    void setUp() throws Exception {
        layout = StoreLayout.under(root);
        Files.createDirectories(layout.storeDirectory());
        p = TestStores.path("locked");
        lockFile = layout.file(p + ".lock");
    }

    @Test
    void aSecondThreadWaitsAndIsToldWhy() throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        PathLocks.Held first = PathLocks.lock(layout, List.of(p), "waiting for " + p, messages::add);
        assertFalse(Fcntl.otherProcessCanLock(lockFile, true), "fcntl lock visible to other processes");
        Thread t = Thread.ofVirtual().start(() -> {
            try (PathLocks.Held second = PathLocks.lock(layout, List.of(p), "waiting for " + p, messages::add)) {
                messages.add("acquired");
            } catch (Exception e) {
                messages.add(e.toString());
            }
        });
        t.join(300);
        assertTrue(t.isAlive());
        assertEquals(List.of("waiting for " + p), messages);
        assertNull(tryLockFromAnotherThread(List.of(p)));
        first.close();
        t.join(5000);
        assertEquals(List.of("waiting for " + p, "acquired"), messages);
    }

    private PathLocks.Held tryLockFromAnotherThread(List<String> paths) throws Exception {
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            return pool.submit(() -> PathLocks.tryLock(layout, paths)).get();
        }
    }

    @Test
    void relockingBySameThreadIsTheDaemonsDeadlockError() throws Exception {
        try (PathLocks.Held h = PathLocks.lock(layout, List.of(p), "", null)) {
            StoreException e = assertThrows(StoreException.class, () -> PathLocks.lock(layout, List.of(p), "", null));
            assertEquals("deadlock: trying to re-acquire self-held lock", e.getMessage());
        }
    }

    @Test
    void deletionUnlinksTheLockFileAndMarksItStale() throws Exception {
        java.nio.channels.FileChannel waiter;
        try (PathLocks.Held h = PathLocks.lock(layout, List.of(p), "", null)) {
            assertTrue(Files.exists(lockFile));
            waiter = java.nio.channels.FileChannel.open(lockFile); // opened the inode before the unlink
            h.setDeletion(true);
        }
        assertFalse(Files.exists(lockFile));
        try (waiter) {
            assertEquals(1, waiter.size(), "the \"d\" that tells a waiter the lock file is stale");
        }
        try (PathLocks.Held h = PathLocks.lock(layout, List.of(p), "", null)) {
            assertTrue(Files.exists(lockFile)); // kept without setDeletion
        }
        assertTrue(Files.exists(lockFile));
        assertEquals(0, Files.size(lockFile));
    }

    @Test
    void aLockHeldByAnotherProcessIsWaitedFor() throws Exception {
        Files.createFile(lockFile);
        Process other = Fcntl.holdExclusive(lockFile);
        try {
            assertNull(PathLocks.tryLock(layout, List.of(p)));
            List<String> messages = new CopyOnWriteArrayList<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try (PathLocks.Held h = PathLocks.lock(layout, List.of(p), "busy", messages::add)) {
                    messages.add("acquired");
                } catch (Exception e) {
                    messages.add(e.toString());
                }
            });
            t.join(300);
            assertEquals(List.of("busy"), messages);
            other.getOutputStream().close();
            other.waitFor(10, TimeUnit.SECONDS);
            t.join(5000);
            assertEquals(List.of("busy", "acquired"), messages);
        } finally {
            other.destroy();
        }
    }

    @Test
    void aStaleNonEmptyLockFileIsReplaced() throws Exception {
        // An old owner unlinked it and wrote "d" after we opened it; here: a non-empty file at the name
        // would loop forever in guix too unless removed, so simulate the race by deleting on first look.
        Files.writeString(lockFile, "d");
        Thread remover = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
                Files.delete(lockFile);
            } catch (Exception ignored) {
                // test thread
            }
        });
        try (PathLocks.Held h = PathLocks.lock(layout, List.of(p), "", null)) {
            assertNotNull(h);
            assertEquals(0, Files.size(lockFile));
        }
        remover.join();
    }

    @Test
    void severalPathsAreLockedTogether() throws Exception {
        String q = TestStores.path("other");
        try (PathLocks.Held h = PathLocks.lock(layout, List.of(q, p), "", null)) {
            assertNull(tryLockFromAnotherThread(List.of(q)));
            assertNull(tryLockFromAnotherThread(List.of(p)));
        }
        try (PathLocks.Held h = PathLocks.tryLock(layout, List.of(p, q))) {
            assertNotNull(h);
        }
    }
}
