package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildInputs;
import org.jguix.build.spec.BuildSettings;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.BuildSpecs;
import org.jguix.build.spec.HostFacts;
import org.jguix.build.spec.NetworkFacts;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.nar.TreeDeleter;
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fixed-output builds with slirp4netns, run by the helper inside the compat harness's sid
 * root (which has /usr/bin/slirp4netns; the host's network namespace, so an HTTP server of
 * this JVM on 127.0.0.1 is the "host loopback"). What the builder sees is what the real
 * guix-daemon's builders showed there (build-environment.md §11.1-11.2, RUN).
 */
class FixedOutputNetworkIT {
    private static final String PAYLOAD = "payload from the host\n";
    private Path scratch;
    private HttpServer server;

    @BeforeEach
    void setUp() throws IOException {
        SidRoot.assumeRoot();
        SidRoot.assumeSidRoot();
        SidRoot.assumeStaticTools();
        assumeTrue(Files.isExecutable(SidRoot.ROOT.resolve("usr/bin/slirp4netns")), "no slirp4netns in the sid root");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "no /dev/net/tun");
        scratch = Files.createTempDirectory(Path.of("/tmp"), "jguix-scenario.");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/file", ex -> {
            byte[] b = PAYLOAD.getBytes(StandardCharsets.ISO_8859_1);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) {
            server.stop(0);
        }
        if (scratch != null) {
            TreeDeleter.delete(scratch);
        }
    }

    record Run(SandboxResult result, String log, List<Integer> slirp) {
    }

    private Run run(boolean hostLoopback, String script, BuildLimits limits) throws Exception {
        Path store = Files.createDirectories(scratch.resolve("gnu/store"));
        ChrootPreparer.setMode(store, 01775);
        ChrootPreparer.setMode(Files.createDirectories(scratch.resolve("tmp")), 01777);
        String h = "0123456789abcdfghijklmnpqrsvwxyz";
        String bash = "/gnu/store/" + h.replace('0', '1') + "-bash";
        String busybox = "/gnu/store/" + h.replace('0', '2') + "-busybox";
        Files.copy(SidRoot.BASH, scratch.resolve(bash.substring(1)));
        Path bin = Files.createDirectories(scratch.resolve(busybox.substring(1) + "/bin"));
        Files.copy(SidRoot.BUSYBOX, bin.resolve("busybox"));
        for (Path p : List.of(scratch.resolve(bash.substring(1)), bin.resolve("busybox"), bin, bin.getParent())) {
            ChrootPreparer.setMode(p, 0555);
        }
        String out = "/gnu/store/" + h.replace('0', '3') + "-fetched";
        Derivation drv = Derivation.of(Map.of("out", new DerivationOutput(out, "sha256", "0".repeat(64))), Map.of(),
                Set.of(bash, busybox), "x86_64-linux", bash, List.of("-c", "bb=" + busybox + "/bin/busybox\n"
                        + "url=http://127.0.0.1:" + server.getAddress().getPort() + "/file\n" + script),
                Map.of("out", out));
        BuildInputs in = BuildInputs.of(StoreDir.of("/gnu/store").parsePath("/gnu/store/" + h + "-fetched.drv"), drv,
                Set.of(bash, busybox), new BuildIdentity.BuildUser(30999, 30999, List.of(30999)));
        BuildSettings settings = new BuildSettings(StoreDir.of("/gnu/store"), 0, List.of(), "x86_64-linux", false,
                hostLoopback, "/tmp");
        HostFacts host = HostFacts.of(Map.of(), Set.of("/dev/pts/ptmx", "/etc/hosts"), "x86_64", List.of())
                .withNetwork(new NetworkFacts(true, true, false, Optional.of("127.0.0.1 localhost\n::1 localhost\n")));
        BuildSpec spec = BuildSpecs.compute(in, settings, host);
        new ChrootPreparer(scratch).prepare(spec);
        Path work = Files.createDirectories(scratch.resolve("work"));
        Path helper = work.resolve(SandboxHelper.NAME);
        Files.copy(SandboxHelper.locate(), helper, StandardCopyOption.COPY_ATTRIBUTES);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Integer> slirp = new ArrayList<>();
        SandboxResult r = new SandboxRunner(helper, SidRoot.launcher(scratch, work), work).run(spec, limits,
                new SandboxRunner.Listener() {
                    @Override
                    public void started(int pid) {
                    }

                    @Override
                    public void networkStarted(int pid) {
                        slirp.add(pid);
                    }
                }, log, () -> false);
        return new Run(r, log.toString(StandardCharsets.ISO_8859_1), slirp);
    }

    private static final String REPORT = """
            $bb wget -q -T 3 -O - $url && echo "http: allowed" || echo "http: denied"
            $bb ip -o link | $bb sed -E 's/^[0-9]+: //; s/ qdisc.*//'
            $bb ip -o addr show dev tap0 | $bb awk '{print $4}' | $bb grep -v ff:fe
            $bb ip route; $bb ip -6 route
            echo "route_localnet: $($bb cat /proc/sys/net/ipv4/conf/all/route_localnet)"
            $bb cat /etc/hosts /etc/resolv.conf; echo
            """;

    @Test
    void theHostLoopbackIsReachedThroughSlirp4netns() throws Exception {
        Run r = run(true, REPORT, BuildLimits.NONE);
        assertEquals(new SandboxResult.Exited(0), r.result(), r.log());
        assertEquals(PAYLOAD + "http: allowed\n"
                + "lo: <LOOPBACK> mtu 65536\n"
                + "tap0: <BROADCAST,UP,LOWER_UP> mtu 1500\n"
                + "10.0.2.100/24\nfe80::80/64\n"
                + "default via 10.0.2.2 dev tap0 \n10.0.2.0/24 dev tap0 scope link  src 10.0.2.100 \n"
                + "fd00::2 dev tap0  metric 1 \nfe80::/64 dev tap0  metric 256 \n"
                + "route_localnet: 1\n"
                + "10.0.2.2 localhost\nfd00::2 localhost\nnameserver 10.0.2.3\n", r.log());
        assertEquals(1, r.slirp().size(), "slirp4netns's pid reported");
        assertTrue(r.slirp().get(0) > 0);
    }

    @Test
    void isolatedHostLoopback() throws Exception {
        Run r = run(false, REPORT, BuildLimits.NONE);
        assertEquals(new SandboxResult.Exited(0), r.result(), r.log());
        assertTrue(r.log().contains("refused\nhttp: denied\nlo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n"), r.log());
        // The host's /etc/hosts bind-mounted (the sid root's netbase file).
        String hosts = Files.readString(SidRoot.ROOT.resolve("etc/hosts"), StandardCharsets.ISO_8859_1);
        assertTrue(r.log().contains("route_localnet: 0\n" + hosts + "nameserver 10.0.2.3"), r.log());
    }

    @Test
    void slirp4netnsGoesWithATimedOutBuild() throws Exception {
        long t0 = System.nanoTime();
        Run r = run(true, "$bb sleep 4245", new BuildLimits(Duration.ofSeconds(1), Duration.ZERO));
        assertEquals(new SandboxResult.TimedOut(SandboxResult.TimedOut.Kind.WALL_CLOCK, Duration.ofSeconds(1)),
                r.result());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "the helper waited for slirp4netns");
        assertEquals(1, r.slirp().size());
    }
}
