package org.jguix.daemon.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jguix.nar.TreeDeleter;
import org.jguix.wire.ByteString;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;
import org.jguix.wire.StderrFrame;

/**
 * Issue #6: random interleavings of several clients adding, building, rooting, unrooting, deleting
 * and collecting, over the protocol, some steps running two or three clients' requests at the same
 * time, never lose a live path. After every step, every path that was valid and live when the step
 * began and is still reachable from a root (a GC root symlink, or a temp root of an open
 * connection) through references, and every path added or built in the step, is valid and on disk,
 * and every live valid path's references are valid. Then the model's protected set becomes what is
 * live and valid now.
 *
 * <p>Builds are real: a client adds a derivation ({@link HostShDerivation}) whose input is an item
 * it holds, and any client builds any derivation known so far with BuildPaths (half the time one it
 * does not hold, as {@code guix build /gnu/store/…drv} from a new process) while others collect.
 * The daemon builds as {@code --disable-chroot} without build users (mode D, which needs no root:
 * the builder is a copy of the host's {@code /bin/sh}); the GC sees the same temp roots and
 * references in every mode, and without a chroot the builder reads its input from the store
 * itself, so an input collected during the build fails it. A build of a {@code .drv} its client
 * holds (so of its input too) must succeed, unless it fails on purpose (a quarter do); its output
 * refers to the input, and the {@code .drv} (even if the build fails) and the output are temp roots
 * of the connection ({@code DerivationGoal}), like an added path. A build of a {@code .drv} that
 * nothing protects may fail (it may be collected first). Without the {@code .drv}'s or the
 * outputs' temp root in {@code DerivationGoal} this fails within the first few hundred tries.
 *
 * <p>All tries share one in-process daemon on one temp store (a fresh store per try would cost more
 * than the try), on tmpfs if there is one; each try's items are new. The 1,000 tries (about 500
 * builds) take 35-65 s on the 2-core development VM at load averages of 5-9 (about 20 s before
 * builds were added).
 */
class GcInterleavingProperties {
    private static final int CLIENTS = 3;
    private static final AtomicLong ITEMS = new AtomicLong();
    /** Builds that succeeded (of them, of a live {@code .drv}) and that failed: printed at the end. */
    private static final AtomicLong BUILT = new AtomicLong();
    private static final AtomicLong BUILT_LIVE = new AtomicLong();
    private static final AtomicLong NOT_BUILT = new AtomicLong();
    private static final AtomicLong FAILED_ON_PURPOSE = new AtomicLong();
    private static Path root;
    private static TestDaemon daemon;
    private static ExecutorService pool;
    /** The builders' shell, a copy of the host's {@code /bin/sh} in the store, kept by a GC root. */
    private static String shell;

    /** What one client does in a step; {@code pick} chooses among the candidates when it runs. */
    enum Kind { ADD, ADD_WITH_REFS, DRV, BUILD, TEMP_ROOT, ROOT, UNROOT, DELETE, GC, RECONNECT }

    record Action(int client, Kind kind, int pick) {
    }

    /** The actions of one step, at most one per client, sent at the same time. */
    record Step(List<Action> actions) {
    }

    @BeforeContainer
    static void open() throws IOException {
        // On tmpfs when there is one: the same code runs, but fsync costs nothing there, and 1,000
        // tries of fsynced adds on a disk take minutes.
        Path shm = Path.of("/dev/shm");
        root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "jguix-gc-interleavings")
                : Files.createTempDirectory("jguix-gc-interleavings");
        // No busy items: scanning the real /proc costs 20-40 ms per collection on a busy machine,
        // and busy items only ever add roots (RootSourcesTest covers them).
        daemon = new TestDaemon(root, org.jguix.daemon.config.Settings.DEFAULTS.with("build-use-substitutes", "false")
                .withField("build-use-chroot", "false").with("system", HostShDerivation.SYSTEM),
                Files.createDirectories(root.resolve("no-proc")), true);
        pool = Executors.newCachedThreadPool();
        byte[] sh = Files.readAllBytes(Path.of("/bin/sh").toRealPath());
        shell = org.jguix.storepath.StorePaths.makeStorePath(storeDir(), "text", org.jguix.hash.Hash.sha256(sh), "sh")
                .absolute();
        daemon.store.writer().add(shell, t -> {
            Files.write(t, sh);
            Files.setPosixFilePermissions(t, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        }, List.of(), java.util.Optional.empty(), null);
        Files.createSymbolicLink(gcroots().resolve("builder-shell"), Path.of(shell));
    }

