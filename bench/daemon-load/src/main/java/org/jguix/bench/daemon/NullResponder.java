package org.jguix.bench.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jguix.wire.Handshake;
import org.jguix.wire.Operation;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.Request;
import org.jguix.wire.StderrCodec;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/**
 * A daemon that does nothing, in the client's own JVM: it greets, then answers every IsValidPath
 * at once ("valid" unless the path is one of {@link Workloads#missing}'s). Two uses:
 * <ul>
 * <li>priming: before a real daemon's start-up is timed, the client runs the start-up probe against
 *     it a few hundred times, so that the measurement does not include the client JVM loading and
 *     compiling its socket and codec code;</li>
 * <li>the floor: the valid-path workload against it is what an infinitely fast daemon would score
 *     with this client on this machine (client, socket round trip, a minimal Java responder).</li>
 * </ul>
 */
final class NullResponder implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;

    NullResponder(Path dir) throws IOException {
        socket = dir.resolve("bench-null-" + ProcessHandle.current().pid() + ".socket");
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofPlatform().daemon().name("null responder").start(this::acceptLoop);
    }

    Path socket() {
        return socket;
    }

    /** The start-up probe's path ({@link DaemonProcess#start}), {@code rounds} times. */
    void prime(String probePath, int rounds) throws IOException {
        for (int i = 0; i < rounds; i++) {
            try (Connection c = Connection.open(socket)) {
                c.call(Operation.IS_VALID_PATH, new Request.IsValidPath(probePath));
            }
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                serve(ch);
            } catch (IOException e) {
                // closed: the loop ends; a client that went away: next connection
            }
        }
    }

    /** One connection, served in turn (the client uses one at a time). */
    private static void serve(SocketChannel ch) throws IOException {
        WireReader in = new WireReader(new BufferedInputStream(Channels.newInputStream(ch)));
        WireWriter out = new WireWriter(new BufferedOutputStream(Channels.newOutputStream(ch)));
        ProtocolVersion v = Handshake.accept(in, out, ProtocolVersion.CURRENT).version();
        StderrCodec.writeLast(out);
        out.flush();
        while (true) {
            Optional<Request> q = Operation.readRequest(in, v);
            if (q.isEmpty()) {
                return;
            }
            if (!(q.get() instanceof Request.IsValidPath p)) {
                throw new IOException("null responder: only IsValidPath, got " + q.get().operation());
            }
            StderrCodec.writeLast(out);
            Operation.IS_VALID_PATH.writeReply(out, !p.path().endsWith(Workloads.MISSING_SUFFIX), v);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
