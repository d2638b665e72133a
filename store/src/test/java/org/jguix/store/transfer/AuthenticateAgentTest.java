package org.jguix.store.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jguix.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent protocol against a scripted stand-in for {@code guix authenticate} (bash): request bytes,
 * reply parsing (success, 500, 404), a dying agent, garbage, lazy start and close. The real agent is
 * exercised by TransferDaemonInteropIT.
 */
class AuthenticateAgentTest {
    static final String SCRIPT = """
            export LC_ALL=C
            log=$1
            printf 'start %s %s\\n' "$PWD" "$FOO" >> "$log"
            while IFS= read -r line; do
              printf '%s\\n' "$line" >> "$log"
              case "$line" in
                "sign "*) r="(signature ${line##* })"; printf '0 %d:%s' "${#r}" "$r" ;;
                "verify "*"good"*) printf '0 64:%s' 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ;;
                "verify "*"crash"*) exit 0 ;;
                "verify "*"garbage"*) printf 'oops' ;;
                "verify "*) r="unauthorized public key: ${line#verify *:}"; printf '500 %d:%s' "${#r}" "$r" ;;
                *) printf '404 15:invalid command' ;;
              esac
            done
            """;

    @TempDir
    Path tmp;
    Path log;
    AuthenticateAgent agent;

    @BeforeEach
    void script() throws Exception {
        Files.writeString(tmp.resolve("agent.sh"), SCRIPT);
        log = tmp.resolve("log");
        agent = new AuthenticateAgent(List.of("/bin/bash", tmp.resolve("agent.sh").toString(), log.toString()),
                Map.of("FOO", "bar"));
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void speaksTheDaemonsProtocol() throws Exception {
        assertFalse(agent.isRunning(), "started lazily");
        {
            String hash = "ab".repeat(32);
            byte[] sig = agent.sign(Path.of("/etc/guix/signing-key.sec"), hash);
            assertArrayEquals(("(signature 64:" + hash + ")").getBytes(StandardCharsets.US_ASCII), sig);
            assertEquals("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                    agent.verify("(signature good)".getBytes(StandardCharsets.ISO_8859_1)));
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> agent.verify("(public-key é)".getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals("unauthorized public key: (public-key é)", e.getMessage());
            assertEquals(500, e.agentCode());
            assertTrue(agent.isRunning(), "an error reply keeps the agent");
            assertEquals(List.of("start / bar",
                    "sign 25:/etc/guix/signing-key.sec 64:" + hash,
                    "verify 16:(signature good)",
                    "verify 14:(public-key é)"), Files.readAllLines(log, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aDeadOrGarbledAgentFailsTheRequestAndIsReplaced() throws Exception {
        {
            agent.verify("good".getBytes(StandardCharsets.US_ASCII));
            long first = agent.pid();
            StoreException e = assertThrows(StoreException.class, () -> agent.verify("crash".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("unexpected EOF reading an integer", e.getMessage());
            agent.verify("good".getBytes(StandardCharsets.US_ASCII));
            assertNotEquals(first, agent.pid());
            e = assertThrows(StoreException.class, () -> agent.verify("garbage".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("invalid reply from `guix authenticate': o", e.getMessage());
        }
    }

    @Test
    void closeEndsTheAgent() throws Exception {
        agent.verify("good".getBytes(StandardCharsets.US_ASCII));
        ProcessHandle p = ProcessHandle.of(agent.pid()).orElseThrow();
        agent.close();
        p.onExit().get();
        assertFalse(p.isAlive());
        assertThrows(IllegalStateException.class, () -> agent.verify(new byte[0]));
    }

    @Test
    void aMissingProgramIsReported() {
        AuthenticateAgent missing = new AuthenticateAgent(Path.of("/nonexistent/guix"));
        StoreException e = assertThrows(StoreException.class, () -> missing.verify(new byte[0]));
        assertEquals("executing `/nonexistent/guix': No such file or directory", e.getMessage());
        missing.close();
    }
}
