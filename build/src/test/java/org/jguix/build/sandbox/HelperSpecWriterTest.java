package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jguix.build.spec.BuildEnvFixture;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildSettings;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuildSpecs;
import org.jguix.build.spec.HostFacts;
import org.jguix.build.spec.BuildInputs;
import org.jguix.build.spec.NetworkFacts;
import org.jguix.build.spec.PlainSpec;
import org.jguix.build.spec.ResourceLimit;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.Test;

/** The helper's spec file for the fixture derivation, as literal records (grammar: jguix-sandbox.c). */
class HelperSpecWriterTest {
    @Test
    void recordsOfTheEnvReportBuild() throws Exception {
        BuildEnvFixture f = BuildEnvFixture.load();
        HostFacts host = HostFacts.of(Map.of(), Set.of("/dev/pts/ptmx"), "x86_64",
                List.of(new ResourceLimit("nofile", 1024, ResourceLimit.UNLIMITED)));
        BuildSpec spec = BuildSpecs.compute(f.inputs(new BuildIdentity.UserNamespace(983, 983)),
                BuildSettings.defaults(StoreDir.of("/gnu/store")), host);
        String text = new String(HelperSpecWriter.write(spec), StandardCharsets.ISO_8859_1)
                .replace('\0', '|');
        String d = "/gnu/store/w1wh7vb1x2899ijwlssrkqy5zrks2sxb-env-report.drv.chroot/top";
        String bash = "/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash";
        String bb = "/gnu/store/jblb570z70l14rp75y3y2634lnkqfzki-busybox";
        String b = "/tmp/guix-build-env-report.drv-0";
        String expectedStart = "root|" + d + "|"
                + "bind|/dev/full|/dev/full|rw|bind|/dev/null|/dev/null|rw|bind|/dev/random|/dev/random|rw|"
                + "bind|/dev/tty|/dev/tty|rw|bind|/dev/urandom|/dev/urandom|rw|bind|/dev/zero|/dev/zero|rw|"
                + "bind|" + bash + "|" + bash + "|ro|bind|" + bb + "|" + bb + "|ro|bind|" + b + "|" + b + "/top|rw|"
                + "proc|devshm|devpts|loopback|hostname|localhost|domainname|(none)|"
                + "uidmap|30001 983 1|gidmap|30000 983 1\n|lockmounts|personality|262144|oom|1000|"
                + "rlimit|nofile|1024|unlimited|cwd|" + b + "|store|/gnu/store|program|" + bash + "|"
                + "arg|cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash|arg|-c|arg|# Builder of build-environment.sh";
        assertEquals(expectedStart, text.substring(0, expectedStart.length()));
        String expectedEnd = "env|out=/gnu/store/4cbjph2z07zhkdxjlid9caa579lf8lgm-env-report|env|with_space=x y|";
        assertEquals(expectedEnd, text.substring(text.length() - expectedEnd.length()));
    }

    @Test
    void slirp4netnsRecordsOfAFixedOutputBuild() throws Exception {
        BuildEnvFixture f = BuildEnvFixture.load();
        var drv = f.drv();
        var out = drv.outputs().get("out");
        var fixed = Derivation.of(
                Map.of("out", new DerivationOutput(out.path(), "sha256", "0".repeat(64))),
                drv.inputDrvs(), drv.inputSrcs(), drv.platform(), drv.builder(), drv.args(), drv.env());
        var in = f.inputs(new BuildIdentity.UserNamespace(983, 984));
        in = new BuildInputs(in.drvPath(), fixed, in.inputPaths(), in.identity(), 0);
        HostFacts host = HostFacts.of(Map.of(), Set.of(), "x86_64", List.of())
                .withNetwork(new NetworkFacts(true, true, false, Optional.empty()));
        BuildSpec spec = BuildSpecs.compute(in, new BuildSettings(StoreDir.of("/gnu/store"), 0, List.of(),
                "x86_64-linux", false, false, "/tmp"), host);
        String text = new String(HelperSpecWriter.write(spec), StandardCharsets.ISO_8859_1)
                .replace('\0', '|');
        // --isolate-host-loopback: lo up, no route_localnet; non-root daemon: a user namespace.
        String expected = "|proc|devshm|loopback|tap|0|slirp|/usr/bin/slirp4netns|slirp-arg|slirp4netns|"
                + "slirp-arg|--netns-type=tapfd|slirp-arg|--enable-sandbox|slirp-arg|--enable-ipv6|"
                + "slirp-arg|--ready-fd=3|slirp-arg|--disable-host-loopback|slirp-arg|4|slirp-ids|983|984|"
                + "slirp-root|/tmp|slirp-userns|983 983 1|984 984 1\n|slirp-seccomp|hostname|localhost|";
        assertTrue(text.contains(expected), text);
    }

    @Test
    void recordsOfAPlainBuiltinBuild() throws Exception {
        TreeMap<String, String> env = new TreeMap<>(Map.of("NIX_STORE", "/gnu/store", "_NIX_OPTIONS", ""));
        PlainSpec spec = new PlainSpec(StoreDir.of("/gnu/store"), "/usr/bin/guix",
                List.of("guix", "perform-download", "/gnu/store/d.drv", "/gnu/store/o"), env, "/tmp/guix-build-d.drv-0",
                Optional.of(new BuildIdentity.BuildUser(982, 982, List.of(982, 36))), 0x40000, 1000, List.of(), true,
                Optional.empty(), Optional.empty(), true);
        String text = new String(HelperSpecWriter.write(spec), StandardCharsets.ISO_8859_1)
                .replace('\0', '|');
        assertEquals("plain|setids|982|982|982,36|kill-user|982|personality|262144|oom|1000|cwd|/tmp/guix-build-d.drv-0|"
                + "store|/gnu/store|program|/usr/bin/guix|arg|guix|arg|perform-download|arg|/gnu/store/d.drv|"
                + "arg|/gnu/store/o|env|NIX_STORE=/gnu/store|env|_NIX_OPTIONS=|builtin|", text);
    }
}
