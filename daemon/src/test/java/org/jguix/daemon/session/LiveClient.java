package org.jguix.daemon.session;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jguix.wire.ClientHello;
import org.jguix.wire.Handshake;
import org.jguix.wire.Operation;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.Request;
import org.jguix.wire.StderrCodec;
import org.jguix.wire.StderrFrame;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/**
 * Test support: one open connection to a {@link TestDaemon}, served on its own thread over two NIO
 * pipes (not {@code PipedInputStream}, which fails once a thread that wrote to it has ended), used
 * request by request like the Guix client: {@link #call} sends one request and returns its reply
 * value or the {@link StderrFrame.Error} it got. {@link #close} hangs up and waits for the session
 * to end, so that its temp roots are gone when it returns.
 */
final class LiveClient implements AutoCloseable {
    private final WireWriter out;
    private final WireReader in;
    private final Pipe.SinkChannel toDaemon;
    private final Future<?> session;
    /** The log lines of the last request (messages, build output), to explain a failure. */
    private final StringBuilder messages = new StringBuilder();

    LiveClient(TestDaemon d, ExecutorService pool) throws IOException {
        Pipe c2d = Pipe.open();
        Pipe d2c = Pipe.open();
        toDaemon = c2d.sink();
        session = pool.submit(() -> {
            try (var daemonOut = Channels.newOutputStream(d2c.sink())) {
                d.serve(Channels.newInputStream(c2d.source()), daemonOut);
            }
            return null;
        });
        out = new WireWriter(Channels.newOutputStream(toDaemon));
        in = new WireReader(Channels.newInputStream(d2c.source()));
        Handshake.writeClientMagic(out);
        Handshake.writeClientHello(out, ClientHello.GUIX_DEFAULT);
        out.flush();
        Handshake.readDaemonGreeting(in);
        Object hello = frames();
        if (hello != null) {
            throw new IOException("handshake: " + hello);
        }
    }

    /** Sends {@code q}; its reply, or the error frame. */
    <P> Object call(Operation<?, P> op, Request q) throws IOException {
        messages.setLength(0);
        Operation.writeRequest(out, q, ClientHello.GUIX_DEFAULT.version());
        out.flush();
        Object error = frames();
        return error != null ? error : op.readReply(in, ProtocolVersion.CURRENT);
    }

    private Object frames() throws IOException {
        while (true) {
            StderrFrame f = StderrCodec.read(in, ProtocolVersion.CURRENT);
            switch (f) {
                case StderrFrame.Last l -> {
                    return null;
                }
                case StderrFrame.Error e -> {
                    return e;
                }
                case StderrFrame.Next n -> messages.append(n.text().toStringUtf8());
                default -> {
                    // other frames: not what these tests look at
                }
            }
        }
    }

    /** What the daemon logged during the last {@link #call}. */
    String messages() {
        return messages.toString();
    }

    @Override
    public void close() throws IOException {
        toDaemon.close();
        try {
            session.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("session failed", e.getCause());
        }
    }
}
