package org.jguix.build.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.junit.jupiter.api.Test;

/** Modes D and B (build-environment.md §1, §12): {@code startBuilder} without chroot. */
class PlainSpecsTest {
    static final HostFacts HOST = HostFacts.of(Map.of("PATH", "/usr/bin", "LANG", "C"), Set.of(), "x86_64", List.of());
    static final BuildSettings SETTINGS = new BuildSettings(BuildSpecsTest.STORE, 0, List.of(), "x86_64-linux", false,
            true, "/var/tmp");

    static BuildInputs inputs(String builder, BuildIdentity who) throws Exception {
        DerivationOutput out = new DerivationOutput(BuildSpecsTest.OUT, "sha256", "0".repeat(64));
        Derivation drv = Derivation.of(Map.of("out", out), Map.of(), Set.of(), "x86_64-linux", builder,
                List.of("-c", "true"), Map.of("out", BuildSpecsTest.OUT, "url", "\"http://x/y\""));
        return new BuildInputs(BuildSpecsTest.STORE.parsePath(BuildSpecsTest.DRV), drv, new java.util.TreeSet<>(),
                who, 2);
    }

    @Test
    void disableChrootRunsInTheRealBuildDirectory() throws Exception { // mode D
        PlainSpec s = PlainSpecs.unchrooted(inputs(BuildSpecsTest.BASH, BuildSpecsTest.USER), SETTINGS, HOST);
        String dir = "/var/tmp/guix-build-hello.drv-2";
        assertEquals(dir, s.cwd(), "no top/ level and the real path (tmpDirInSandbox = tmpDir)");
        for (String v : List.of("NIX_BUILD_TOP", "TMPDIR", "TEMPDIR", "TMP", "TEMP", "PWD")) {
            assertEquals(dir, s.env().get(v), v);
        }
        assertEquals("/path-not-set", s.env().get("PATH"));
        assertEquals(List.of("cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash", "-c", "true"), s.argv());
        assertEquals(Optional.of(BuildSpecsTest.USER), s.user());
        assertEquals(0x40000, s.personality());
        assertEquals(1000, s.oomScoreAdj());
        assertFalse(s.builtin());
        assertTrue(s.tryExec());
        assertThrows(IllegalArgumentException.class,
                () -> PlainSpecs.unchrooted(inputs("builtin:download", BuildSpecsTest.USER), SETTINGS, HOST));
    }

    @Test
    void builtinDownloadExecsGuixPerformDownloadWithTheDaemonsEnvironment() throws Exception { // mode B
        PlainSpec s = PlainSpecs.builtin(inputs("builtin:download", new BuildIdentity.UserNamespace(983, 983)),
                SETTINGS, HOST, "/usr/bin/guix", "build-cores=0\n", BuildSpecsTest.OUT);
        assertEquals("/usr/bin/guix", s.program());
        assertEquals(List.of("guix", "perform-download", BuildSpecsTest.DRV, BuildSpecsTest.OUT), s.argv());
        assertEquals(Map.of("PATH", "/usr/bin", "LANG", "C", "NIX_STORE", "/gnu/store", "_NIX_OPTIONS",
                "build-cores=0\n"), s.env(), "the daemon's environment, not the builder's");
        assertEquals("/var/tmp/guix-build-hello.drv-2", s.cwd());
        assertEquals(Optional.empty(), s.user(), "no build users: the daemon's own ids");
        assertTrue(s.builtin());
        assertEquals(Optional.empty(), s.builtinError());
        assertEquals(Optional.of("unsupported builtin function 'frobnicate'"), PlainSpecs.builtin(
                inputs("builtin:frobnicate", BuildSpecsTest.USER), SETTINGS, HOST, "/usr/bin/guix", "", "/o")
                .builtinError());
    }

    @Test
    void guixProgramIsGuixThenNixBinDirThenUsrBin() {
        assertEquals("/usr/bin/guix", PlainSpecs.guixProgram(HOST));
        assertEquals("/opt/g/guix", PlainSpecs.guixProgram(HostFacts.of(Map.of("NIX_BIN_DIR", "/opt//g/"), Set.of(),
                "x86_64", List.of())));
        assertEquals("/x/guix-wrapper", PlainSpecs.guixProgram(HostFacts.of(Map.of("GUIX", "/x/./y/../guix-wrapper",
                "NIX_BIN_DIR", "/opt"), Set.of(), "x86_64", List.of())), "canonPath, no symlinks resolved");
    }
}
