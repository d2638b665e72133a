package org.jguix.daemon.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.StderrCodec;
import org.jguix.wire.TunnelInputStream;
import org.jguix.wire.TunnelOutputStream;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/**
 * The daemon's side of the stderr channel of one connection ({@code nix-daemon.cc:startWork},
 * {@code stopWork}, {@code tunnelStderr}; {@code util.cc:printMsg_}). Between {@link #startWork} and
 * {@link #last}/{@link #error} the session is "in work": log messages become {@code STDERR_NEXT}
 * frames, each flushed at once; outside it they go to the daemon's own log, as guix-daemon's do.
 * Whether an error may still be reported and the session continue depends on the phase: see
 * {@link Session}.
 */
final class StderrChannel {
    private final WireWriter out;
    private final ProtocolVersion client;
    private final Supplier<SessionOptions> options;
    private final Consumer<String> daemonLog;
    private volatile boolean inWork;
    private int nesting;

    StderrChannel(WireWriter out, ProtocolVersion client, Supplier<SessionOptions> options,
            Consumer<String> daemonLog) {
        this.out = out;
        this.client = client;
        this.options = options;
        this.daemonLog = daemonLog;
    }

    /** {@code startWork}: from now on messages go to the client. */
    void startWork() {
        inWork = true;
    }

    /** {@code canSendStderr}: true between {@link #startWork} and the end of the operation. */
    boolean inWork() {
        return inWork;
    }

    /**
     * {@code TunnelSource} waiting for the client's data: out of work until {@link #startWork} again,
     * so that a failure meanwhile is fatal (see {@link TunnelSource}).
     */
    void suspendWork() {
        inWork = false;
    }

    /** {@code TunnelSink}: ExportPath's data as {@code STDERR_WRITE} frames on the reply stream. */
    TunnelOutputStream tunnelSink() {
        return new TunnelOutputStream(out);
    }

    /** {@code TunnelSource}: ImportPaths' data, pulled from the client with {@code STDERR_READ}. */
    InputStream tunnelSource(WireReader in) {
        return new TunnelSource(this, new TunnelInputStream(in, out), in);
    }

    /**
     * {@code printMsg(level, text)}: dropped above the session's verbosity; prefixed per log type:
     * {@code "|   "} per open nesting level (pretty) or the level escape (escapes). Synchronized: a
     * build's goals and its builders' output pumps write concurrently.
     */
    synchronized void message(int level, String text) throws IOException {
        if (frame(level, text)) {
            out.flush();
        }
    }

    /**
     * {@link #message} for each of {@code texts}, flushed once: the collector's thousands of
     * "deleting" lines cost one write each otherwise.
     */
    synchronized void messages(int level, List<String> texts) throws IOException {
        boolean any = false;
        for (String t : texts) {
            any |= frame(level, t);
        }
        if (any) {
            out.flush();
        }
    }

    /** One message's frame, unflushed; whether one was written. */
    private boolean frame(int level, String text) throws IOException {
        SessionOptions o = options.get();
        if (level > o.verbosity()) {
            return false;
        }
        String prefix = switch (o.logType()) {
            case 0 -> "|   ".repeat(nesting);
            case 1 -> level != Verbosity.INFO ? "\033[" + level + "s" : "";
            default -> "";
        };
        if (!inWork) {
            daemonLog.accept(prefix + text);
            return false;
        }
        byte[] bytes = (prefix + text + "\n").getBytes(StandardCharsets.UTF_8);
        StderrCodec.writeNext(out, bytes, 0, bytes.length);
        return true;
    }

    /**
     * {@code Nest::open}: shows {@code text} and opens a nesting level if {@code level} is within the
     * verbosity; returns whether it did (only then must {@link #closeNest} follow).
     */
    synchronized boolean openNest(int level, String text) throws IOException {
        if (level > options.get().verbosity()) {
            return false;
        }
        if (options.get().logType() == 1) {
            raw(("\033[" + level + "p" + text + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
            message(level, text);
        }
        nesting++;
        return true;
    }

    /** {@code Nest::close}. */
    synchronized void closeNest() throws IOException {
        nesting = Math.max(0, nesting - 1);
        if (options.get().logType() == 1) {
            raw("\033[q".getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Bytes sent as they are in one {@code STDERR_NEXT} frame, flushed ({@code writeToStderr}: builder
     * output, and every message above); dropped outside work.
     */
    synchronized void raw(byte[] bytes) throws IOException {
        if (!inWork) {
            return;
        }
        StderrCodec.writeNext(out, bytes, 0, bytes.length);
        out.flush();
    }

    /** {@code stopWork()}: {@code STDERR_LAST}; the reply fields follow. */
    synchronized void last() throws IOException {
        inWork = false;
        StderrCodec.writeLast(out);
    }

    /** {@code stopWork(false, message, status)}: {@code STDERR_ERROR}, status iff client minor ≥ 8. */
    synchronized void error(String message, int status) throws IOException {
        inWork = false;
        StderrCodec.writeError(out, message, status, client);
    }
}
