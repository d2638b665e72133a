package org.jguix.daemon.session;

import java.io.IOException;
import java.io.InputStream;
import org.jguix.wire.TunnelInputStream;
import org.jguix.wire.WireEofException;
import org.jguix.wire.WireReader;

/**
 * ImportPaths' input ({@code nix-daemon.cc:TunnelSource}): the export stream pulled from the client
 * with {@code STDERR_READ} frames by a {@link TunnelInputStream}, plus what the daemon's source does to
 * the stderr phase. While it waits for the client's answer the daemon is out of work
 * ({@code canSendStderr = false}) and re-enters it once the answer is in; a failure in between — the
 * client hung up, or its answer is not a well-formed string ("string is too long", "non-zero
 * padding") — therefore happens out of work and is <b>fatal</b> ({@code processConnection}'s
 * {@code errorAllowed}; see {@link Session}). An empty answer is the one failure raised back in work:
 * "unexpected end-of-file", recoverable.
 *
 * <p>jguix reads a chunk's bytes as the consumer asks for them rather than all at once, so the phase
 * is left around every read from the connection, not only around each {@code STDERR_READ}; nothing
 * else happens in between, so the frames and the fatal/recoverable split are the daemon's. For the
 * same reason {@link #close} must end the operation, success or not: it drops the unread rest of the
 * client's last answer.
 */
final class TunnelSource extends InputStream {
    /** An {@code int} length: what an empty answer consists of. */
    private static final int LENGTH_BYTES = 8;

    private final StderrChannel stderr;
    private final TunnelInputStream tunnel;
    private final WireReader in;

    TunnelSource(StderrChannel stderr, TunnelInputStream tunnel, WireReader in) {
        this.stderr = stderr;
        this.tunnel = tunnel;
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean asks = tunnel.available() == 0; // this read sends STDERR_READ and reads an answer
        long before = in.offset();
        stderr.suspendWork();
        int n;
        try {
            n = tunnel.read(b, off, len);
        } catch (WireEofException e) {
            if (asks && tunnel.available() == 0 && in.offset() == before + LENGTH_BYTES) {
                stderr.startWork(); // the answer was read in full: a length of 0
            }
            throw e;
        }
        stderr.startWork();
        return n;
    }

    /** Bytes of the client's last answer not yet read (reading them sends no {@code STDERR_READ}). */
    @Override
    public int available() {
        return tunnel.available();
    }

    /**
     * Ends the operation's use of the connection: reads (and drops) what is left of the client's last
     * answer, which the daemon's {@code TunnelSource} had read whole into its buffer — after an import
     * error, or a stream with trailing bytes, those bytes must not be taken for the next request. Asks
     * the client for nothing more. Nothing to do after a fatal failure (the connection is done with).
     */
    @Override
    public void close() throws IOException {
        if (!stderr.inWork()) {
            return;
        }
        byte[] rest = new byte[Math.max(1, Math.min(tunnel.available(), 8192))];
        while (tunnel.available() > 0) {
            read(rest, 0, Math.min(rest.length, tunnel.available()));
        }
    }
}
