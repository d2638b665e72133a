package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.PlainSpec;
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The helper's plain mode (modes D and B, {@code getBasicSpawnPhases}): no namespaces, no
 * chroot — new session, stdin {@code /dev/null}, cwd, personality, OOM score, build user,
 * exec; builtins' exec failure and unknown-builtin texts are guix-daemon's.
 */
class PlainSandboxIT {
    private BusyboxStore scratch;
    private Path dir;
    private StoreDir store;

    @BeforeEach
    void setUp() throws IOException {
        SidRoot.assumeRoot();
        SidRoot.assumeStaticTools();
        scratch = BusyboxStore.create("jguix-plain-it.");
        dir = scratch.dir();
        store = scratch.store();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (scratch != null) {
            scratch.close();
        }
    }

    private String run(PlainSpec spec, SandboxResult expected) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SandboxResult r = new SandboxRunner(SandboxHelper.locate(), List.of(), dir).run(spec, BuildLimits.NONE,
                SandboxRunner.Listener.of(p -> { }), log, () -> false);
        String text = log.toString(StandardCharsets.ISO_8859_1);
        assertEquals(expected, r, text);
        return text;
    }

    private PlainSpec spec(String program, List<String> argv, Optional<BuildIdentity.BuildUser> user, boolean builtin,
            Optional<String> builtinError) {
        return new PlainSpec(store, program, argv,
                new TreeMap<>(Map.of("bb", store.path() + "/busybox", "PATH", "/path-not-set")),
                dir + "/build", user, 0x40000, 1000, List.of(), builtin, builtinError, Optional.empty(), true);
    }

    @Test
    void basicPhasesWithABuildUser() throws Exception {
        // busybox sh, not bash-static: static glibc's NSS crashes bash for a uid without
        // a passwd entry on some hosts (outside a chroot there is no nixbld line).
        String out = run(spec(store.path() + "/busybox", List.of("sh", "-c", """
                echo "id: $($bb id)"
                echo "pwd: $($bb pwd)"
                [ $$ = "$($bb cut -d' ' -f6 /proc/$$/stat)" ] && echo "session: own" || echo "session: inherited"
                echo "stdin: $($bb readlink /proc/$$/fd/0)"
                $bb cat /proc/self/oom_score_adj /proc/self/personality
                echo "net: $([ "$($bb readlink /proc/self/ns/net)" = "%s" ] && echo host || echo other)"
                exit 4
                """.formatted(Files.readSymbolicLink(Path.of("/proc/self/ns/net")))),
                Optional.of(new BuildIdentity.BuildUser(30999, 30999, List.of(30999))), false, Optional.empty()),
                new SandboxResult.Exited(4));
        assertEquals("id: uid=30999 gid=30999 groups=30999\n"
                + "pwd: " + dir + "/build\n"
                + "session: own\nstdin: /dev/null\n1000\n00040000\nnet: host\n", out);
    }

    /**
     * {@code kill-user}: the helper kills what the builder left running as the build user before it
     * reports the exit, so the daemon need not start a second helper to do it.
     */
    @Test
    void processesLeftByTheBuilderAreKilledBeforeTheStatus() throws Exception {
        Path bg = dir.resolve("build/bg");
        run(spec(store.path() + "/busybox", List.of("sh", "-c",
                "$bb sleep 300 </dev/null >/dev/null 2>&1 & echo $! > " + bg + "; exit 0"),
                Optional.of(new BuildIdentity.BuildUser(30998, 30998, List.of(30998))), false, Optional.empty()),
                new SandboxResult.Exited(0));
        String pid = Files.readString(bg).strip();
        Path stat = Path.of("/proc", pid, "stat");
        // SIGKILLed before the status was written; only the reaping by init may still be pending
        for (int i = 0; i < 100 && Files.exists(stat) && !Files.readString(stat).contains(") Z "); i++) {
            Thread.sleep(20);
        }
        assertTrue(!Files.exists(stat) || Files.readString(stat).contains(") Z "),
                "the builder's background process " + pid + " is still running");
    }

    @Test
    void builtinExecFailureAndUnknownBuiltin() throws Exception {
        String missing = dir + "/no-guix";
        assertEquals("error: failed to run download program '" + missing + "': No such file or directory\n",
                run(spec(missing, List.of("guix", "perform-download", "d", "o"), Optional.empty(), true,
                        Optional.empty()), new SandboxResult.Exited(1)));
        assertEquals("error: unsupported builtin function 'frob'\n",
                run(spec(missing, List.of("guix"), Optional.empty(), true,
                        Optional.of("unsupported builtin function 'frob'")), new SandboxResult.Exited(1)));
    }
}
