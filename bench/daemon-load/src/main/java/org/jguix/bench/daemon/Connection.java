package org.jguix.bench.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
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
 * One client connection, as the Guix 1.5.0 client opens it ({@code open-connection}: magic,
 * version 0x164, no CPU affinity, reserve space, then the daemon's stderr up to LAST) and
 * speaking strictly request–reply, one operation in flight. Log frames are skipped; an ERROR
 * frame is a {@link DaemonError}. Uses the JDK's own AF_UNIX channels, so the client needs
 * nothing but the wire-protocol codec.
 */
final class Connection implements Closeable {
    private static final ProtocolVersion VERSION = ClientHello.GUIX_DEFAULT.version();

    private final SocketChannel channel;
    private final WireReader in;
    private final WireWriter out;

    /** An operation answered with STDERR_ERROR. */
    static final class DaemonError extends IOException {
        private static final long serialVersionUID = 1L;

        DaemonError(String message) {
            super(message);
        }
    }

    private Connection(SocketChannel channel) {
        this.channel = channel;
        this.in = new WireReader(new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024));
        this.out = new WireWriter(new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024));
    }

    /** Connects and completes the handshake; fails if nobody listens at {@code socket}. */
    static Connection open(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Connection c = new Connection(ch);
            c.handshake();
            return c;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void handshake() throws IOException {
        Handshake.writeClientMagic(out);
        out.flush();
        ProtocolVersion daemon = Handshake.readDaemonGreeting(in);
        if (daemon.raw() != VERSION.raw()) {
            throw new IOException("daemon speaks protocol 0x" + Integer.toHexString(daemon.raw()));
        }
        Handshake.writeClientHello(out, ClientHello.GUIX_DEFAULT);
        out.flush();
        awaitLast();
    }

    /** Sends {@code q} and returns the daemon's reply to it. */
    <Q extends Request, P> P call(Operation<Q, P> op, Q q) throws IOException {
        op.write(out, q, VERSION);
        out.flush();
        awaitLast();
        return op.readReply(in, VERSION);
    }

    private void awaitLast() throws IOException {
        while (true) {
            StderrFrame f = StderrCodec.read(in, VERSION);
            switch (f) {
                case StderrFrame.Last l -> {
                    return;
                }
                case StderrFrame.Next n -> { } // log line: the load ignores it
                case StderrFrame.Error e -> throw new DaemonError(e.message());
                default -> throw new IOException("unexpected stderr frame " + f);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
