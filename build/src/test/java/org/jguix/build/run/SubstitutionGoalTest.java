package org.jguix.build.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jguix.build.log.LogCompression;
import org.jguix.build.sandbox.ChrootPreparer;
import org.jguix.build.sandbox.SandboxRunner;
import org.jguix.build.spec.BuildSettings;
import org.jguix.build.spec.HostFacts;
import org.jguix.build.substitute.SubstituteAgent;
import org.jguix.build.substitute.SubstituteInfo;
import org.jguix.build.substitute.Substitutes;
import org.jguix.nar.StoreCanonicaliser;
import org.jguix.store.GcLock;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreLayout;
import org.jguix.store.TempRoots;
import org.jguix.store.ValidPathInfo;
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Substitution goals in a {@link BuildRun} (EnsurePath, BuildPaths of a plain path) with a fake
 * query answer and a fake {@code guix substitute --substitute} that writes the path into a
 * temporary store: references first, registration with the agent's hash and the queried
 * references and deriver, guix-daemon's messages and traces, failures.
 */
class SubstitutionGoalTest {
    private static final String A = "/gnu/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a";
    private static final String B = "/gnu/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b";
    private static final String DRV = "/gnu/store/dddddddddddddddddddddddddddddddd-b.drv";
    private static final String HEX = "3f".repeat(32);

    @TempDir
    Path root;

    private StoreDatabase db;
    private TempRoots.Session tempRoots;
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private final List<String> agentOutput = Collections.synchronizedList(new ArrayList<>());
    private final List<String> agentsStarted = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void store() throws IOException {
        StoreLayout layout = StoreLayout.under(root);
        Files.createDirectories(layout.storeDirectory());
        db = StoreDatabase.open(layout, StoreDatabase.Options.defaults(f -> Map.of()).withIgnoreSymlinkStore(true));
        tempRoots = TempRoots.open(layout, new GcLock(layout, m -> { })).newSession();
    }

    @AfterEach
    void close() throws Exception {
        tempRoots.close();
        db.close();
    }