    @AfterContainer
    static void close() throws IOException {
        System.out.printf("GcInterleavingProperties: %d builds (%d of a live .drv), %d failed on purpose, %d failed"
                + " (unprotected .drv)%n", BUILT.get(), BUILT_LIVE.get(), FAILED_ON_PURPOSE.get(), NOT_BUILT.get());
        pool.shutdownNow();
        daemon.close();
        TreeDeleter.delete(root);
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.ADD)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.ADD_WITH_REFS)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.DRV)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.BUILD)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.TEMP_ROOT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.ROOT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.UNROOT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.DELETE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.GC)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.RECONNECT)));
        Arbitrary<Step> steps = Arbitraries.integers().between(0, CLIENTS - 1).set().ofMinSize(1).ofMaxSize(CLIENTS)
                .flatMap(clients -> {
                    List<Arbitrary<Action>> actions = new ArrayList<>();
                    for (int c : new TreeSet<>(clients)) {
                        actions.add(net.jqwik.api.Combinators.combine(kinds, Arbitraries.integers().between(0, 1 << 20))
                                .as((k, p) -> new Action(c, k, p)));
                    }
                    return net.jqwik.api.Combinators.combine(actions).as(Step::new);
                });
        return steps.list().ofMinSize(3).ofMaxSize(10);
    }

    static org.jguix.storepath.StoreDir storeDir() throws IOException {
        return org.jguix.storepath.StoreDir.of(daemon.store.layout().storeDirString());
    }

    static Path gcroots() {
        return daemon.store.layout().stateDir().resolve("gcroots");
    }

    private static <T> T pick(List<T> from, int pick) {
        return from.isEmpty() ? null : from.get(Math.floorMod(pick, from.size()));
    }

    @Property(tries = 1000)
    void noLivePathIsLost(@ForAll("schedules") List<Step> schedule) throws Exception {
        try (GcWorld w = new GcWorld(daemon, pool, CLIENTS, gcroots())) {
            for (Step step : schedule) {
                Set<String> rootsBefore = w.rootSet();
                Set<String> kept = new HashSet<>();
                List<String> added = runStep(w, step, kept);
                Set<String> rootsAfter = w.rootSet();
                // Held throughout the step: a root dropped in it (a reconnect, an unroot) and taken again
                // (a temp root, a new link) leaves a moment in which the path may go.
                Set<String> stillRooted = new HashSet<>(rootsBefore);
                stillRooted.retainAll(kept);
                Set<String> required = w.closure(stillRooted, w.protectedValid::contains);
                required.addAll(added);
                for (String p : required) {
                    assertTrue(daemon.store.db().isValidPath(p), "live path lost (invalid): " + p + " after " + step
                            + (added.contains(p) ? " (added in it)" : " (rooted by " + stillRooted + ")") + "; log: "
                            + String.join("\n", daemon.log.subList(Math.max(0, daemon.log.size() - 20), daemon.log.size())));
                    assertTrue(Files.exists(daemon.store.layout().file(p), LinkOption.NOFOLLOW_LINKS),
                            "live path lost (no content): " + p + " after " + step);
                }
                Set<String> validNow = new HashSet<>();
                for (String p : w.closure(rootsAfter, p -> true)) {
                    if (daemon.store.db().isValidPath(p)) {
                        validNow.add(p);
                    }
                }
                Set<String> valid = w.closure(rootsAfter, validNow::contains);
                for (String p : valid) {
                    // The closure invariant: a valid path's references are valid (a build's output
                    // registered after its input was collected would break it).
                    for (String r : w.refs.getOrDefault(p, List.of())) {
                        assertTrue(daemon.store.db().isValidPath(r), "dangling reference " + p + " -> " + r);
                    }
                }
                w.protectedValid = valid;
            }
        }
    }

    /**
     * Runs the step's actions at once; returns the paths added. {@code kept} receives the roots left
     * once the step's drops (reconnects, unroots) are made, before any new root is taken.
     */
    private static List<String> runStep(GcWorld w, Step step, Set<String> kept) throws Exception {
        List<Future<Object>> replies = new ArrayList<>();
        List<Runnable> after = new ArrayList<>();
        List<String> added = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Action a : step.actions()) {
            LiveClient client = w.clients[a.client()];
            Set<String> held = w.held.get(a.client());
            switch (a.kind()) {
                case ADD, ADD_WITH_REFS -> {
                    List<String> refs = new ArrayList<>();
                    if (a.kind() == Kind.ADD_WITH_REFS) {
                        List<String> usable = held.stream().filter(w.protectedValid::contains).sorted().toList();
                        String r = pick(usable, a.pick());
                        if (r != null) {
                            refs.add(r);
                        }
                    }
                    long n = ITEMS.incrementAndGet();
                    String text = "item " + n + (refs.isEmpty() ? "" : " refers to " + refs.get(0));
                    replies.add(pool.submit(() -> {
                        Object p = client.call(Operation.ADD_TEXT_TO_STORE,
                                new Request.AddTextToStore("i" + n, ByteString.utf8(text), List.copyOf(refs)));
                        if (p instanceof String path) {
                            added.add(path);
                            synchronized (w) {
                                held.add(path);
                                w.refs.put(path, List.copyOf(refs));
                                w.known.add(path);
                            }
                        }
                        return p;
                    }));
                }
                case DRV -> {
                    String input;
                    synchronized (w) {
                        input = pick(held.stream().filter(w.protectedValid::contains).sorted().toList(), a.pick() >> 2);
                    }
                    // A quarter fail on purpose: then only the build's temp root on the .drv keeps it for the
                    // client that asked (a successful build's output keeps it too: gc-keep-derivations).
                    HostShDerivation d = HostShDerivation.of(storeDir(), shell, ITEMS.incrementAndGet(),
                            java.util.Optional.ofNullable(input), (a.pick() & 3) == 3);
                    replies.add(pool.submit(() -> {
                        Object p = client.call(Operation.ADD_TEXT_TO_STORE,
                                new Request.AddTextToStore(d.fileName(), ByteString.utf8(d.text()), d.refs()));
                        if (p instanceof String path) {
                            assertEquals(d.drvPath(), path, "the .drv's path");
                            added.add(path);
                            synchronized (w) {
                                held.add(path);
                                w.refs.put(path, d.refs());
                                w.known.add(path);
                                w.drvs.put(path, d);
                            }
                        }
                        return p;
                    }));
                }
                case BUILD -> {
                    HostShDerivation d;
                    boolean live;
                    synchronized (w) {
                        // Half the time one this client does not hold, as `guix build /gnu/store/…drv' from a new
                        // process builds another's: then only the build's own temp root keeps the .drv.
                        List<HostShDerivation> all = new ArrayList<>(w.drvs.values());
                        List<HostShDerivation> others = all.stream().filter(x -> !held.contains(x.drvPath())).toList();
                        d = pick((a.pick() & 1) == 0 || others.isEmpty() ? all : others, a.pick() >> 1);
                        // Its client's temp roots stay throughout the step (one action per client).
                        live = d != null && w.protectedValid.contains(d.drvPath()) && w.closure(held, w.protectedValid::contains).contains(d.drvPath());
                    }
                    if (d != null) {
                        java.util.concurrent.atomic.AtomicBoolean built = new java.util.concurrent.atomic.AtomicBoolean();
                        replies.add(pool.submit(() -> {
                            Object r = client.call(Operation.BUILD_PATHS, new Request.BuildPaths(List.of(d.drvPath()), 0));
                            if (r instanceof StderrFrame.Error e) {
                                boolean meant = d.fails() && client.messages().contains("failed with exit code 1");
                                if (live && !meant) {
                                    throw new AssertionError("build of live " + d.drvPath() + " failed: " + e.message() + "\n"
                                            + client.messages());
                                }
                                // Else failing on purpose, or collected before the build took it (nothing protected it).
                                (meant ? FAILED_ON_PURPOSE : NOT_BUILT).incrementAndGet();
                                return true;
                            }
                            if (d.fails()) {
                                throw new AssertionError("the failing " + d.drvPath() + " built");
                            }
                            built.set(true);
                            BUILT.incrementAndGet();
                            if (live) {
                                BUILT_LIVE.incrementAndGet();
                            }
                            added.add(d.output());
                            synchronized (w) {
                                w.refs.put(d.output(), d.refs());
                                if (!w.known.contains(d.output())) {
                                    w.known.add(d.output());
                                }
                            }
                            return r;
                        }));
                        after.add(() -> {
                            // DerivationGoal: the .drv is a temp root from the start, the outputs once it is loaded.
                            held.add(d.drvPath());
                            if (built.get()) {
                                held.add(d.output());
                            }
                        });
                    }
                }
                case TEMP_ROOT -> {
                    String p = pick(w.known, a.pick());
                    if (p != null) {
                        // Held once the daemon has answered: until then a collection or deletion running
                        // in the same step may take the path, if nothing else holds it.
                        replies.add(pool.submit(() -> client.call(Operation.ADD_TEMP_ROOT, new Request.AddTempRoot(p))));
                        after.add(() -> held.add(p));
                    }
                }
                case ROOT -> {
                    String p = pick(w.known, a.pick());
                    if (p != null) {
                        String link = "r" + ITEMS.incrementAndGet();
                        replies.add(pool.submit(() -> {
                            Files.createSymbolicLink(gcroots().resolve(link), Path.of(p));
                            return true;
                        }));
                        after.add(() -> w.roots.put(link, p));
                    }
                }
                case UNROOT -> {
                    String link = pick(new ArrayList<>(w.roots.keySet()), a.pick());
                    if (link != null) {
                        w.roots.remove(link); // no longer counted from the start of the step
                        replies.add(pool.submit(() -> {
                            Files.delete(gcroots().resolve(link));
                            return true;
                        }));
                    }
                }
                case DELETE -> {
                    String p = pick(w.known, a.pick());
                    if (p != null) {
                        replies.add(pool.submit(() -> client.call(Operation.COLLECT_GARBAGE,
                                new Request.CollectGarbage(3, List.of(p), false, -1L))));
                    }
                }
                case GC -> replies.add(pool.submit(() -> client.call(Operation.COLLECT_GARBAGE,
                        new Request.CollectGarbage(2, List.of(), false, -1L))));
                case RECONNECT -> {
                    held.clear(); // its roots go when the session ends, at some point in the step
                    replies.add(pool.submit(() -> {
                        client.close();
                        w.clients[a.client()] = new LiveClient(daemon, pool);
                        return true;
                    }));
                }
            }
        }
        synchronized (w) {
            kept.addAll(w.rootSet());
        }
        for (Future<Object> f : replies) {
            Object r = f.get();
            if (r instanceof StderrFrame.Error e && !e.message().contains("since it is still alive")) {
                throw new AssertionError("unexpected error " + e.message() + " in " + step);
            }
        }
        after.forEach(Runnable::run);
        return added;
    }
}
