package org.jguix.daemon.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jguix.daemon.config.ListenAddress;
import org.jguix.daemon.server.SocketServer;
import org.jguix.nar.NarHasher;
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
 * A Unix-socket client end to end through {@link SocketServer}: a request and a reply far larger
 * than the session's 8 KiB buffers arrive whole, the peer's credentials name it in the log, and
 * closing the server ends a connection whose thread is blocked reading an idle client.
 */
class UnixListenTest {
    @TempDir
    Path tmp;

    @Test
    void largeRequestsAndRepliesCrossTheSocketWhole() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path socket = tmp.resolve("socket");
        byte[] text = new byte[200_000];
        new Random(7).nextBytes(text);
        try (TestDaemon d = new TestDaemon(tmp.resolve("d"));
                SocketServer server = new SocketServer(d.server, new PrintStream(log, true, StandardCharsets.UTF_8),
                        uid -> "user" + uid)) {
            server.bind(List.of(new ListenAddress.Unix(socket)));
            server.start();
            byte[] c2d = TestDaemon.client(new Request.AddTextToStore("big", ByteString.of(text), List.of()));
            ClientView v = new ClientView(exchange(socket, c2d));
            String path = (String) v.answer(Operation.ADD_TEXT_TO_STORE);
            assertTrue(v.atEnd());

            ClientView w = new ClientView(exchange(socket, TestDaemon.client(new Request.ExportPath(path, false))));
            w.answer(Operation.EXPORT_PATH);
            byte[] exported = w.written.toByteArray();
            assertTrue(exported.length > text.length, "the export carries the NAR of the file");
            assertArrayEquals(NarHasher.hashRegularFile(text, false, "sha256").digest(),
                    NarHasher.hashPath(d.store.layout().file(path), "sha256").digest());
        }
        String lines = log.toString(StandardCharsets.UTF_8);
        long pid = ProcessHandle.current().pid();
        assertEquals(2, lines.lines().filter(l -> l.startsWith("accepted connection from pid " + pid + ", user user"))
                .count(), lines);
    }

    @Test
    void closingTheServerEndsAnIdleConnection() throws Exception {
        Path socket = tmp.resolve("socket");
        try (TestDaemon d = new TestDaemon(tmp.resolve("d"))) {
            SocketServer server = new SocketServer(d.server, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), uid -> "user" + uid);
            server.bind(List.of(new ListenAddress.Unix(socket)));
            server.start();
            try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(TestDaemon.client()); // handshake only, then idle
                InputStream in = s.getInputStream();
                readGreeting(in); // the daemon now blocks reading the next opcode
                long t0 = System.nanoTime();
                server.close();
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds < 5, "close waited " + seconds + " s for the blocked connection thread");
                assertEquals(-1, in.read(), "the connection is closed");
            }
        }
    }

    /** The daemon's greeting and its frames up to the handshake's LAST. */
    private static void readGreeting(InputStream in) throws IOException {
        WireReader r = new WireReader(in);
        Handshake.readDaemonGreeting(r);
        while (!(StderrCodec.read(r, ProtocolVersion.CURRENT) instanceof StderrFrame.Last)) {
            // log frames of the opening (a user's profile directory)
        }
    }

    /** Sends {@code c2d}, half-closes, and returns everything the daemon sent until it closed. */
    private static byte[] exchange(Path socket, byte[] c2d) throws IOException {
        try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            s.write(ByteBuffer.wrap(c2d));
            s.shutdownOutput();
            return Channels.newInputStream(s).readAllBytes();
        }
    }
}
