package org.jguix.store.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jguix.store.TempRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collecting while the store keeps changing: roots and referrers that appear after the collector
 * read the graph must keep what they need, and adds that run during a collection must never lose
 * their path — including adds of the very paths being collected.
 */
class GcConcurrencyTest {
    @TempDir
    Path tmp;

    @Test
    void aTempRootAddedDuringTheCollectionKeepsItsClosure() throws IOException {
        try (GcStore s = new GcStore(tmp); TempRoots.Session client = s.tempRoots.newSession()) {
            String leaf = s.dir("leaf", "needed by top\n");
            String top = s.text("top", "uses " + leaf, leaf);
            String other = s.text("other", "really garbage\n");
            s.onMessage = m -> {
                if (m.equals("E deleting garbage...")) {
                    try {
                        client.add(top); // a client starts using top after the graph was read
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            assertEquals(GarbageCollectorTest.set(other), s.collect(GcAction.DELETE_DEAD).paths());
            for (String p : List.of(top, leaf)) {
                assertTrue(s.valid(p) && s.onDisk(p), p);
            }
        }
    }

    @Test
    void aReferrerRegisteredDuringTheCollectionKeepsItsReference() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            String old = s.text("old", "about to be referred to\n");
            String[] added = new String[1];
            s.onMessage = m -> {
                if (m.equals("E deleting garbage...")) {
                    try {
                        // registered with no temp root at all: the new referrer alone must keep old
                        added[0] = s.text("new", "refers to " + old, old);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            assertEquals(GarbageCollectorTest.set(), s.collect(GcAction.DELETE_DEAD).paths());
            assertTrue(s.valid(old) && s.onDisk(old));
            assertTrue(s.valid(added[0]) && s.onDisk(added[0]));
        }
    }

    /**
     * Several sessions add text items in a loop — some new, some identical to garbage the collector
     * is deleting at that moment — while a collection deletes a few hundred dead directories. Every
     * add must end with its path valid and complete on disk, and stay so after the collection (the
     * sessions still hold their temp roots). Also reports the longest add.
     */
    @Test
    void addsKeepTheirPathsWhileACollectionDeletes() throws Exception {
        try (GcStore s = new GcStore(tmp)) {
            int garbage = 300;
            List<String> dead = new ArrayList<>();
            for (int i = 0; i < garbage; i++) {
                dead.add(s.text("g" + i, "garbage " + i + "\n"));
                s.dir("d" + i, "dir garbage " + i + "\n");
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong longest = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<TempRoots.Session> sessions = new ArrayList<>();
            List<List<String>> addedBy = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                TempRoots.Session session = s.tempRoots.newSession();
                List<String> mine = new ArrayList<>();
                sessions.add(session);
                addedBy.add(mine);
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; !stop.get() || i < 20; i++) {
                            // odd rounds re-add a garbage item (same content, same path)
                            int g = (i * 7 + id * 13) % garbage;
                            String name = i % 2 == 1 ? "g" + g : "fresh-" + id + "-" + i;
                            String content = i % 2 == 1 ? "garbage " + g + "\n" : "fresh " + id + " " + i + "\n";
                            String path = GcStore.textPath(name, content);
                            long start = System.nanoTime();
                            s.writer.add(path, f -> Files.writeString(f, content), List.of(), Optional.empty(),
                                    session);
                            longest.accumulateAndGet(System.nanoTime() - start, Math::max);
                            mine.add(path);
                            check(s, path, content);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            GcResult r = s.collect(GcAction.DELETE_DEAD);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertTrue(r.paths().size() >= garbage, "deleted " + r.paths().size());
            for (int t = 0; t < addedBy.size(); t++) {
                for (String p : addedBy.get(t)) {
                    int i = p.indexOf('-') + 1;
                    String name = p.substring(i);
                    String content = name.startsWith("g") ? "garbage " + name.substring(1) + "\n"
                            : "fresh " + name.split("-")[1] + " " + name.split("-")[2] + "\n";
                    check(s, p, content);
                }
                sessions.get(t).close();
            }
            System.out.printf("GcConcurrencyTest: %d deleted, longest add %.1f ms%n", r.paths().size(),
                    longest.get() / 1e6);
            assertFalse(s.onDisk("/gnu/store/trash"));
        }
    }

    private static void check(GcStore s, String path, String content) throws IOException {
        if (!s.valid(path)) {
            throw new AssertionError("not valid after add: " + path);
        }
        Path f = s.layout.file(path);
        if (!Files.isRegularFile(f) || !Files.readString(f).equals(content)) {
            throw new AssertionError("content lost: " + path);
        }
    }
}
