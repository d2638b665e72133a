package org.jguix.build.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.junit.jupiter.api.Test;

/**
 * Network of chrooted builds (build-environment.md §11, guix-daemon 1.5.0's
 * {@code startBuilder}/{@code spawnSlirp4netns}): the decision, slirp4netns's argv and
 * identity, the loopback and the {@code /etc} files of fixed-output builds. The expected
 * files are what the real daemon's builders showed in the compat harness's sid root.
 */
class NetworkAccessTest {
    static final String S = BuildSpecsTest.S;
    static final String OUT = BuildSpecsTest.OUT;
    /** The sid root's /etc/hosts (Debian's netbase file). */
    static final String HOSTS = "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n"
            + "ff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n\n";
    static final NetworkFacts SLIRP = new NetworkFacts(true, true, true, Optional.of(HOSTS));
    static final Set<String> FILES = Set.of("/dev/pts/ptmx", "/etc/hosts", "/etc/resolv.conf", "/etc/services",
            "/etc/nsswitch.conf");

    static BuildSpec spec(boolean fixed, NetworkFacts net, BuildIdentity who, boolean hostLoopback) throws Exception {
        DerivationOutput out = fixed ? new DerivationOutput(OUT, "sha256", "0".repeat(64)) : DerivationOutput.regular(OUT);
        Derivation drv = Derivation.of(Map.of("out", out), Map.of(), Set.of(BuildSpecsTest.BASH), "x86_64-linux",
                BuildSpecsTest.BASH, List.of(), Map.of("out", OUT));
        BuildSettings settings = new BuildSettings(BuildSpecsTest.STORE, 0, List.of(), "x86_64-linux", false,
                hostLoopback, "/var/tmp");
        HostFacts host = HostFacts.of(Map.of(), FILES, "x86_64", List.of()).withNetwork(net);
        return BuildSpecs.compute(BuildInputs.of(BuildSpecsTest.STORE.parsePath(BuildSpecsTest.DRV), drv,
                Set.of(BuildSpecsTest.BASH), who), settings, host);
    }

    static String file(BuildSpec s, String path) {
        return s.chroot().entries().stream().filter(e -> e instanceof ChrootEntry.File f && f.path().equals(path))
                .map(e -> ((ChrootEntry.File) e).content()).findFirst().orElse(null);
    }

    @Test
    void nonFixedOutputBuildsHaveOnlyTheirLoopback() throws Exception {
        BuildSpec s = spec(false, SLIRP, BuildSpecsTest.USER, true);
        assertEquals(new NetworkAccess.Private(), s.network());
        assertTrue(s.loopbackUp());
        assertEquals("127.0.0.1 localhost\n::1 localhost\n", file(s, "/etc/hosts"));
        assertFalse(s.chroot().mounts().containsKey("/etc/resolv.conf"));
    }

    @Test
    void withoutSlirp4netnsOrTunTheBuildHasNoNetworkAndSaysWhy() throws Exception {
        BuildSpec none = spec(true, NetworkFacts.NONE, BuildSpecsTest.USER, true);
        assertEquals(new NetworkAccess.Disabled("`/usr/bin/slirp4netns' can't be found in PATH, network access disabled"),
                none.network());
        BuildSpec noTun = spec(true, new NetworkFacts(true, false, true, Optional.of(HOSTS)), BuildSpecsTest.USER, true);
        assertEquals(new NetworkAccess.Disabled("`/dev/net/tun' is missing, network access disabled"), noTun.network());
        for (String f : List.of("/etc/hosts", "/etc/resolv.conf", "/etc/services", "/etc/nsswitch.conf")) {
            assertEquals(new BindMount(f, f, true), noTun.chroot().mounts().get(f), f);
        }
        assertFalse(noTun.loopbackUp());
    }

