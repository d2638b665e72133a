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
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.Test;

/** {@link BuildSpecs} field by field against build-environment.md (section numbers cited). */
class BuildSpecsTest {
    static final String S = "/gnu/store/";
    static final String BASH = S + "cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash";
    static final String OUT = S + "zg6lqnzsima29j7w86imlw24pjmjr52r-hello";
    static final String DRV = S + "w1wh7vb1x2899ijwlssrkqy5zrks2sxb-hello.drv";
    static final StoreDir STORE = storeDir();
    static final BuildSettings SETTINGS = BuildSettings.defaults(STORE);
    static final HostFacts HOST = HostFacts.of(Map.of("http_proxy", "http://proxy", "HOME", "/root"),
            Set.of("/dev/kvm", "/dev/pts/ptmx", "/etc/hosts", "/etc/services"), "x86_64", List.of());
    static final BuildIdentity USER = new BuildIdentity.BuildUser(982, 982, List.of(982));

    static StoreDir storeDir() {
        try {
            return StoreDir.of("/gnu/store");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static BuildSpec spec(Map<String, String> env, DerivationOutput out, BuildIdentity who, BuildSettings settings,
            String platform) throws Exception {
        Derivation drv = Derivation.of(Map.of("out", out), Map.of(), Set.of(BASH), platform, BASH,
                List.of("-c", "echo hi"), env);
        return BuildSpecs.compute(BuildInputs.of(STORE.parsePath(DRV), drv, Set.of(BASH), who), settings, HOST);
    }

    static BuildSpec spec(Map<String, String> env) throws Exception {
        return spec(env, DerivationOutput.regular(OUT), USER, SETTINGS, "x86_64-linux");
    }

    @Test
    void environmentDefaultsOverridesAndFixedOnes() throws Exception { // §5
        BuildSpec s = spec(Map.of("out", OUT, "PATH", "/mine", "HOME", "/h", "NIX_STORE", "/s",
                "NIX_BUILD_CORES", "9", "TMPDIR", "/no", "PWD", "/no", "impureEnvVars", "http_proxy"));
        assertEquals("/mine", s.env().get("PATH"));
        assertEquals("/h", s.env().get("HOME"));
        assertEquals("/s", s.env().get("NIX_STORE"));
        assertEquals("9", s.env().get("NIX_BUILD_CORES"));
        for (String v : List.of("NIX_BUILD_TOP", "TMPDIR", "TEMPDIR", "TMP", "TEMP", "PWD")) {
            assertEquals("/tmp/guix-build-hello.drv-0", s.env().get(v), v);
        }
        assertFalse(s.env().containsKey("http_proxy"), "impureEnvVars only for fixed-output builds");
        BuildSpec plain = spec(Map.of("out", OUT));
        assertEquals(Map.of("PATH", "/path-not-set", "HOME", "/homeless-shelter", "NIX_STORE", "/gnu/store",
                "NIX_BUILD_CORES", "0", "out", OUT, "NIX_BUILD_TOP", "/tmp/guix-build-hello.drv-0",
                "TMPDIR", "/tmp/guix-build-hello.drv-0", "TEMPDIR", "/tmp/guix-build-hello.drv-0",
                "TMP", "/tmp/guix-build-hello.drv-0", "TEMP", "/tmp/guix-build-hello.drv-0"), without(plain.env(), "PWD"));
        assertEquals("3", spec(Map.of(), DerivationOutput.regular(OUT), USER, SETTINGS.withBuildCores(3), "x86_64-linux")
                .env().get("NIX_BUILD_CORES"));
    }

    @Test
    void fixedOutputGetsImpureVarsFromTheDaemonAndHostFiles() throws Exception { // §5 row 7, §11
        DerivationOutput fixed = new DerivationOutput(OUT, "sha256", "0".repeat(64));
        BuildSpec s = spec(Map.of("out", OUT, "impureEnvVars", " http_proxy\tFOO_IMPURE  HOME", "FOO_IMPURE", "drv"),
                fixed, USER, SETTINGS, "x86_64-linux");
        assertEquals("http://proxy", s.env().get("http_proxy"));
        assertEquals("", s.env().get("FOO_IMPURE"), "missing in the daemon's env → empty");
        assertEquals("/root", s.env().get("HOME"), "impure vars win over everything");
        assertFalse(s.loopbackUp(), "host loopback allowed by default: lo stays down");
        assertEquals(new BindMount("/etc/hosts", "/etc/hosts", true), s.chroot().mounts().get("/etc/hosts"));
        assertEquals(new BindMount("/etc/services", "/etc/services", true), s.chroot().mounts().get("/etc/services"));
        assertFalse(s.chroot().mounts().containsKey("/etc/resolv.conf"), "absent on this host");
        assertTrue(s.chroot().entries().stream().noneMatch(e -> e.path().equals("/etc/hosts")));
    }

    @Test
    void argvIdentityNamesAndProcessAttributes() throws Exception { // §5, §9
        BuildSpec s = spec(Map.of("out", OUT));
        assertEquals(List.of("cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash", "-c", "echo hi"), s.argv());
        assertEquals(BASH, s.builder());
        assertEquals("/tmp/guix-build-hello.drv-0", s.cwd());
        assertEquals("/tmp/guix-build-hello.drv-0", s.hostBuildDir());
        assertEquals("/tmp/guix-build-hello.drv-0/top", s.hostBuildTop());
        assertEquals("localhost", s.hostname());
        assertEquals("(none)", s.domainname());
        assertTrue(s.loopbackUp());
        assertEquals(0x0040000, s.personality());
        assertEquals(1000, s.oomScoreAdj());
        assertEquals(Map.of(OUT, DRV + ".chroot/top" + OUT), s.outputs());
        assertEquals(Optional.empty(), s.execError());
    }

    @Test
    void etcAndStoreForBuildUserAndUserNamespace() throws Exception { // §6.1
        BuildSpec r = spec(Map.of("out", OUT));
        assertEquals(file("/etc/passwd", "nixbld:x:982:982:Nix build user:/:/noshell\nnobody:x:65534:65534:Nobody:/:/noshell\n"),
                entry(r, "/etc/passwd"));
        assertEquals(file("/etc/group", "nixbld:!:982:\n"), entry(r, "/etc/group"));
        assertEquals(file("/etc/hosts", "127.0.0.1 localhost\n::1 localhost\n"), entry(r, "/etc/hosts"));
        assertEquals(new ChrootEntry.Directory("/gnu/store", 01775, 0, 982), entry(r, "/gnu/store"));
        assertEquals(new ChrootEntry.Directory("/tmp", 01777, -1, -1), entry(r, "/tmp"));
        assertEquals(982, r.chroot().rootDirGid());
        assertEquals(DRV + ".chroot", r.chroot().rootTop());

        BuildSpec n = spec(Map.of("out", OUT), DerivationOutput.regular(OUT), new BuildIdentity.UserNamespace(983, 984),
                SETTINGS, "x86_64-linux");
        assertEquals(file("/etc/passwd", "nixbld:x:30001:30000:Nix build user:/:/noshell\nnobody:x:65534:65534:Nobody:/:/noshell\n"),
                entry(n, "/etc/passwd"));
        assertEquals(file("/etc/group", "nixbld:!:30000:\n"), entry(n, "/etc/group"));
        assertEquals(new ChrootEntry.Directory("/gnu/store", 01775, -1, -1), entry(n, "/gnu/store"));
        assertEquals("30001 983 1", ((BuildIdentity.UserNamespace) n.identity()).uidMap());
        assertEquals("30000 984 1\n", ((BuildIdentity.UserNamespace) n.identity()).gidMap());
    }

    @Test
    void mountsDevicesAndChrootDirs() throws Exception { // §6.1
        BuildSpec s = spec(Map.of("out", OUT));
        assertEquals(List.of("/dev/full", "/dev/kvm", "/dev/null", "/dev/random", "/dev/tty", "/dev/urandom",
                "/dev/zero", BASH, "/tmp/guix-build-hello.drv-0"), List.copyOf(s.chroot().mounts().keySet()));
        assertTrue(s.chroot().mounts().get(BASH).readOnly());
        assertEquals(new BindMount("/tmp/guix-build-hello.drv-0", "/tmp/guix-build-hello.drv-0/top", false),
                s.chroot().mounts().get("/tmp/guix-build-hello.drv-0"));
        assertTrue(s.chroot().mountDevpts() && s.chroot().mountProc() && s.chroot().mountDevshm());

        BuildSpec d = spec(Map.of(), DerivationOutput.regular(OUT), USER,
                SETTINGS.withChrootDirs(List.of("/dev", "/bin=/gnu/store/x-static/bin", "/opt/tools", "/dev/pts")),
                "x86_64-linux");
        var m = d.chroot().mounts();
        assertEquals(new BindMount("/dev", "/dev", false), m.get("/dev"));
        assertEquals(new BindMount("/bin", "/gnu/store/x-static/bin", true), m.get("/bin"), "failsafe: store sources ro");
        assertEquals(new BindMount("/opt/tools", "/opt/tools", false), m.get("/opt/tools"));
        assertFalse(m.containsKey("/dev/null"), "/dev given: no device nodes of our own");
        assertFalse(d.chroot().mountDevpts(), "/dev/pts given");
        assertTrue(d.chroot().entries().stream().noneMatch(e -> e.path().startsWith("/dev")));
    }

    @Test
    void outputsAreNeverMounted() throws Exception { // §6.1: repair/check may list an output as input
        Derivation drv = Derivation.of(Map.of("out", DerivationOutput.regular(OUT)), Map.of(), Set.of(BASH),
                "x86_64-linux", BASH, List.of(), Map.of("out", OUT));
        BuildSpec s = BuildSpecs.compute(BuildInputs.of(STORE.parsePath(DRV), drv, Set.of(BASH, OUT), USER),
                SETTINGS, HOST);
        assertFalse(s.chroot().mounts().containsKey(OUT));
    }

    @Test
    void buildDirIndexAndDaemonTmpDirOnlyMoveTheHostSide() throws Exception { // §4, §19.6
        Derivation drv = Derivation.of(Map.of("out", DerivationOutput.regular(OUT)), Map.of(), Set.of(BASH),
                "x86_64-linux", BASH, List.of(), Map.of("out", OUT));
        BuildSettings settings = new BuildSettings(STORE, 0, List.of(), "x86_64-linux", false, true, "/var/tmp");
        BuildSpec s = BuildSpecs.compute(new BuildInputs(STORE.parsePath(DRV), drv,
                new java.util.TreeSet<>(Set.of(BASH)), USER, 2), settings, HOST);
        assertEquals("/var/tmp/guix-build-hello.drv-2/top", s.hostBuildTop());
        assertEquals("/tmp/guix-build-hello.drv-0", s.cwd());
        assertEquals("/var/tmp/guix-build-hello.drv-2/top", s.chroot().mounts().get(s.cwd()).source());
    }

    @Test
    void personalityAndForeignPlatforms() throws Exception { // §5, §9
        assertEquals(0x0040008, spec(Map.of(), DerivationOutput.regular(OUT), USER, SETTINGS, "i686-linux").personality());
        BuildSettings old = new BuildSettings(STORE, 0, List.of(), "x86_64-linux", true, true, "/tmp");
        assertEquals(0x0060000, spec(Map.of(), DerivationOutput.regular(OUT), USER, old, "x86_64-linux").personality());
        BuildSpec arm = spec(Map.of(), DerivationOutput.regular(OUT), USER, SETTINGS, "aarch64-linux");
        assertEquals(Optional.of("a `aarch64-linux' is required to build `x86_64-linux', but I am a `" + DRV + "'"),
                arm.execError());
        assertTrue(arm.tryExec(), "same kernel: binfmt_misc may run it");
        assertFalse(spec(Map.of(), DerivationOutput.regular(OUT), USER, SETTINGS, "i586-gnu").tryExec());
        assertTrue(spec(Map.of(), DerivationOutput.regular(OUT), USER, SETTINGS, "i686-linux").execError().isEmpty());
    }

    @Test
    void builtinBuildersAreNotSandboxed() throws Exception {
        Derivation drv = Derivation.of(Map.of("out", new DerivationOutput(OUT, "sha256", "0".repeat(64))), Map.of(),
                Set.of(), "x86_64-linux", "builtin:download", List.of(), Map.of("out", OUT));
        assertThrows(IllegalArgumentException.class,
                () -> BuildSpecs.compute(BuildInputs.of(STORE.parsePath(DRV), drv, Set.of(), USER), SETTINGS, HOST));
    }

    private static ChrootEntry.File file(String path, String content) {
        return new ChrootEntry.File(path, content, 0644);
    }

    private static ChrootEntry entry(BuildSpec s, String path) {
        return s.chroot().entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    private static Map<String, String> without(Map<String, String> m, String key) {
        var copy = new java.util.TreeMap<>(m);
        assertEquals("/tmp/guix-build-hello.drv-0", copy.remove(key));
        return copy;
    }
}
