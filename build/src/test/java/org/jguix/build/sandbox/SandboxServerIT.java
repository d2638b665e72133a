package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jguix.build.spec.PlainSpec;
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The long-running {@code jguix-sandbox --server}: builds run as its children with the log and
 * control pipes reached through {@code /proc}, one server for many builds, a dead one replaced,
 * termination and {@link SandboxServer#close} stopping running builds; and {@link SandboxRunner}
 * without a launcher uses it.
 */
class SandboxServerIT {
    private BusyboxStore scratch;
    private Path dir;
    private StoreDir store;

    @BeforeEach
    void setUp() throws IOException {
        SidRoot.assumeRoot();
        SidRoot.assumeStaticTools();
        scratch = BusyboxStore.create("jguix-server-it.");
        dir = scratch.dir();
        store = scratch.store();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (scratch != null) {
            scratch.close();
        }
    }

    private byte[] spec(String script) {
        return HelperSpecWriter.write(new PlainSpec(store, store.path() + "/busybox", List.of("sh", "-c", script),
                new TreeMap<>(Map.of("bb", store.path() + "/busybox")), dir + "/build", Optional.empty(), 0x40000,
                1000, List.of(), false, Optional.empty(), Optional.empty(), true));
    }

    /** The next line of {@code in}, its newline included (what came before EOF if there is none). */
    private static String line(java.io.InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            b.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return b.toString();
    }

    private static String all(java.io.InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void buildsAreChildrenOfOneServer() throws Exception {
        try (SandboxServer server = new SandboxServer(List.of(SandboxHelper.locate().toString()))) {
            long first = -1;
            for (int i = 0; i < 3; i++) {
                try (Monitor m = server.start(spec("echo out " + i + "; echo err >&2; exit " + i))) {
                    assertEquals("\nout " + i + "\nerr\n", all(m.log()));
                    String control = all(m.control());
                    assertTrue(control.matches("pid \\d+\nexit " + i + "\n"), control);
                    assertEquals(0, m.waitFor());
                    assertFalse(m.isAlive());
                    long parent = ProcessHandle.of(Long.parseLong(control.split("[ \n]")[1]))
                            .map(h -> h.parent().map(ProcessHandle::pid).orElse(-1L)).orElse(-2L);
                    if (first < 0) {
                        first = serverPid(server);
                    }
                    assertEquals(first, serverPid(server), "one server for every build");
                    assertNotEquals(-1L, parent);
                }
            }
        }
    }

    @Test
    void terminateKillsTheBuildAndADeadServerIsReplaced() throws Exception {
        try (SandboxServer server = new SandboxServer(List.of(SandboxHelper.locate().toString()))) {
            Monitor m = server.start(spec("echo started; exec $bb sleep 300"));
            assertEquals('\n', m.log().read());
            // The builder runs once it has said so; terminating before that raced with its echo.
            assertEquals("started\n", line(m.log()));
            m.terminate();
            assertTrue(m.waitFor(10_000), "the monitor ended");
            assertEquals("", all(m.log()));
            assertTrue(all(m.control()).endsWith("signal 9\n"), "the builder was SIGKILLed");
            m.close();
            long old = serverPid(server);
            ProcessHandle h = ProcessHandle.of(old).orElseThrow();
            h.destroyForcibly();
            h.onExit().get(5, TimeUnit.SECONDS);
            try (Monitor again = server.start(spec("exit 0"))) {
                assertEquals(0, again.waitFor());
                assertNotEquals(old, serverPid(server));
            }
        }
    }

    @Test
    void anAbandonedRunIsKilledAndTheServerGoesOn() throws Exception {
        try (SandboxServer server = new SandboxServer(List.of(SandboxHelper.locate().toString()))) {
            Path marker = dir.resolve("build/abandoned-ran");
            // Interrupted while it waits for "started": the request was handed over, so the server may
            // still fork it; the run must be killed, not left running beside a retry.
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class,
                    () -> server.start(spec("$bb touch " + marker + "; exec $bb sleep 300")));
            assertFalse(Thread.interrupted());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sleepers(server) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, sleepers(server), "the abandoned build is killed");
            try (Monitor again = server.start(spec("echo next; exit 3"))) {
                assertEquals("\nnext\n", all(again.log()));
                assertEquals(0, again.waitFor());
            }
        }
    }

    /** Processes under the server still running the abandoned build's sleep. */
    private static long sleepers(SandboxServer server) throws Exception {
        return ProcessHandle.of(serverPid(server)).orElseThrow().descendants()
                .filter(h -> h.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("sleep 300"))
                .count();
    }

    @Test
    void closingTheServerStopsItsBuilds() throws Exception {
        SandboxServer server = new SandboxServer(List.of(SandboxHelper.locate().toString()));
        Monitor m = server.start(spec("echo started; exec $bb sleep 300"));
        assertEquals('\n', m.log().read());
        server.close();
        assertTrue(m.waitFor(10_000), "end-of-file on the server's stdin stops its builds");
        m.close();
    }

    @Test
    void theRunnerWithoutLauncherUsesTheServer() throws Exception {
        try (SandboxRunner runner = new SandboxRunner(SandboxHelper.locate(), List.of(), dir)) {
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            long[] grandparent = {0};
            PlainSpec spec = new PlainSpec(store, store.path() + "/busybox", List.of("sh", "-c", "$bb sleep 1; echo hi; exit 2"),
                    new TreeMap<>(Map.of("bb", store.path() + "/busybox")), dir + "/build", Optional.empty(), 0x40000, 1000, List.of(), false,
                    Optional.empty(), Optional.empty(), true);
            SandboxResult r = runner.run(spec, BuildLimits.NONE, SandboxRunner.Listener.of(pid -> grandparent[0] =
                    ProcessHandle.of(pid).flatMap(ProcessHandle::parent).flatMap(ProcessHandle::parent)
                            .map(ProcessHandle::pid).orElse(-1L)), log, () -> false);
            assertEquals(new SandboxResult.Exited(2), r);
            assertEquals("hi\n", log.toString(StandardCharsets.ISO_8859_1));
            // builder -> monitor -> server, not builder -> monitor -> JVM
            assertNotEquals(ProcessHandle.current().pid(), grandparent[0]);
            String args = ProcessHandle.of(grandparent[0]).map(h -> String.join(" ",
                    h.info().arguments().orElse(new String[0]))).orElse("");
            assertEquals("--server", args, "the builder's grandparent is the server");
        }
    }

    private static long serverPid(SandboxServer server) throws Exception {
        java.lang.reflect.Field f = SandboxServer.class.getDeclaredField("server");
        f.setAccessible(true);
        return ((Process) f.get(server)).pid();
    }
}
