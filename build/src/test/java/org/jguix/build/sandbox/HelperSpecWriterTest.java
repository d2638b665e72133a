package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jguix.build.spec.BuildEnvFixture;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildSettings;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuildSpecs;
import org.jguix.build.spec.HostFacts;
import org.jguix.build.spec.ResourceLimit;
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
        String text = new String(HelperSpecWriter.write(spec, "/w/s.status", "/w/s.pid"), StandardCharsets.ISO_8859_1)
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
        String expectedEnd = "env|out=/gnu/store/4cbjph2z07zhkdxjlid9caa579lf8lgm-env-report|env|with_space=x y|"
                + "status|/w/s.status|pidfile|/w/s.pid|";
        assertEquals(expectedEnd, text.substring(text.length() - expectedEnd.length()));
    }
}
