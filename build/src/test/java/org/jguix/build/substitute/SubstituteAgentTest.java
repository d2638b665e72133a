package org.jguix.build.substitute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The substitute agent's request and status line against fake agents. */
class SubstituteAgentTest {
    private static final String P = "/gnu/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a";

    @TempDir
    Path dir;

    private final List<String> output = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private final SubstituteAgent.Progress progress = new SubstituteAgent.Progress() {
        @Override
        public void output(byte[] bytes) {
            output.add(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void error(String text) {
            errors.add(text);
        }
    };

    private SubstituteAgent agent(String body) throws IOException {
        return SubstituteAgent.start(FakeAgent.write(dir, body).toString(),
                Map.of("_NIX_OPTIONS", "a=b\ndeduplicate=yes"));
    }

    @Test
    void requestsAndStatusLinesOneAtATime() throws IOException {
        try (SubstituteAgent a = agent("while request; do msg 'Downloading...\\n'; sleep 0.1; reply 'success sha256:x 1\\n'; done")) {
            assertEquals("success sha256:x 1", a.substitute(P, P, progress));
            assertEquals("success sha256:x 1", a.substitute(P, P + ".tmp", progress));
            assertFalse(a.broken());
        }
        assertEquals(List.of("substitute " + P + " " + P, "substitute " + P + " " + P + ".tmp"),
                Files.readAllLines(dir.resolve("requests")));
        assertEquals(List.of("substitute --substitute"), Files.readAllLines(dir.resolve("args")));
        assertEquals("a=b\ndeduplicate=yes", Files.readString(dir.resolve("options")));
        assertEquals(List.of("Downloading...\n", "Downloading...\n"), output);
    }

    @Test
    void messagesWrittenBeforeTheStatusComeBeforeIt() throws IOException {
        // No pause between the two writes: only their order tells them apart.
        try (SubstituteAgent a = agent("request; msg 'last progress\\n'; reply 'not-found\\n'; sleep 60")) {
            assertEquals("not-found", a.substitute(P, P, progress));
        }
        assertEquals(List.of("last progress\n"), output);
    }

    @Test
    void agentDyingGivesAnEmptyStatusNotAHang() throws IOException {
        try (SubstituteAgent a = agent("request; msg 'error: boom\\n'; exit 1")) {
            String status = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> a.substitute(P, P, progress));
            assertEquals("", status);
            assertTrue(a.broken());
        }
    }

    // One write (an external printf), so that both lines come in one read, as they must for
    // guix-daemon to complain.
    @Test
    void extraReplyLinesAreReported() throws IOException {
        try (SubstituteAgent a = agent("request; env printf 'success sha256:x 1\\nbogus\\n' >&4; sleep 60")) {
            assertEquals("success sha256:x 1", a.substitute(P, P, progress));
        }
        assertEquals(List.of("unexpected substituter message 'bogus\n'"), errors);
    }

    @Test
    void cancellingKillsAHangingAgent() throws IOException {
        SubstituteAgent a = agent("request; sleep 600");
        long start = System.nanoTime();
        boolean[] cancel = {false};
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            cancel[0] = true;
        });
        assertThrows(InterruptedException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(20),
                        () -> a.substitute(P, P, progress, () -> cancel[0], SubstituteAgent.Limits.NONE)));
        assertTrue(a.broken());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        a.close();
    }

    @Test
    void silenceAndTimeoutKillTheAgent() throws IOException {
        try (SubstituteAgent a = agent("request; msg 'starting\\n'; sleep 600")) {
            SubstituteAgent.TimedOut t = assertThrows(SubstituteAgent.TimedOut.class, () -> a.substitute(P, P, progress,
                    () -> false, new SubstituteAgent.Limits(Duration.ofSeconds(1), Duration.ZERO)));
            assertTrue(t.silence());
            assertEquals(1, t.seconds());
            assertTrue(a.broken());
        }
        try (SubstituteAgent a = agent("request; while :; do msg 'busy\\n'; sleep 0.1; done")) {
            SubstituteAgent.TimedOut t = assertThrows(SubstituteAgent.TimedOut.class, () -> a.substitute(P, P, progress,
                    () -> false, new SubstituteAgent.Limits(Duration.ofSeconds(1), Duration.ofSeconds(2))));
            assertFalse(t.silence(), "output resets the silence, not the timeout");
            assertEquals(2, t.seconds());
        }
    }
}