    /** The fake agent: unpacks a one-line file at ROOT+DEST, or answers STATUS if set. */
    private Path agent(String status) throws IOException {
        Path script = root.resolve("guix");
        Files.writeString(script, "#!/bin/bash\n"
                + "while read -r verb path dest; do\n"
                + "  echo \"Downloading $path...\" >&2\n"
                + (status == null
                        ? "  echo \"contents of $path\" >\"" + root + "$dest\"\n"
                                + "  echo \"success sha256:" + HEX + " 120\" >&4\n"
                        : "  echo '" + status + "' >&4\n")
                + "done\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private BuildRun run(Map<String, SubstituteInfo> known, Path agent) throws IOException {
        Substitutes substitutes = new Substitutes() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Optional<SubstituteInfo> info(String path) {
                return Optional.ofNullable(known.get(path));
            }

            @Override
            public SubstituteAgent startAgent() throws IOException {
                agentsStarted.add("agent");
                return SubstituteAgent.start(agent.toString(), Map.of());
            }
        };
        BuildContext ctx = new BuildContext(db, new StoreCanonicaliser(0, 0),
                BuildSettings.defaults(StoreDir.of("/gnu/store")), HostFacts.of(Map.of(), Set.of(), "x86_64", List.of()),
                Optional.empty(), 0, 0, root.resolve("log"), LogCompression.NONE,
                new SandboxRunner(root.resolve("no-helper"), List.of(), root), new ChrootPreparer(Path.of("/")));
        BuildEvents events = new BuildEvents() {
            @Override
            public void message(int level, String text) {
                messages.add(level + " " + text);
            }

            @Override
            public Nest nest(int level, String text) {
                messages.add(level + " " + text);
                return () -> { };
            }

            @Override
            public void builderOutput(int pid, byte[] chunk, int off, int len) {
            }

            @Override
            public void substituterOutput(byte[] bytes) {
                agentOutput.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        return new BuildRun(ctx, BuildOptions.defaults(), events, tempRoots, substitutes);
    }

    private static SubstituteInfo info(Optional<String> deriver, String... refs) {
        return new SubstituteInfo(deriver, new TreeSet<>(List.of(refs)), 0, 120);
    }

    @Test
    void substitutesReferencesFirstAndRegistersWhatTheQuerySaid() throws Exception {
        BuildRun r = run(Map.of(B, info(Optional.of(DRV), A, B), A, info(Optional.empty())), agent(null));
        BuildRun.Outcome o = r.ensurePath(B);
        assertTrue(o.ok(), o.toString());
        ValidPathInfo b = db.queryPathInfoIfValid(B).orElseThrow();
        assertEquals("sha256:" + HEX, b.narHash());
        assertEquals(120, b.narSize());
        assertEquals(new TreeSet<>(List.of(A, B)), b.references());
        assertEquals(Optional.of(DRV), b.deriver());
        assertEquals(Optional.empty(), db.queryPathInfoIfValid(A).orElseThrow().deriver());
        assertEquals("contents of " + B + "\n", Files.readString(db.layout().file(B)));
        assertEquals(List.of(
                "1 fetching path `" + A + "'...", "0 @ substituter-started " + A + " substitute",
                "3 substitution of path `" + A + "' succeeded", "0 @ substituter-succeeded " + A,
                "1 fetching path `" + B + "'...", "0 @ substituter-started " + B + " substitute",
                "3 substitution of path `" + B + "' succeeded", "0 @ substituter-succeeded " + B), messages);
        assertEquals(List.of("Downloading " + A + "...\n", "Downloading " + B + "...\n"), agentOutput);
        assertEquals(1, agentsStarted.size(), "the worker's agent is lent to one goal after the other");
    }

    @Test
    void nothingKnownMeansNoSubstitutersAndNoAgent() throws Exception {
        BuildRun.Outcome o = run(Map.of(), agent(null)).ensurePath(B);
        assertFalse(o.ok());
        assertEquals(List.of(), messages);
        assertEquals(List.of(), agentsStarted);
        // BuildPaths of a plain path does not count "no substituters" as a failure (real quirk).
        assertTrue(run(Map.of(), agent(null)).build(List.of(B), BuildMode.NORMAL).ok());
    }

    @Test
    void failedSubstitutionIsReportedAndLeavesThePathInvalid() throws Exception {
        BuildRun.Outcome o = run(Map.of(A, info(Optional.empty())), agent("not-found")).build(List.of(A),
                BuildMode.NORMAL);
        assertFalse(o.ok());
        assertEquals("build of `" + A + "' failed", o.message());
        assertFalse(db.isValidPath(A));
        String failure = "fetching path `" + A + "' (status: 'not-found')";
        assertEquals(List.of("1 fetching path `" + A + "'...", "0 @ substituter-started " + A + " substitute",
                "1 " + failure, "0 @ substituter-failed " + A + " not-found " + failure), messages);
    }

    @Test
    void aReferenceWithoutSubstituteMakesTheClosureIncomplete() throws Exception {
        BuildRun.Outcome o = run(Map.of(B, info(Optional.empty(), A)), agent(null)).build(List.of(B), BuildMode.NORMAL);
        assertTrue(o.ok(), "ecIncompleteClosure does not fail BuildPaths");
        assertFalse(db.isValidPath(B));
        assertEquals(List.of(), agentsStarted);
    }

    @Test
    void aRepairGoalFetchesAValidPathIntoTmpAndReplacesIt() throws Exception {
        db.registerValidPaths(List.of(ValidPathInfo.of(A, new byte[32], 99, new TreeSet<>())));
        Files.writeString(db.layout().file(A), "corrupt\n");
        BuildRun r = run(Map.of(A, info(Optional.empty())), agent(null));
        assertEquals(GoalStatus.ALREADY_VALID, run(Map.of(A, info(Optional.empty())), agent(null))
                .substitutionGoal(A).get(), "without repair a valid path is left alone");
        assertEquals(GoalStatus.SUBSTITUTED, r.substituteForRepair(A));
        assertEquals("contents of " + A + "\n", Files.readString(db.layout().file(A)));
        assertFalse(Files.exists(Path.of(db.layout().file(A) + ".tmp")), "the .tmp copy was moved into place");
        ValidPathInfo a = db.queryPathInfoIfValid(A).orElseThrow();
        assertEquals("sha256:" + HEX, a.narHash());
        assertEquals(120, a.narSize());
        assertEquals(List.of("Downloading " + A + "...\n"), agentOutput, "the agent was asked for " + A + " to A.tmp");
        assertEquals(List.of("1 fetching path `" + A + "'...", "0 @ substituter-started " + A + " substitute",
                "3 substitution of path `" + A + "' succeeded", "0 @ substituter-succeeded " + A), messages);
        assertTrue(r.contents().good(A, r.events()), "marked good: no second check in this worker");
        assertEquals(4, messages.size());
    }

    @Test
    void aFailedRepairLeavesTheCorruptPathValid() throws Exception {
        db.registerValidPaths(List.of(ValidPathInfo.of(A, new byte[32], 99, new TreeSet<>())));
        Files.writeString(db.layout().file(A), "corrupt\n");
        assertEquals(GoalStatus.SUBSTITUTION_FAILED,
                run(Map.of(A, info(Optional.empty())), agent("not-found")).substituteForRepair(A));
        assertEquals("corrupt\n", Files.readString(db.layout().file(A)));
        assertTrue(db.isValidPath(A));
        assertEquals(GoalStatus.NO_SUBSTITUTERS, run(Map.of(), agent(null)).substituteForRepair(A));
    }
}
