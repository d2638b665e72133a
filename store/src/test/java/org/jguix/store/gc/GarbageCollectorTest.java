package org.jguix.store.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.store.StoreException;
import org.jguix.store.TempRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector's decisions, results and messages, against guix-daemon 1.5.0's ({@code gc.cc}). */
class GarbageCollectorTest {
    @TempDir
    Path tmp;

    static SortedSet<String> set(String... s) {
        return new TreeSet<>(List.of(s));
    }

    /** The "[…] deleting 'P'" lines without their running total, sorted (the order is random). */
    static List<String> deletions(List<String> messages) {
        return messages.stream().filter(m -> m.matches("I \\[.*\\] deleting '.*'"))
                .map(m -> m.replaceFirst("^I \\[[^]]*\\] ", "")).sorted().toList();
    }

    static List<String> others(List<String> messages) {
        return messages.stream().filter(m -> !m.matches("I \\[.*\\] deleting '.*'")).toList();
    }

    @Test
    void rootsKeepTheirClosureAndEverythingElseIsGarbage() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            String dep = s.text("dep", "kept through a reference\n");
            String kept = s.text("kept", "uses " + dep + "\n", dep);
            String dead = s.text("dead", "nobody wants me\n");
            String deadRef = s.text("dead-ref", "also uses " + dep + "\n", dep);
            s.root("kept", kept);

            assertEquals(new GcResult(set(kept, dep), 0), s.collect(GcAction.RETURN_LIVE));
            assertEquals(List.of("E finding garbage collector roots...", "E determining live/dead paths..."),
                    s.takeMessages());
            assertEquals(new GcResult(set(dead, deadRef), 0), s.collect(GcAction.RETURN_DEAD));
            s.takeMessages();

