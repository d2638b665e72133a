package org.jguix.daemon.session;

import static org.jguix.daemon.session.ClientView.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jguix.daemon.cli.DaemonCommandLine;
import org.jguix.daemon.cli.Invocation;
import org.jguix.daemon.config.DaemonConfig;
import org.jguix.daemon.config.ListenAddress;
import org.jguix.daemon.server.SocketServer;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;
import org.jguix.wire.StringPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --listen=HOST:PORT} end to end: the command line gives a TCP address, the socket server
 * listens on it, and a client that connects over TCP gets the protocol and guix-daemon's treatment of
 * TCP clients ({@code acceptConnection}, {@code isRemoteConnection}; spec daemon-cli-and-environment.md
 * §6): logged by address, untrusted, no uid (so no profile directory until its {@code user-name}
 * option names one), and garbage collection refused.
 */
class TcpListenTest {
    @TempDir
    Path tmp;

    @Test
    void aTcpClientIsServedAsAnUntrustedRemoteHost() throws IOException {
        int port = freePort();
        Invocation inv = new DaemonCommandLine("guix-daemon").parse(List.of("--listen=127.0.0.1:" + port), Map.of());
        DaemonConfig config = assertInstanceOf(Invocation.Run.class, inv).config();
        assertEquals(List.of(new ListenAddress.Tcp("127.0.0.1", port)), config.effectiveListen());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TestDaemon d = new TestDaemon(tmp);
                SocketServer server = new SocketServer(d.server, new PrintStream(log, true, StandardCharsets.UTF_8),
                        uid -> "uid" + uid)) {
            String hello = d.addHelloAndRef()[0];
            server.bind(config.effectiveListen());
            server.start();
            Path profiles = d.store.layout().stateDir().resolve("profiles/per-user");

            ClientView v = new ClientView(exchange(port, TestDaemon.client(
                    new Request.IsValidPath(hello),
                    new Request.VerifyStore(false, true),
                    new Request.CollectGarbage(0, List.of(), false, 0),
                    new Request.IsValidPath(hello))));
            assertEquals(true, v.answer(Operation.IS_VALID_PATH));
            assertEquals(error("you are not privileged to repair paths"), v.answer(Operation.VERIFY_STORE),
                    "untrusted: a local root client may repair");
            assertEquals(error("Garbage collection is disabled for remote hosts."),
                    v.answer(Operation.COLLECT_GARBAGE));
            assertTrue(v.atEnd(), "that refusal is fatal: nothing more is served");
            assertEquals(List.of(), v.messages, "no uid, so no \"user with UID\" note and no profile directory");
            assertFalse(Files.exists(profiles.resolve("tester")));

            ClientView w = new ClientView(exchange(port, TestDaemon.client(
                    Request.SetOptions.current(false, false, false, 0, true, 0, 0, true, false,
                            List.of(new StringPair("user-name", "tester"))),
                    new Request.BuildPaths(List.of(hello), 1))));
            w.answer(Operation.SET_OPTIONS);
            assertTrue(Files.isDirectory(profiles.resolve("tester")), "the user-name option names the profile");
            assertEquals(error("repairing is a privileged operation"), w.answer(Operation.BUILD_PATHS));
            assertTrue(w.atEnd());
        }
        String lines = log.toString(StandardCharsets.UTF_8);
        assertEquals(2, lines.lines().filter(l -> l.equals("accepted connection from 127.0.0.1")).count(), lines);
    }

    /** Sends {@code c2d}, half-closes, and returns everything the daemon sent until it closed. */
    private static byte[] exchange(int port, byte[] c2d) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(c2d);
            s.shutdownOutput();
            return s.getInputStream().readAllBytes();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
