package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code killUser} through the long-running {@code jguix-sandbox --kill-server}: every process of the
 * uid dies, one server serves many requests, a dead one is replaced, refusals come back as errors.
 */
class UserKillerIT {
    private static final int UID = 30997;

    /** A process running as {@link #UID} (util-linux setpriv), as a builder's leftover would be. */
    private static Process asUser() throws IOException {
        Path setpriv = Path.of("/usr/bin/setpriv");
        assumeTrue(Files.isExecutable(setpriv), "no setpriv");
        return new ProcessBuilder(setpriv.toString(), "--reuid=" + UID, "--regid=" + UID, "--clear-groups",
                "sleep", "300").start();
    }

    @Test
    void killsEveryProcessOfTheUidWithOneServer() throws Exception {
        SidRoot.assumeRoot();
        try (UserKiller killer = new UserKiller(List.of(SandboxHelper.locate().toString()))) {
            Process a = asUser();
            Process b = asUser();
            Thread.sleep(200); // let setpriv switch uid and exec
            killer.kill(UID);
            assertTrue(a.waitFor(5, TimeUnit.SECONDS) && b.waitFor(5, TimeUnit.SECONDS), "still running");
            assertEquals(137, a.exitValue(), "SIGKILL");
            long server = killer.serverPid();
            assertTrue(server > 0);
            killer.kill(UID); // nothing left to kill: still fine, same server
            assertEquals(server, killer.serverPid());
        }
    }

    @Test
    void aDeadServerIsReplaced() throws Exception {
        SidRoot.assumeRoot();
        try (UserKiller killer = new UserKiller(List.of(SandboxHelper.locate().toString()))) {
            killer.kill(UID);
            long first = killer.serverPid();
            ProcessHandle server = ProcessHandle.of(first).orElseThrow();
            server.destroyForcibly();
            server.onExit().get(5, TimeUnit.SECONDS);
            Process p = asUser();
            Thread.sleep(200);
            killer.kill(UID);
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "not killed by the new server");
            assertNotEquals(first, killer.serverPid());
        }
    }

    @Test
    void refusalsAreErrorsAndTheServerStays() throws Exception {
        SidRoot.assumeRoot();
        try (UserKiller killer = new UserKiller(List.of(SandboxHelper.locate().toString()))) {
            IOException e = assertThrows(IOException.class, () -> killer.kill(0));
            assertEquals("refusing to kill all processes of root", e.getMessage());
            long server = killer.serverPid();
            killer.kill(UID);
            assertEquals(server, killer.serverPid());
        }
        UserKiller closed = new UserKiller(List.of(SandboxHelper.locate().toString()));
        closed.kill(UID);
        long pid = closed.serverPid();
        closed.close();
        assertFalse(ProcessHandle.of(pid).map(h -> {
            try {
                return h.onExit().get(5, TimeUnit.SECONDS).isAlive();
            } catch (Exception ex) {
                return true;
            }
        }).orElse(false), "close ends the server");
    }
}
