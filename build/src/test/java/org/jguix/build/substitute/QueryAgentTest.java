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
import java.util.Optional;
import java.util.Set;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query agent's protocol against fake agents, including broken ones (an error, never a hang). */
class QueryAgentTest {
    private static final String A = "/gnu/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a";
    private static final String B = "/gnu/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b";
    private static final String DRV = "/gnu/store/dddddddddddddddddddddddddddddddd-b.drv";
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<String> raw = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private QueryAgent agent;

    private QueryAgent agent(String body) throws IOException {
        Path program = FakeAgent.write(dir, body);
        agent = new QueryAgent(program.toString(), () -> Map.of("_NIX_OPTIONS", "substitute-urls=file:///x\n"),
                new StoreLayout(Path.of("/gnu/store"), dir.resolve("state"), dir.resolve("db")),
                new QueryAgent.Output() {
                    @Override
                    public void raw(byte[] bytes) {
                        raw.add(new String(bytes, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void error(String text) {
                        errors.add(text);
                    }
                });
        return agent;
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
    }

    private List<String> lines(String file) throws IOException {
        return Files.readAllLines(dir.resolve(file));
    }

    @Test
    void haveSendsSortedPathsWithTrailingBlankAndReadsUntilEmptyLine() throws IOException {
        QueryAgent q = agent("request; reply '%s\\n\\n' " + A + "; request; reply '\\n'; sleep 60");
        assertFalse(q.isRunning(), "started lazily");
        assertEquals(Set.of(A), q.have(List.of(B, A)));
        assertEquals(Set.of(), q.have(List.of(B)));
        assertEquals(List.of("have " + A + " " + B + " ", "have " + B + " "), lines("requests"));
        assertEquals(List.of("substitute --query"), lines("args"), "one agent for both queries");
        assertEquals("substitute-urls=file:///x\n", Files.readString(dir.resolve("options")));
    }

    @Test
    void emptyQueriesStartNothing() throws IOException {
        QueryAgent q = agent("exit 1");
        assertEquals(Set.of(), q.have(List.of()));
        assertEquals(Map.of(), q.info(List.of()));
        assertFalse(Files.exists(dir.resolve("args")));
    }

    @Test
    void infoParsesRecords() throws IOException {
        QueryAgent q = agent("request; reply '%s\\n%s\\n1\\n%s\\n120\\n168\\n%s\\n\\n0\\n7\\n9\\n\\n' "
                + B + " " + DRV + " " + A + " " + A + "; sleep 60");
        var infos = q.info(List.of(A, B));
        assertEquals(new SubstituteInfo(Optional.of(DRV), new java.util.TreeSet<>(Set.of(A)), 120, 168), infos.get(B));
        assertEquals(new SubstituteInfo(Optional.empty(), new java.util.TreeSet<>(), 7, 9), infos.get(A));
        assertEquals(List.of("info " + A + " " + B + " "), lines("requests"));
    }

    @Test
    void messagesArePrefixedPerLineAndAtCarriageReturns() throws IOException {
        QueryAgent q = agent("request; msg 'one\\ntwo\\rthree'; sleep 0.3; msg '\\rfour\\rfive\\n'; sleep 0.3;"
                + " msg 'six'; sleep 0.3; reply '\\n'; sleep 60");
        q.have(List.of(A));
        // guix-daemon cuts at the first \n of what it has read, else at the first \r.
        assertEquals(List.of("substitute: one\n", "substitute: two\r", "substitute: three\rfour\rfive\n"), raw);
        assertEquals(List.of("substitute: six"), errors, "an unfinished message is shown when the reply comes");
    }

    // The dying agents below close their messages pipe a moment before their reply pipe: when both
    // end together, which end-of-file is seen first is a race (for guix-daemon's select too).
    @Test
    void agentDyingIsAnErrorAndTheNextQueryStartsAFreshAgent() throws IOException {
        Path program = dir.resolve("guix");
        QueryAgent q = agent("if [ -e \"$d/died\" ]; then request; reply '%s\\n\\n' " + A
                + "; sleep 60; fi; touch \"$d/died\"; request; msg 'oops\\n'; exec 1>&- 2>&-; sleep 0.2; exit 1");
        StoreException e = assertThrows(StoreException.class,
                () -> assertTimeoutPreemptively(NO_HANG, () -> q.have(List.of(A))));
        assertEquals("`" + program + " substitute' died unexpectedly", e.getMessage());
        assertEquals(List.of("substitute: oops\n"), raw);
        assertEquals(Set.of(A), q.have(List.of(A)));
    }

    @Test
    void agentDyingInTheMiddleOfARecord() {
        QueryAgent q = assertDoesNotFail(() -> agent("request; reply '%s\\n' " + A + "; exec 1>&- 2>&-; sleep 0.2; exit 0"));
        StoreException e = assertThrows(StoreException.class,
                () -> assertTimeoutPreemptively(NO_HANG, () -> q.info(List.of(A))));
        assertTrue(e.getMessage().endsWith("substitute' died unexpectedly"), e.getMessage());
    }

    @Test
    void replyPipeClosedWhileTheAgentLives() {
        QueryAgent q = assertDoesNotFail(() -> agent("request; exec 4>&-; sleep 60"));
        StoreException e = assertThrows(StoreException.class,
                () -> assertTimeoutPreemptively(NO_HANG, () -> q.have(List.of(A))));
        assertEquals("unexpected end-of-file", e.getMessage());
    }

    @Test
    void garbageWhereANumberBelongs() {
        QueryAgent q = assertDoesNotFail(() -> agent("request; reply '%s\\n\\nmany\\n' " + A + "; sleep 60"));
        StoreException e = assertThrows(StoreException.class, () -> q.info(List.of(A)));
        assertEquals("integer expected from stream: many", e.getMessage());
    }

    @Test
    void negativeCountIsRefused() {
        QueryAgent q = assertDoesNotFail(() -> agent("request; reply '%s\\n\\n-1\\n' " + A + "; sleep 60"));
        StoreException e = assertThrows(StoreException.class, () -> q.info(List.of(A)));
        assertEquals("integer expected from stream: -1", e.getMessage());
    }

    @Test
    void unaskedPathIsRefused() {
        QueryAgent q = assertDoesNotFail(() -> agent("request; reply '%s\\n\\n0\\n0\\n0\\n\\n' " + B + "; sleep 60"));
        StoreException e = assertThrows(StoreException.class, () -> q.info(List.of(A)));
        assertEquals("got unexpected path `" + B + "' from substituter", e.getMessage());
    }

    @Test
    void referenceOutsideTheStoreIsRefused() {
        QueryAgent q = assertDoesNotFail(() -> agent("request; reply '%s\\n\\n1\\n/etc/passwd\\n0\\n0\\n\\n' " + A
                + "; sleep 60"));
        StoreException e = assertThrows(StoreException.class, () -> q.info(List.of(A)));
        assertEquals("path `/etc/passwd' is not in the store", e.getMessage());
    }

    @Test
    void closeKillsTheAgent() throws IOException {
        QueryAgent q = agent("request; reply '\\n'; sleep 600");
        q.have(List.of(A));
        assertTrue(q.isRunning());
        q.close();
        assertFalse(q.isRunning());
        assertThrows(StoreException.class, () -> q.have(List.of(A)));
    }

    private interface Maker {
        QueryAgent make() throws IOException;
    }

    private static QueryAgent assertDoesNotFail(Maker m) {
        try {
            return m.make();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
