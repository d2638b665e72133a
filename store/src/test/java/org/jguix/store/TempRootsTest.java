package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try")
class TempRootsTest {
    @TempDir
    Path root;

    @Test
    void rootsAreInMemoryPerSessionAndOnDiskPerProcess() throws Exception {
        StoreLayout l = StoreLayout.under(root);
        String a = TestStores.path("a");
        String b = TestStores.path("b");
        try (TempRoots roots = TempRoots.open(l, new GcLock(l, null))) {
            assertEquals(l.stateDir().resolve("temproots/" + ProcessHandle.current().pid()), roots.file());
            TempRoots.Session s1 = roots.newSession();
            TempRoots.Session s2 = roots.newSession();
            s1.add(a);
            s2.add(a);
            s2.add(b);
            assertEquals(a + "\0" + b + "\0", readFromOtherProcess(roots.file()));
            assertFalse(Fcntl.procLocks(roots.file()).isEmpty());
            // a guix collector's liveness probe (non-blocking whole-file write lock) fails: we are alive;
            // its read lock succeeds
            assertFalse(Fcntl.otherProcessCanLock(roots.file(), true));
            assertTrue(Fcntl.otherProcessCanLock(roots.file(), false));
            try (TempRoots.Frozen f = roots.freeze()) {
                assertEquals(new TreeSet<>(Set.of(a, b)), f.roots());
            }
            s2.close();
            try (TempRoots.Frozen f = roots.freeze()) {
                assertEquals(new TreeSet<>(Set.of(a)), f.roots());
            }
            assertEquals(new TreeSet<>(Set.of(a)), s1.roots());
            assertThrows(IllegalStateException.class, () -> TempRoots.open(l, new GcLock(l, null)));
            s1.close();
            Path file = roots.file();
            roots.close();
            assertFalse(Files.exists(file));
        }
    }

    /**
     * Reading the file in this process would drop our fcntl locks when the descriptor is closed (POSIX
     * locks are per process): read it as a collector would, from another process.
     */
    static String readFromOtherProcess(Path file) throws Exception {
        Process p = new ProcessBuilder("cat", file.toString()).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return s;
    }

    @Test
    void additionsWaitWhileFrozen() throws Exception {
        StoreLayout l = StoreLayout.under(root);
        try (TempRoots roots = TempRoots.open(l, new GcLock(l, null))) {
            TempRoots.Session s = roots.newSession();
            TempRoots.Frozen f = roots.freeze();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    s.add(TestStores.path("late"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            t.join(200);
            assertTrue(t.isAlive());
            f.close();
            t.join(5000);
            assertEquals(List.of(TestStores.path("late")), List.copyOf(s.roots()));
        }
    }

    @Test
    void manyClosedSessionsCompactTheFile() throws Exception {
        StoreLayout l = StoreLayout.under(root);
        try (TempRoots roots = TempRoots.open(l, new GcLock(l, null))) {
            TempRoots.Session keep = roots.newSession();
            keep.add(TestStores.path("kept"));
            for (int i = 0; i < 100; i++) {
                try (TempRoots.Session s = roots.newSession()) {
                    s.add(TestStores.path("gone" + i));
                }
            }
            String content = readFromOtherProcess(roots.file());
            assertTrue(content.startsWith(TestStores.path("kept") + "\0"), content);
            assertTrue(content.split("\0").length < 60, "compacted: " + content.split("\0").length);
        }
    }

    @Test
    void aWatchSeesTheRootsHeldAndThenEachAdditionAndAHoldBlocksAdditions() throws Exception {
        StoreLayout l = StoreLayout.under(root);
        try (TempRoots roots = TempRoots.open(l, new GcLock(l, null))) {
            TempRoots.Session s = roots.newSession();
            s.add(TestStores.path("before"));
            try (TempRoots.Watch w = roots.watch()) {
                assertEquals(new TreeSet<>(Set.of(TestStores.path("before"))), w.initial());
                s.add(TestStores.path("during"));
                assertEquals(List.of(TestStores.path("during")), w.drain());
                assertEquals(List.of(), w.drain());
                Thread t;
                try (TempRoots.Hold h = w.hold()) {
                    assertEquals(List.of(), h.added());
                    t = Thread.ofVirtual().start(() -> {
                        try {
                            s.add(TestStores.path("late"));
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
                    t.join(200);
                    assertTrue(t.isAlive(), "additions wait while the collector holds");
                }
                t.join(5000);
                assertEquals(List.of(TestStores.path("late")), w.drain());
            }
            s.add(TestStores.path("after"));
            s.close();
        }
    }
}
