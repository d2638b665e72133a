package org.jguix.daemon.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment jguix-daemon was started with, as builtin builders must see it. */
class LaunchEnvironmentTest {
    private static String record(String environ) {
        return Base64.getEncoder().encodeToString(environ.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theRecordedEnvironmentReplacesTheJvms() {
        // /proc/PID/environ: NAME=VALUE\0...; values may hold '=' and bytes beyond ASCII.
        Map<String, String> jvm = Map.of("SHLVL", "3", "_", "/usr/bin/java", "LC_ALL", "C.UTF-8",
                LaunchEnvironment.VARIABLE, record("SHLVL=1\0_=/usr/bin/env\0X=a=b\0Y=\u00e9\0"));
        assertEquals(Map.of("SHLVL", "1", "_", "/usr/bin/env", "X", "a=b", "Y", "\u00e9"), LaunchEnvironment.of(jvm));
        assertEquals(Map.of("A", "1"), LaunchEnvironment.of(Map.of(LaunchEnvironment.VARIABLE,
                record("A=1\0" + LaunchEnvironment.VARIABLE + "=old\0" + LaunchEnvironment.NOFILE + "=1 2\0"))),
                "records of an outer jguix-daemon are not passed on");
    }

    @Test
    void withoutARecordTheJvmsEnvironmentIsUsed() {
        assertEquals(Map.of("A", "1"), LaunchEnvironment.of(Map.of("A", "1")));
        assertEquals(Map.of("A", "1"), LaunchEnvironment.of(Map.of("A", "1", LaunchEnvironment.VARIABLE, "%%%")),
                "a broken record is dropped");
    }

    @Test
    void theLaunchOpenFilesLimitIsForTheBuilders() {
        assertEquals(java.util.List.of(new org.jguix.build.spec.ResourceLimit("nofile", 1024, 4096)),
                LaunchEnvironment.builderLimits(Map.of(LaunchEnvironment.NOFILE, "1024 4096")));
        assertEquals(java.util.List.of(new org.jguix.build.spec.ResourceLimit("nofile", 1024,
                org.jguix.build.spec.ResourceLimit.UNLIMITED)),
                LaunchEnvironment.builderLimits(Map.of(LaunchEnvironment.NOFILE, "1024 unlimited")));
        assertEquals(java.util.List.of(), LaunchEnvironment.builderLimits(Map.of()));
        assertEquals(java.util.List.of(), LaunchEnvironment.builderLimits(Map.of(LaunchEnvironment.NOFILE, "x y")));
    }
}
