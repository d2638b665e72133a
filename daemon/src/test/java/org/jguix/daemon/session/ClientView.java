package org.jguix.daemon.session;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jguix.wire.Handshake;
import org.jguix.wire.Operation;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.StderrCodec;
import org.jguix.wire.StderrFrame;
import org.jguix.wire.WireReader;

/**
 * Test support: reads a daemon's bytes as the Guix client would, one answer per operation sent:
 * the reply value after {@code STDERR_LAST}, or the {@code STDERR_ERROR} frame. Log frames are
 * collected in {@link #messages}, {@code STDERR_WRITE} data in {@link #written}, {@code STDERR_READ}
 * frames counted in {@link #reads} (the client's answers are in the replayed input already).
 * {@link #atEnd} tells whether the daemon sent nothing more.
 */
final class ClientView {
    final List<String> messages = new ArrayList<>();
    final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
    int reads;
    private final WireReader in;
    private final ByteArrayInputStream bytes;

    /** Reads the greeting and the handshake's LAST. */
    ClientView(byte[] d2c) throws IOException {
        bytes = new ByteArrayInputStream(d2c);
        in = new WireReader(bytes);
        ProtocolVersion v = Handshake.readDaemonGreeting(in);
        if (v.raw() != 0x164) {
            throw new IOException("version " + Integer.toHexString(v.raw()));
        }
        Object hello = frames();
        if (hello != null) {
            throw new IOException("handshake: " + hello);
        }
    }

    /** The answer to {@code op}: its reply value, or a {@link StderrFrame.Error}. */
    Object answer(Operation<?, ?> op) throws IOException {
        Object error = frames();
        return error != null ? error : op.readReply(in, ProtocolVersion.CURRENT);
    }

    boolean atEnd() {
        return bytes.available() == 0;
    }

    /** Frames up to LAST (null) or ERROR (returned). */
    private Object frames() throws IOException {
        while (true) {
            StderrFrame f = StderrCodec.read(in, ProtocolVersion.CURRENT);
            switch (f) {
                case StderrFrame.Next n -> messages.add(n.text().toStringUtf8());
                case StderrFrame.Write w -> written.writeBytes(w.data().toByteArray());
                case StderrFrame.Read r -> reads++;
                case StderrFrame.Last l -> {
                    return null;
                }
                case StderrFrame.Error e -> {
                    return e;
                }
                default -> throw new IOException("unexpected frame " + f);
            }
        }
    }

    static StderrFrame.Error error(String message) {
        return new StderrFrame.Error(message, 1);
    }
}
