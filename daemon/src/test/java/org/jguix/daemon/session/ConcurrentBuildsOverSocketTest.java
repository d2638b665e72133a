package org.jguix.daemon.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jguix.daemon.config.ListenAddress;
import org.jguix.daemon.server.SocketServer;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationHasher;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationPaths;
import org.jguix.derivation.DerivationPrinter;
import org.jguix.storepath.StoreDir;
import org.jguix.wire.ByteString;
import org.jguix.wire.Handshake;
import org.jguix.wire.Operation;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.Request;
import org.jguix.wire.StderrCodec;
import org.jguix.wire.StderrFrame;
import org.jguix.wire.WireReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Several clients build at once over a real Unix socket, each waiting on its BuildPaths while its
 * builder runs for a while. Regression: with the connection's data read through a FileInputStream
 * on the socket's descriptor, each request's hang-up watch (a virtual thread blocked reading the
 * quiet client) held a carrier thread, so with as many clients as cores the build goals, virtual
 * threads too, never ran again and every build hung. More clients than this machine's carriers are
 * used, so that it would hang here again.
 */
class ConcurrentBuildsOverSocketTest {
    @TempDir
    Path tmp;

    @Test
    void concurrentBuildsOverTheUnixSocket() throws Exception {
        int clients = Runtime.getRuntime().availableProcessors() + 2;
        Path socket = tmp.resolve("socket");
        try (TestDaemon d = new TestDaemon(tmp.resolve("d"), org.jguix.daemon.config.Settings.DEFAULTS
                .with("build-use-substitutes", "false").withField("build-use-chroot", "false")
                .with("system", HostShDerivation.SYSTEM), Files.createDirectories(tmp.resolve("no-proc")), true);
                SocketServer server = new SocketServer(d.server, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), uid -> "user" + uid)) {
            StoreDir dir = StoreDir.of(d.store.layout().storeDirString());
            byte[] sh = Files.readAllBytes(Path.of("/bin/sh").toRealPath());
            String shell = org.jguix.storepath.StorePaths.makeStorePath(dir, "text", org.jguix.hash.Hash.sha256(sh), "sh")
                    .absolute();
            d.store.writer().add(shell, t -> {
                Files.write(t, sh);
                Files.setPosixFilePermissions(t, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            }, List.of(), Optional.empty(), null);
            server.bind(List.of(new ListenAddress.Unix(socket)));
            server.start();
            ExecutorService pool = Executors.newCachedThreadPool();
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = i;
                results.add(pool.submit(() -> build(socket, dir, shell, n)));
            }
            try {
                for (int i = 0; i < clients; i++) {
                    assertEquals("client " + i + ": true", results.get(i).get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static String build(Path socket, StoreDir dir, String shell, int n) throws Exception {
        String name = "r" + n;
        Map<String, String> env = new TreeMap<>(Map.of("n", Integer.toString(n), "out", "", "PATH", "/bin:/usr/bin"));
        Derivation masked = Derivation.of(Map.of("out", DerivationOutput.regular("")), Map.of(), Set.of(),
                HostShDerivation.SYSTEM, shell, List.of("-c", "i=0; while [ $i -lt 4 ]; do sleep 0.25; echo tick; i=$((i+1)); done; echo built $n > $out"), env);
        Derivation drv = DerivationPaths.withOutputPaths(dir, masked, name, new DerivationHasher(p -> {
            throw new IOException("none: " + p);
        }));
        String drvPath = DerivationPaths.drvPath(dir, name, drv).absolute();
        String text = DerivationPrinter.printString(drv);
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write(TestDaemon.client(new Request.AddTextToStore(drvPath.substring(drvPath.lastIndexOf('/') + 34),
                    ByteString.utf8(text), List.copyOf(drv.references())),
                    new Request.BuildPaths(List.of(drvPath), 0)));
            out.flush();
            InputStream in = s.getInputStream();
            WireReader r = new WireReader(in);
            Handshake.readDaemonGreeting(r);
            frames(r);
            Object p = frames(r);
            Object added = p != null ? p : Operation.ADD_TEXT_TO_STORE.readReply(r, ProtocolVersion.CURRENT);
            assertEquals(drvPath, added);
            Object e = frames(r);
            return "client " + n + ": " + (e != null ? e : Operation.BUILD_PATHS.readReply(r, ProtocolVersion.CURRENT));
        }
    }

    private static Object frames(WireReader r) throws IOException {
        while (true) {
            StderrFrame f = StderrCodec.read(r, ProtocolVersion.CURRENT);
            if (f instanceof StderrFrame.Last) {
                return null;
            }
            if (f instanceof StderrFrame.Error e) {
                return e;
            }
        }
    }
}
