package org.jguix.daemon.session;

import java.io.IOException;
import java.nio.file.Files;
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
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/**
 * The model of {@link GcInterleavingProperties}: each client's connection and the temp roots it
 * holds, the GC root links made, the references of every path added or built, the derivations, and
 * which paths were live and valid after the last step. Mutable, used by one try; the step's
 * concurrent actions update it under its monitor.
 */
final class GcWorld implements AutoCloseable {
    final LiveClient[] clients;
    final List<Set<String>> held = new ArrayList<>();
    /** GC root links (names under {@code gcroots}) and their targets. */
    final Map<String, String> roots = new TreeMap<>();
    final Map<String, List<String>> refs = new HashMap<>();
    final List<String> known = new ArrayList<>();
    /** Every derivation added so far, by {@code .drv} path. */
    final Map<String, HostShDerivation> drvs = new TreeMap<>();
    Set<String> protectedValid = new HashSet<>();
    private final Path gcroots;

    GcWorld(TestDaemon daemon, ExecutorService pool, int clientCount, Path gcroots) throws IOException {
        this.gcroots = gcroots;
        clients = new LiveClient[clientCount];
        for (int c = 0; c < clientCount; c++) {
            clients[c] = new LiveClient(daemon, pool);
            held.add(new HashSet<>());
        }
    }

    Set<String> rootSet() {
        Set<String> r = new HashSet<>(roots.values());
        held.forEach(r::addAll);
        return r;
    }

    /**
     * What {@code from} reaches through references, passing only through paths that are {@code
     * within} (valid): an invalid path's references are no references (it may have been deleted while
     * what it referred to stayed).
     */
    Set<String> closure(Set<String> from, Predicate<String> within) {
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(from);
        while (!todo.isEmpty()) {
            String p = todo.pop();
            if (within.test(p) && out.add(p)) {
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
            Files.deleteIfExists(gcroots.resolve(link));
        }
    }
}
