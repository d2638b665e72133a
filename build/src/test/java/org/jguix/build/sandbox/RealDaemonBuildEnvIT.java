package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jguix.build.spec.BuildEnvFixture;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildSettings;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuildSpecs;
import org.jguix.build.spec.HostFacts;
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jguix.nar.TreeDeleter;

/**
 * The {@code env-report} build of {@code fixtures/build-env/} run by jguix's sandbox where
 * the real daemon ran it — inside the compat harness's sid root (in-sid-root.sh, scratch
 * directory named {@code /tmp/jguix-scenario.*}) — as build user 999, and its report
 * compared with the real one after the scenario's own normalisation. Only mount ids,
 * device numbers, the scratch name, NSpid and the /proc PID count are normalised (they
 * vary per run, not per daemon); everything else must be identical.
 */
class RealDaemonBuildEnvIT {
    private Path scratch;

    @BeforeEach
    void setUp() throws IOException {
        SidRoot.assumeRoot();
        SidRoot.assumeSidRoot();
        SidRoot.assumeStaticTools();
        scratch = Files.createTempDirectory(Path.of("/tmp"), "jguix-scenario.");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (scratch != null) {
            TreeDeleter.delete(scratch);
        }
    }

    @Test
    void builderSeesWhatTheRealDaemonsBuilderSaw() throws Exception {
        BuildEnvFixture f = BuildEnvFixture.load();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BuildSpec spec = spec(f, BuildEnvFixture.MODE_R_USER);
        SandboxResult r = run(spec, log);
        assertEquals(new SandboxResult.Exited(0), r, log.toString());
        String out = Files.readString(new ChrootPreparer(scratch).outputInChroot(spec, f.drv().outputs().get("out").path()),
                StandardCharsets.ISO_8859_1);
        assertEquals(BuildEnvFixture.observed("mode-r"), normalise(out));
    }

    /** Mode N (root daemon, no build users): host root mapped to 30001 in a user namespace. */
    @Test
    void userNamespaceBuilderSeesWhatTheRealDaemonsBuilderSaw() throws Exception {
        BuildEnvFixture f = BuildEnvFixture.load();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BuildSpec spec = spec(f, new BuildIdentity.UserNamespace(0, 0));
        SandboxResult r = run(spec, log);
        assertEquals(new SandboxResult.Exited(0), r, log.toString());
        String out = Files.readString(new ChrootPreparer(scratch).outputInChroot(spec, f.drv().outputs().get("out").path()),
                StandardCharsets.ISO_8859_1);
        assertEquals(BuildEnvFixture.observed("mode-n"), normalise(out));
    }

    private BuildSpec spec(BuildEnvFixture f, BuildIdentity who) throws Exception {
        Path store = Files.createDirectories(scratch.resolve("gnu/store"));
        ChrootPreparer.setMode(store, 01775);
        ChrootPreparer.setMode(Files.createDirectories(scratch.resolve("tmp")), 01777);
        // The input closure, bit for bit what the real client added (same store paths).
        Path bash = store.resolve("cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash");
        Files.copy(SidRoot.BASH, bash);
        Path bb = Files.createDirectories(store.resolve("jblb570z70l14rp75y3y2634lnkqfzki-busybox/bin"));
        Files.copy(SidRoot.BUSYBOX, bb.resolve("busybox"));
        for (String applet : SidRoot.applets()) {
            if (!applet.equals("busybox")) {
                Files.createSymbolicLink(bb.resolve(applet), Path.of("busybox"));
            }
        }
        for (Path p : List.of(bash, bb.resolve("busybox"), bb, bb.getParent())) {
            ChrootPreparer.setMode(p, 0555);
        }
        assertEquals(Set.copyOf(Files.readAllLines(BuildEnvFixture.DIR.resolve("inputs.txt"))),
                Set.of("/gnu/store/" + bash.getFileName(), "/gnu/store/" + bb.getParent().getFileName()));

        // As BuildService probes it; whether the host has /dev/kvm is left out of the comparison.
        Set<String> existing = Files.exists(Path.of("/dev/kvm")) ? Set.of("/dev/pts/ptmx", "/dev/kvm") : Set.of("/dev/pts/ptmx");
        HostFacts host = HostFacts.of(Map.of(), existing, "x86_64", List.of());
        return BuildSpecs.compute(f.inputs(who), BuildSettings.defaults(StoreDir.of("/gnu/store")), host);
    }

    private SandboxResult run(BuildSpec spec, ByteArrayOutputStream log) throws Exception {
        new ChrootPreparer(scratch).prepare(spec);
        Path work = Files.createDirectories(scratch.resolve("work"));
        Path helper = work.resolve(SandboxHelper.NAME);
        Files.copy(SandboxHelper.locate(), helper, StandardCopyOption.COPY_ATTRIBUTES);

        return new SandboxRunner(helper, SidRoot.launcher(scratch, work), work).run(spec, BuildLimits.GUIX_DEFAULTS, log);
    }

    /** fixtures/generate-build-env-fixtures.sh's sed, line by line. */
    static String normalise(String report) {
        StringBuilder sb = new StringBuilder();
        for (String line : report.split("\n", -1)) {
            line = line.replaceFirst("^([0-9]+) ([0-9]+) ([0-9]+):([0-9]+) ", "<ID> <PARENT> <DEV> ")
                    .replaceAll("/tmp/jguix-scenario\\.[A-Za-z0-9]+/", "<SCRATCH>/")
                    .replaceFirst("^(NSpid:\t).*", "$1<PID>")
                    .replaceFirst("^proc: [0-9]+ pids visible, self: [0-9]+$", "proc: <N> pids visible, self: <PID>")
                    // Host facts that scale with memory: the fixture was recorded on another machine.
                    .replaceFirst("^((pending signals|max user processes|open files) +\\((-i|-u|-n)\\)) [0-9]+$", "$1 <HOST>")
                    .replaceFirst("^(SigQ:\t[0-9]+)/[0-9]+$", "$1/<HOST>")
                    .replaceAll("size=[0-9]+k,nr_inodes=[0-9]+", "size=<HOST>");
            if (!line.contains("/dev/kvm")) {
                sb.append(line).append('\n');
            }
        }
        return sb.substring(0, sb.length() - 1);
    }
}
