package org.jguix.daemon.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * Issue #6: random interleavings of several clients adding, rooting, unrooting, deleting and
 * collecting, over the protocol, some steps running two or three clients' requests at the same
 * time, never lose a live path. After every step, every path that was valid and live when the step
 * began and is still reachable from a root (a GC root symlink, or a temp root of an open
 * connection) through references, and every path added in the step, is valid and on disk. Then the
 * model's protected set becomes what is live and valid now.
 *
 * <p>Builds are left out: the sandbox needs root and the sid root, which unit tests do not have;
 * the build path's roots are the same temp roots ({@code DerivationGoal}) and its GC safety is
 * covered by the crash-safety and gc scenarios. All tries share one in-process daemon on one temp
 * store (a fresh store per try would cost more than the try), on tmpfs if there is one; each try's
 * items are new. About 20 s for the 1,000 tries on the 2-core development VM.
 */
class GcInterleavingProperties {
    private static final int CLIENTS = 3;
    private static final AtomicLong ITEMS = new AtomicLong();
    private static Path root;
    private static TestDaemon daemon;
    private static ExecutorService pool;

    /** What one client does in a step; {@code pick} chooses among the candidates when it runs. */
    enum Kind { ADD, ADD_WITH_REFS, TEMP_ROOT, ROOT, UNROOT, DELETE, GC, RECONNECT }

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
        daemon = new TestDaemon(root, org.jguix.daemon.config.Settings.DEFAULTS.with("build-use-substitutes", "false"),
                Files.createDirectories(root.resolve("no-proc")));
        pool = Executors.newCachedThreadPool();
    }

    @AfterContainer
    static void close() throws IOException {
        pool.shutdownNow();
        daemon.close();
        TreeDeleter.delete(root);
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.ADD)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.ADD_WITH_REFS)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.TEMP_ROOT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.ROOT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.UNROOT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.DELETE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.GC)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.RECONNECT)));
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

    /** The model: each client's connection and what it holds, the GC roots, the references. */
    private static final class World implements AutoCloseable {
        final LiveClient[] clients = new LiveClient[CLIENTS];
        final List<Set<String>> held = new ArrayList<>();
        final Map<String, String> roots = new TreeMap<>();
        final Map<String, List<String>> refs = new HashMap<>();
        final List<String> known = new ArrayList<>();
        Set<String> protectedValid = new HashSet<>();

        World() throws IOException {
            for (int c = 0; c < CLIENTS; c++) {
                clients[c] = new LiveClient(daemon, pool);
                held.add(new HashSet<>());
            }
        }

        Set<String> rootSet() {
            Set<String> r = new HashSet<>(roots.values());
            held.forEach(r::addAll);
            return r;
        }

        Set<String> closure(Set<String> from) {
            Set<String> out = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(from);
            while (!todo.isEmpty()) {
                String p = todo.pop();
                if (out.add(p)) {
                    todo.addAll(refs.getOrDefault(p, List.of()));
                }
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            for (LiveClient c : clients) {
                c.close();
            }
            for (String link : roots.keySet()) {
                Files.deleteIfExists(gcroots().resolve(link));
            }
        }
    }

    static Path gcroots() {
        return daemon.store.layout().stateDir().resolve("gcroots");
    }

    private static <T> T pick(List<T> from, int pick) {
        return from.isEmpty() ? null : from.get(Math.floorMod(pick, from.size()));
    }

    @Property(tries = 1000)
    void noLivePathIsLost(@ForAll("schedules") List<Step> schedule) throws Exception {
        try (World w = new World()) {
            for (Step step : schedule) {
                Set<String> rootsBefore = w.rootSet();
                List<String> added = runStep(w, step);
                Set<String> rootsAfter = w.rootSet();
                Set<String> stillRooted = new HashSet<>(rootsBefore);
                stillRooted.retainAll(rootsAfter);
                Set<String> required = w.closure(stillRooted);
                required.retainAll(w.protectedValid);
                required.addAll(added);
                for (String p : required) {
                    assertTrue(daemon.store.db().isValidPath(p), "live path lost (invalid): " + p + " after " + step);
                    assertTrue(Files.exists(daemon.store.layout().file(p), LinkOption.NOFOLLOW_LINKS),
                            "live path lost (no content): " + p + " after " + step);
                }
                Set<String> live = w.closure(rootsAfter);
                Set<String> valid = new HashSet<>();
                for (String p : live) {
                    if (daemon.store.db().isValidPath(p)) {
                        valid.add(p);
                    }
                }
                w.protectedValid = valid;
            }
        }
    }

    /** Runs the step's actions at once; returns the paths added. */
    private static List<String> runStep(World w, Step step) throws Exception {
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
                case TEMP_ROOT -> {
                    String p = pick(w.known, a.pick());
                    if (p != null) {
                        held.add(p); // from now on: the daemon adds it before it answers
                        replies.add(pool.submit(() -> client.call(Operation.ADD_TEMP_ROOT, new Request.AddTempRoot(p))));
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
