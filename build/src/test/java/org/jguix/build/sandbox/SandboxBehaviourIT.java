package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildInputs;
import org.jguix.build.spec.BuildSettings;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuildSpecs;
import org.jguix.build.spec.HostFacts;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jguix.nar.TreeDeleter;

/**
 * The sandbox run directly on this host, with a private store directory: isolation
 * (writes outside the build tree, host files, network), exit statuses, set-up errors and
 * the killing of whole process trees by timeouts, in mode N (user namespace, root
 * daemon) and mode R (build user). Expected texts are guix-daemon's (build-environment.md
 * §5, §6.2, §14).
 */
class SandboxBehaviourIT {
    private static final String H = "0123456789abcdfghijklmnpqrsvwxyz".substring(0, 32);
    private Path dir;
    private StoreDir store;
    private String bash;
    private String busybox;

    @BeforeEach
    void setUp() throws IOException {
        SidRoot.assumeRoot();
        SidRoot.assumeStaticTools();
        dir = Files.createTempDirectory(Path.of("/tmp"), "jguix-sandbox-it.");
        ChrootPreparer.setMode(dir, 0755);
        Path s = Files.createDirectories(dir.resolve("store"));
        ChrootPreparer.setMode(s, 01775);
        Files.createDirectories(dir.resolve("tmp"));
        store = StoreDir.of(s.toString());
        bash = store.path() + "/" + H.replace('0', '1') + "-bash";
        busybox = store.path() + "/" + H.replace('0', '2') + "-busybox";
        Files.copy(SidRoot.BASH, Path.of(bash));
        Path bin = Files.createDirectories(Path.of(busybox, "bin"));
        Files.copy(SidRoot.BUSYBOX, bin.resolve("busybox"));
        for (Path p : List.of(Path.of(bash), bin.resolve("busybox"), bin, bin.getParent())) {
            ChrootPreparer.setMode(p, 0555);
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        if (dir != null) {
            TreeDeleter.delete(dir);
        }
    }

    record Run(SandboxResult result, String log, BuildSpec spec, ChrootPreparer preparer) {
        String out() throws IOException {
            return Files.readString(preparer.outputInChroot(spec, spec.env().get("out")), StandardCharsets.ISO_8859_1);
        }
    }

    private Run run(BuildIdentity who, String script, BuildLimits limits) throws Exception {
        return run(who, bash, script, limits);
    }

    private Run run(BuildIdentity who, String builder, String script, BuildLimits limits) throws Exception {
        return run(new ChrootPreparer(Path.of("/")), "t", Set.of(bash, busybox), who, builder, script, limits);
    }

    private Run run(ChrootPreparer preparer, String name, Set<String> inputs, BuildIdentity who, String builder,
            String script, BuildLimits limits) throws Exception {
        String out = store.path() + "/" + H.replace('0', '3') + "-" + name;
        Derivation drv = Derivation.of(Map.of("out", DerivationOutput.regular(out)), Map.of(), inputs,
                "x86_64-linux", builder, List.of("-c", "bb=" + busybox + "/bin/busybox\n" + script),
                Map.of("out", out));
        BuildInputs in = BuildInputs.of(store.parsePath(store.path() + "/" + H + "-" + name + ".drv"), drv, inputs, who);
        BuildSettings settings = new BuildSettings(store, 2, List.of(), "x86_64-linux", false, true, dir + "/tmp");
        HostFacts host = HostFacts.of(Map.of(), Set.of("/dev/pts/ptmx"), "x86_64", List.of());
        BuildSpec spec = BuildSpecs.compute(in, settings, host);
        preparer.prepare(spec);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SandboxResult r = new SandboxRunner(SandboxHelper.locate(), List.of(), dir).run(spec, limits, log);
        return new Run(r, log.toString(StandardCharsets.ISO_8859_1), spec, preparer);
    }

    @Test
    void userNamespaceModeIsolatesTheBuilder() throws Exception {
        Run r = run(new BuildIdentity.UserNamespace(0, 0), """
                exec >$out 2>&1
                echo "id: $($bb id)"
                $bb cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups
                echo x >/forbidden || echo "root: denied"
                echo x >>%s || echo "input: denied"
                $bb cat /etc/shadow || echo "shadow: absent"
                $bb ls /home /usr || echo "host dirs: absent"
                $bb cat /proc/net/dev | $bb sed 1,2d | $bb cut -d: -f1
                $bb wget -T 2 -q -O - http://1.1.1.1/ || echo "network: none"
                echo "pid $$ host $($bb hostname)"
                $bb cat /proc/self/oom_score_adj /proc/self/personality
                """.formatted(bash), BuildLimits.NONE);
        assertEquals(new SandboxResult.Exited(0), r.result(), r.log());
        String out = r.out();
        // Supplementary groups are inherited from the daemon (guix cannot setgroups after
        // "deny"): "groups=30000(nixbld)" only if the daemon's groups include its gid.
        assertTrue(out.contains("id: uid=30001(nixbld) gid=30000(nixbld)"), out);
        assertTrue(out.contains("     30001      30001          1\n     30000      30000          1\ndeny\n"), out);
        assertTrue(out.contains("/forbidden: Permission denied\nroot: denied"), out);
        assertTrue(out.contains("input: denied"), out);
        assertTrue(out.contains("shadow: absent") && out.contains("host dirs: absent"), out);
        assertTrue(out.contains("    lo\nwget: "), out);
        assertTrue(out.contains("network: none") && out.contains("pid 1 host localhost"), out);
        assertTrue(out.contains("1000\n00040000\n"), out);
    }

    @Test
    void buildUserModeRunsAsTheBuildUser() throws Exception {
        Run r = run(new BuildIdentity.BuildUser(30999, 30999, List.of(30999)), """
                echo "id: $($bb id)"; $bb grep -E '^(NoNewPrivs|CapEff)' /proc/self/status
                echo x >$out; $bb stat -c '%u:%g %a' $out; exit 3
                """, BuildLimits.NONE);
        assertEquals(new SandboxResult.Exited(3), r.result(), r.log());
        assertTrue(r.log().contains("id: uid=30999(nixbld) gid=30999(nixbld) groups=30999(nixbld)"), r.log());
        assertTrue(r.log().contains("NoNewPrivs:\t0") && r.log().contains("CapEff:\t0000000000000000"), r.log());
        assertTrue(r.log().contains("30999:30999 644"), r.log());
    }

    @Test
    void builderOutsideTheStoreFailsInPhaseExec() throws Exception {
        Run r = run(new BuildIdentity.UserNamespace(0, 0), "/bin/sh", "true", BuildLimits.NONE);
        assertEquals(new SandboxResult.Exited(1), r.result());
        assertEquals("while setting up the child process: in phase exec: getting status of `/bin': "
                + "No such file or directory\n", r.log());
    }

    @Test
    void timeoutKillsTheWholeTree() throws Exception {
        long t0 = System.nanoTime();
        Run r = run(new BuildIdentity.UserNamespace(0, 0), "$bb sleep 4242 & $bb sleep 4243; echo late",
                new BuildLimits(Duration.ofSeconds(1), Duration.ZERO));
        assertEquals(new SandboxResult.TimedOut(SandboxResult.TimedOut.Kind.WALL_CLOCK, Duration.ofSeconds(1)), r.result());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
        assertFalse(r.log().contains("late"));
        assertFalse(sleepersAlive(), "sleep 4242/4243 survived the timeout");
    }

    @Test
    void silenceKillsTheBuild() throws Exception {
        Run r = run(new BuildIdentity.UserNamespace(0, 0), "echo start; $bb sleep 4244",
                new BuildLimits(Duration.ZERO, Duration.ofSeconds(1)));
        assertInstanceOf(SandboxResult.TimedOut.class, r.result());
        assertEquals(SandboxResult.TimedOut.Kind.SILENCE, ((SandboxResult.TimedOut) r.result()).kind());
        assertEquals("start\n", r.log());
    }

    /**
     * A chroot kept from an earlier build (mode R) is, seen from inside, the chroot a fresh one
     * would be: what that builder left in {@code /tmp} and the store is gone, the mount points of
     * its other inputs and build directory are gone, files and modes are the daemon's.
     */
    @Test
    void aSpareChrootLooksFresh() throws Exception {
        String extra = store.path() + "/" + H.replace('0', '4') + "-extra";
        Files.createDirectories(Path.of(extra));
        ChrootPreparer.setMode(Path.of(extra), 0555);
        BuildIdentity who = new BuildIdentity.BuildUser(30999, 30999, List.of(30999));
        String list = """
                for d in / /etc /tmp /dev /dev/pts %s; do
                  echo "== $d"; cd $d; for f in .* *; do [ -e "$f" ] || [ -L "$f" ] || continue
                    [ "$f" = proc ] && continue # its link count is the number of processes
                    $bb stat -c '%%n %%F %%a %%u:%%g %%s %%h' "$f"; done; done
                $bb cat /etc/passwd /etc/group /etc/hosts; $bb readlink /dev/ptmx; $bb readlink /dev/fd
                echo x >$out
                """.formatted(store.path());
        ChrootPreparer preparer = new ChrootPreparer(Path.of("/"));
        Run first = run(preparer, "a", Set.of(bash, busybox, extra), new BuildIdentity.BuildUser(30998, 30999, List.of(30999)),
                bash, "$bb stat -c '%i' /etc >$out; echo junk >/tmp/junk; $bb mkdir /tmp/jd "
                        + store.path() + "/junkdir; echo junk >" + store.path() + "/junk", BuildLimits.NONE);
        assertEquals(new SandboxResult.Exited(0), first.result(), first.log());
        String etcInode = first.out().trim();
        preparer.cleanUp(first.spec());
        Path spare;
        try (var entries = Files.list(Path.of(store.path()))) {
            spare = entries.filter(p -> p.getFileName().toString().startsWith(".jguix-tmp-")).findFirst().orElseThrow();
        }
        Path spareRoot = spare.resolve("top");
        assertFalse(Files.exists(spareRoot.resolve("tmp/junk")) || Files.exists(spareRoot.resolve("tmp/jd"))
                || Files.exists(Path.of(spareRoot + store.path(), "junk")), "the builder's files wait in the spare");
        Run reused = run(preparer, "b", Set.of(bash, busybox), who, bash, "$bb stat -c '%i' /etc; " + list,
                BuildLimits.NONE);
        assertEquals(new SandboxResult.Exited(0), reused.result(), reused.log());
        assertTrue(reused.log().startsWith(etcInode + "\n"), "the spare was not used: " + reused.log());
        preparer.cleanUp(reused.spec());
        Run fresh = run(new ChrootPreparer(Path.of("/")), "b", Set.of(bash, busybox), who, bash, list, BuildLimits.NONE);
        assertEquals(new SandboxResult.Exited(0), fresh.result(), fresh.log());
        assertEquals(fresh.log(), reused.log().substring(etcInode.length() + 1));
        assertFalse(fresh.log().contains("junk"), fresh.log());
    }

    private static boolean sleepersAlive() throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).anyMatch(p -> {
                try {
                    String cmd = Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                    return cmd.contains("sleep\u00004242") || cmd.contains("sleep\u00004243");
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }
}