            GcResult r = s.collect(GcAction.DELETE_DEAD);
            long linksSize = (Long) Files.getAttribute(s.links.dir(), "unix:size");
            assertEquals(set(dead, deadRef), r.paths());
            assertEquals(("nobody wants me\n" + "also uses " + dep + "\n").length(), r.bytesFreed());
            List<String> m = s.takeMessages();
            assertEquals(List.of("deleting '" + dead + "'", "deleting '" + deadRef + "'").stream().sorted().toList(),
                    deletions(m));
            assertEquals(List.of("E finding garbage collector roots...", "E deleting garbage...",
                    "I deleting `/gnu/store/trash'", "E deleting unused links...",
                    "I note: currently hard linking saves " + String.format("%4d  bytes", -linksSize)), others(m));
            assertTrue(m.get(2).equals("I [   0  bytes] deleting '" + dead + "'")
                    || m.get(2).equals("I [   0  bytes] deleting '" + deadRef + "'"), m.get(2));
            for (String p : List.of(dead, deadRef)) {
                assertFalse(s.db.isValidPath(p));
                assertFalse(s.onDisk(p));
            }
            for (String p : List.of(dep, kept)) {
                assertTrue(s.db.isValidPath(p));
                assertTrue(s.onDisk(p));
            }
            assertFalse(s.onDisk("/gnu/store/trash"));
            assertEquals(new GcResult(set(), 0), s.collect(GcAction.DELETE_DEAD));
        }
    }

    @Test
    void deleteSpecificTakesDeadReferrersAndRefusesLivePaths() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            String base = s.dir("base", "the base\n");
            String r1 = s.text("r1", "one " + base, base);
            String r2 = s.text("r2", "two " + r1, r1);
            String live = s.text("live", "rooted\n");
            s.root("live", live);

            GcResult r = s.collect(GcAction.DELETE_SPECIFIC, base);
            assertEquals(set(base, r1, r2), r.paths());
            assertEquals("the base\n".length() + ("one " + base).length() + ("two " + r1).length(), r.bytesFreed());
            List<String> m = s.takeMessages();
            assertEquals(List.of("E finding garbage collector roots...", "I deleting `/gnu/store/trash'",
                    "E deleting unused links..."), others(m).subList(0, 3));
            // referrers go first: r2, then r1, then base (a directory: through the trash)
            assertEquals(List.of("I [   0  bytes] deleting '" + r2 + "'"), m.subList(1, 2));
            assertTrue(m.get(3).startsWith("I [") && m.get(3).endsWith("deleting '" + base + "'"), m.get(3));

            StoreException e = assertThrows(StoreException.class, () -> s.collect(GcAction.DELETE_SPECIFIC, live));
            assertEquals("cannot delete path `" + live + "' since it is still alive", e.getMessage());
            assertTrue(s.db.isValidPath(live));
            assertEquals(List.of("E finding garbage collector roots..."), s.takeMessages());

            String missing = GcStore.textPath("never-added", "x");
            assertEquals(new GcResult(set(), 0), s.collect(GcAction.DELETE_SPECIFIC, missing));
        }
    }

    @Test
    void derivationsAndOutputsFollowTheKeepSettings() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            String src = s.text("src", "source\n");
            String drv = s.drv("thing", src);
            String out = s.output("thing", drv, "built\n");
            GcOptions live = GcOptions.of(GcAction.RETURN_LIVE, List.of());

            s.root("out", out);
            assertEquals(set(out, drv, src), s.collect(live).paths(), "gc-keep-derivations (default): drv kept");
            assertEquals(set(out), s.collect(live.withKeep(false, false)).paths());
            Files.delete(s.layout.stateDir().resolve("gcroots/out"));

            s.root("drv", drv);
            assertEquals(set(drv, src), s.collect(live).paths(), "outputs not kept by default");
            assertEquals(set(drv, src, out), s.collect(live.withKeep(true, true)).paths());
            assertEquals(set(out), s.collect(GcOptions.of(GcAction.RETURN_DEAD, List.of())).paths());
        }
    }

    @Test
    void indirectRootsAndStaleAutoLinks() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            String item = s.text("item", "held by a user's link\n");
            Path link = tmp.resolve("home/result");
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(item));
            s.gcRoots.addIndirectRoot("/home/result"); // the logical name of the link
            assertEquals(set(item), s.collect(GcAction.RETURN_LIVE).paths());
            s.takeMessages();

            Files.delete(link);
            assertEquals(set(item), s.collect(GcAction.DELETE_DEAD).paths());
            Path auto = s.gcRoots.indirectRootLink("/home/result");
            assertEquals("I removing stale link from `" + auto + "' to `" + link + "'", s.takeMessages().get(1));
            assertFalse(Files.exists(auto, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void tempRootsProtectPathsAndTheirBuildFiles() throws IOException {
        try (GcStore s = new GcStore(tmp); TempRoots.Session session = s.tempRoots.newSession()) {
            String added = s.text("added", "just added by a client\n");
            String building = GcStore.textPath("building", "an output being built");
            session.add(added);
            session.add(building);
            Files.createDirectories(s.layout.file(building));
            Files.writeString(s.layout.file(building + ".lock"), "");
            Files.createDirectories(s.layout.file(building + ".chroot"));
            String stale = GcStore.textPath("stale", "a lock of nothing") + ".lock";
            Files.writeString(s.layout.file(stale), "");
            Path ours = s.writer.newTemporary();
            Files.writeString(ours, "an upload in progress");
            Path deadProcess = s.layout.storeDirectory().resolve(".jguix-tmp-2147483646-1");
            Files.writeString(deadProcess, "left by a crash");

            assertEquals(set(added, building), s.collect(GcAction.RETURN_LIVE).paths());
            assertEquals(set(stale, "/gnu/store/.jguix-tmp-2147483646-1"), s.collect(GcAction.RETURN_DEAD).paths());
            assertEquals(set(stale, "/gnu/store/.jguix-tmp-2147483646-1"), s.collect(GcAction.DELETE_DEAD).paths());
            for (String p : List.of(added, building, building + ".lock", building + ".chroot")) {
                assertTrue(s.onDisk(p), p);
            }
            assertTrue(Files.exists(ours));
            assertFalse(s.onDisk(stale));
            assertFalse(Files.exists(deadProcess));
        }
    }

    /**
     * Files leave through the trash and are unlinked on the {@link Unlinker}'s threads, but the
     * figures are guix-daemon's — each "[…] deleting" line shows the bytes of the files deleted
     * before it — and when the collection returns every one of them is gone from the disk.
     */
    @Test
    void manyFilesAreCountedInOrderAndGoneWhenTheCollectionReturns() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            java.util.Map<String, Integer> size = new java.util.HashMap<>();
            for (int i = 0; i < 300; i++) {
                String content = "garbage " + i + "\n" + "x".repeat(i * 7);
                size.put(s.text("g" + i, content), content.length());
            }
            GcResult r = s.collect(GcAction.DELETE_DEAD);
            assertEquals(size.keySet(), r.paths());
            long total = 0;
            for (String line : s.takeMessages()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("I \\[(.*)\\] deleting '(.*)'").matcher(line);
                if (m.matches()) {
                    assertEquals(org.jguix.store.optimise.ShowBytes.of(total), m.group(1), line);
                    total += size.get(m.group(2));
                }
            }
            assertEquals(size.values().stream().mapToLong(Integer::longValue).sum(), total);
            assertEquals(total, r.bytesFreed());
            for (String p : size.keySet()) {
                assertFalse(s.onDisk(p), p);
            }
            assertFalse(s.onDisk("/gnu/store/trash"));
        }
    }

    @Test
    void maxFreedStopsTheScanEarly() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                items.add(s.text("item" + i, "garbage number " + i + "\n"));
            }
            GcResult r = s.collect(GcOptions.of(GcAction.DELETE_DEAD, List.of()).withMaxFreed(1));
            assertEquals(1, r.paths().size());
            assertEquals("garbage number 0\n".length(), r.bytesFreed());
            List<String> m = s.takeMessages();
            assertEquals("I [0%] deleting '" + r.paths().first() + "'", m.get(2));
            assertEquals("I deleted or invalidated more than 1 bytes; stopping", m.get(3));
            assertEquals(4, items.stream().filter(s::valid).count());

            assertEquals(new GcResult(set(), 0), s.collect(GcOptions.of(GcAction.DELETE_DEAD, List.of())
                    .withMaxFreed(0)));
            assertEquals(List.of("E finding garbage collector roots...", "I deleting `/gnu/store/trash'",
                    "E deleting unused links..."), s.takeMessages().subList(0, 3));
        }
    }

    /**
     * With auto-optimise a store file has a second link in {@code .links}: deleting it counts its
     * bytes only if nothing else shares it (link count ≤ 2), and removing the then-unused
     * {@code .links} entry counts them again — guix-daemon's figure, which {@code guix gc} prints.
     */
    @Test
    void deduplicatedFilesAreCountedAsGuixDaemonCountsThem() throws Exception {
        String big = "0123456789abcdef".repeat(1250);
        try (GcStore s = new GcStore(tmp)) {
            String a = s.dir("a", big);
            String b = s.dir("b", big);
            s.root("b", b);
            long linksDir = (Long) Files.getAttribute(s.links.dir(), "unix:size");
            assertEquals(new GcResult(set(a), 0), s.collect(GcAction.DELETE_DEAD));
            List<String> m = s.takeMessages();
            assertEquals("I note: currently hard linking saves " + String.format("%4d  bytes", -linksDir),
                    m.get(m.size() - 1));

            Files.delete(s.layout.stateDir().resolve("gcroots/b"));
            assertEquals(new GcResult(set(b), 2L * big.length()), s.collect(GcAction.DELETE_DEAD));
            try (var links = Files.list(s.links.dir())) {
                assertEquals(0, links.count());
            }
        }
    }

    @Test
    void withoutDeduplicationEachFileCountsOnce() throws Exception {
        String big = "0123456789abcdef".repeat(1250);
        try (GcStore s = new GcStore(tmp, false)) {
            s.dir("a", big);
            assertEquals(big.length(), s.collect(GcAction.DELETE_DEAD).bytesFreed());
        }
    }

    /** guix-daemon casts any action to its enum; an unknown one scans, then fails on the missing trash. */
    @Test
    void anUnknownActionFailsLikeGuixDaemon() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            String dead = s.text("dead", "dead\n");
            StoreException e = assertThrows(StoreException.class, () -> s.collect(GcAction.of(7)));
            assertEquals("getting status of `/gnu/store/trash': No such file or directory", e.getMessage());
            assertEquals(List.of("E finding garbage collector roots...", "E determining live/dead paths...",
                    "I deleting `/gnu/store/trash'"), s.takeMessages());
            assertTrue(s.valid(dead));
        }
    }

    /** A second collection in this process waits for the first, with openGCLock's message. */
    @Test
    void collectionsTakeTurns() throws Exception {
        try (GcStore s = new GcStore(tmp)) {
            String dead = s.text("dead", "dead\n");
            java.util.concurrent.CountDownLatch inFirst = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            s.onMessage = m -> {
                if (m.equals("E deleting garbage...") && inFirst.getCount() == 1) {
                    inFirst.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException x) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            Thread first = Thread.ofPlatform().start(() -> {
                try {
                    s.collect(GcAction.DELETE_DEAD);
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            });
            inFirst.await();
            java.util.concurrent.CompletableFuture<GcResult> second = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return s.collect(GcAction.RETURN_DEAD);
                        } catch (IOException x) {
                            throw new java.io.UncheckedIOException(x);
                        }
                    });
            Thread.sleep(200);
            assertFalse(second.isDone());
            assertTrue(s.messages.contains("E waiting for the big garbage collector lock..."));
            release.countDown();
            first.join();
            assertEquals(set(), second.get().paths());
            assertFalse(s.valid(dead));
        }
    }
}
