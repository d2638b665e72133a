package org.jguix.daemon.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.StderrCodec;
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
    private boolean inWork;

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
     * {@code printMsg(level, text)}: dropped above the session's verbosity; prefixed per log type
     * (no nesting is open in the operations jguix serves here, so the pretty prefix is empty).
     */
    void message(int level, String text) throws IOException {
        SessionOptions o = options.get();
        if (level > o.verbosity()) {
            return;
        }
        String prefix = o.logType() == 1 && level != Verbosity.INFO ? "\033[" + level + "s" : "";
        String line = prefix + text + "\n";
        if (!inWork) {
            daemonLog.accept(prefix + text);
            return;
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        StderrCodec.writeNext(out, bytes, 0, bytes.length);
        out.flush();
    }

    /** {@code stopWork()}: {@code STDERR_LAST}; the reply fields follow. */
    void last() throws IOException {
        inWork = false;
        StderrCodec.writeLast(out);
    }

    /** {@code stopWork(false, message, status)}: {@code STDERR_ERROR}, status iff client minor ≥ 8. */
    void error(String message, int status) throws IOException {
        inWork = false;
        StderrCodec.writeError(out, message, status, client);
    }
}