    @Test
    void slirp4netnsWithTheHostLoopback() throws Exception { // §11.1-11.3, default mode
        BuildSpec s = spec(true, SLIRP, BuildSpecsTest.USER, true);
        NetworkAccess.Slirp slirp = assertInstanceOf(NetworkAccess.Slirp.class, s.network());
        assertEquals(List.of("slirp4netns", "--netns-type=tapfd", "--enable-sandbox", "--enable-ipv6", "--ready-fd=3",
                "4"), slirp.argv());
        assertEquals("/usr/bin/slirp4netns", slirp.program());
        assertTrue(slirp.ipv6() && slirp.routeLocalnet() && slirp.seccomp());
        assertEquals(982, slirp.uid(), "slirp4netns runs as the build user");
        assertEquals(982, slirp.gid());
        assertEquals(Optional.empty(), slirp.userNamespace(), "root daemon: no user namespace of its own");
        assertEquals("/var/tmp", slirp.root(), "its chroot is a tmpfs on the daemon's TMPDIR");
        assertFalse(s.loopbackUp(), "lo stays down: 127.0.0.1 is the host's, through slirp4netns");
        // The regexes of startBuilder, ff02::1 included (RUN: "ff02fd00::2 ip6-allnodes").
        assertEquals("10.0.2.2\tlocalhost\nfd00::2\t\tlocalhost ip6-localhost ip6-loopback\n"
                + "ff02fd00::2\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n\n", file(s, "/etc/hosts"));
        assertEquals("nameserver 10.0.2.3", file(s, "/etc/resolv.conf"));
        assertFalse(s.chroot().mounts().containsKey("/etc/hosts"));
        assertFalse(s.chroot().mounts().containsKey("/etc/resolv.conf"));
        assertEquals(new BindMount("/etc/services", "/etc/services", true), s.chroot().mounts().get("/etc/services"));
        assertEquals(new BindMount("/etc/nsswitch.conf", "/etc/nsswitch.conf", true),
                s.chroot().mounts().get("/etc/nsswitch.conf"));
        BuildSpec noHosts = spec(true, new NetworkFacts(true, true, false, Optional.empty()), BuildSpecsTest.USER, true);
        assertEquals("10.0.2.2 localhost\nfd00::2 localhost\n", file(noHosts, "/etc/hosts"));
        assertFalse(((NetworkAccess.Slirp) noHosts.network()).ipv6());
    }

    @Test
    void isolatedHostLoopback() throws Exception { // §11.2, --isolate-host-loopback
        BuildSpec s = spec(true, SLIRP, BuildSpecsTest.USER, false);
        NetworkAccess.Slirp slirp = assertInstanceOf(NetworkAccess.Slirp.class, s.network());
        assertEquals(List.of("slirp4netns", "--netns-type=tapfd", "--enable-sandbox", "--enable-ipv6", "--ready-fd=3",
                "--disable-host-loopback", "4"), slirp.argv());
        assertFalse(slirp.routeLocalnet());
        assertTrue(s.loopbackUp());
        assertEquals(new BindMount("/etc/hosts", "/etc/hosts", true), s.chroot().mounts().get("/etc/hosts"));
        assertEquals(null, file(s, "/etc/hosts"));
        assertEquals("nameserver 10.0.2.3", file(s, "/etc/resolv.conf"));
    }

    @Test
    void slirp4netnsIdentityFollowsTheDaemon() throws Exception { // spawnSlirp4netns's slirpUser
        NetworkAccess.Slirp root = (NetworkAccess.Slirp) spec(true, SLIRP, new BuildIdentity.UserNamespace(0, 0), true)
                .network();
        assertEquals(List.of(0, 0, 0), List.of(root.uid(), root.gid(), root.userNamespace().map(List::size).orElse(0)));
        NetworkAccess.Slirp unprivileged = (NetworkAccess.Slirp) spec(true, SLIRP,
                new BuildIdentity.UserNamespace(983, 984), true).network();
        assertEquals(983, unprivileged.uid());
        assertEquals(984, unprivileged.gid());
        assertEquals(Optional.of(List.of("983 983 1", "984 984 1\n")), unprivileged.userNamespace());
    }

    @Test
    void globalIpv6IsScope00Or40OfIfInet6() {
        // This machine's /proc/net/if_inet6: a link-local, a global (fd00::2) and lo.
        String text = "fe8000000000000000fc00fffe000001 04 40 20 80     eth0\n"
                + "fd000000000000000000000000000002 04 40 00 82     eth0\n"
                + "00000000000000000000000000000001 01 80 10 80       lo\n";
        assertTrue(NetworkFacts.globalIpv6(text));
        assertFalse(NetworkFacts.globalIpv6(text.lines().filter(l -> !l.contains(" 00 ")).reduce("", (a, b) -> a + b + "\n")));
        assertFalse(NetworkFacts.globalIpv6(""));
    }
}
