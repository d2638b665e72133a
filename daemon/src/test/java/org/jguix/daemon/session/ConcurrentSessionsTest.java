package org.jguix.daemon.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jguix.wire.ByteString;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many sessions at once adding the same text path (and one of their own each), as the
 * concurrent-clients scenario does with real clients: every session gets the same path, the path
 * is registered once, and nothing is left in the store but the items.
 */
class ConcurrentSessionsTest {
    @TempDir
    Path tmp;

    @Test
    void manySessionsAddTheSameTextPath() throws Exception {
        int sessions = 16;
        try (TestDaemon d = new TestDaemon(tmp); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Object>>> results = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                int me = i;
                results.add(pool.submit(() -> {
                    byte[] in = TestDaemon.client(
                            new Request.AddTextToStore("shared", ByteString.utf8("same for all\n"), List.of()),
                            new Request.AddTextToStore("own-" + me, ByteString.utf8("mine " + me + "\n"), List.of()));
                    ClientView v = new ClientView(d.replay(in));
                    return List.of(v.answer(Operation.ADD_TEXT_TO_STORE), v.answer(Operation.ADD_TEXT_TO_STORE));
                }));
            }
            Set<Object> shared = new TreeSet<>();
            Set<Object> own = new TreeSet<>();
            for (Future<List<Object>> f : results) {
                shared.add(f.get().get(0));
                own.add(f.get().get(1));
            }
            assertEquals(1, shared.size(), "one path for the shared text: " + shared);
            assertEquals(sessions, own.size());
            Set<String> all = new TreeSet<>(d.store.db().queryAllValidPaths());
            assertEquals(sessions + 1, all.size());
            try (Stream<Path> s = Files.list(d.store.layout().storeDirectory())) {
                assertEquals(all, new TreeSet<>(s.map(p -> "/gnu/store/" + p.getFileName())
                        .filter(p -> !p.endsWith(".lock") && !p.endsWith("/.links")).toList()));
            }
        } catch (IOException e) {
            throw e;
        }
    }
}
