package org.jguix.daemon.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.jguix.daemon.server.Peer;
import org.jguix.wire.ClientHello;
import org.jguix.wire.Handshake;
import org.jguix.wire.Operation;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.Request;
import org.jguix.wire.WireException;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/**
 * One client connection from greeting to hang-up ({@code nix-daemon.cc:processConnection}), as an
 * explicit state machine:
 *
 * <pre>
 *   GREETING ──bad magic / client left──▶ (closed without a byte, like guix-daemon)
 *      │ hello read
 *   OPENING ──store error──▶ ERROR frame, closed
 *      │ LAST
 *   READY ◀──────────────────────────────────────────────┐
 *      │ opcode + arguments decoded    (EOF in or before the opcode, or a bad one: closed)
 *   PREPARING ──bad arguments / inline data──▶ ERROR, closed   (fatal: not yet in work)
 *      │ startWork
 *   WORKING ──failure──▶ ERROR ──────────────────────────┤     (recoverable)
 *      │    ──failure reading tunnelled data──▶ ERROR, closed  (fatal: out of work meanwhile)
 *      │ LAST + reply, flushed ───────────────────────────┘
 * </pre>
 *
 * Input is buffered (the wire reader never reads past an item, so AddToStore's NAR is read in place
 * from the same buffer); output is buffered and flushed at the greeting, at each log message and at
 * the end of each operation.
 */
final class Session {
    /** Where a connection is; see the class comment. */
    enum Phase { GREETING, OPENING, READY, PREPARING, WORKING, CLOSED }

    /**
     * Per connection and direction. Small because an idle connection keeps its buffers: 2,000 idle
     * connections cost 282 KiB each with 64 KiB buffers, about half that with 8 KiB
     * (bench/daemon.sh's idle row). Large transfers lose little: a read or write as large as the
     * buffer goes to the socket directly.
     */
    private static final int BUFFER = 8 * 1024;

    private final SessionServer server;
    private final Peer peer;
    private Phase phase = Phase.GREETING;

    Session(SessionServer server, Peer peer) {
        this.server = server;
        this.peer = peer;
    }

    Phase phase() {
        return phase;
    }

    void run(InputStream rawIn, OutputStream rawOut) throws IOException {
        HangupWatch watched = new HangupWatch(new BufferedInputStream(rawIn, BUFFER));
        WireReader in = new WireReader(watched);
        WireWriter out = new WireWriter(new BufferedOutputStream(rawOut, BUFFER));
        ClientHello hello;
        try {
            hello = Handshake.accept(in, out, ProtocolVersion.CURRENT);
        } catch (WireException e) {
            // "protocol mismatch" and friends: guix-daemon's child dies before it can send stderr.
            phase = Phase.CLOSED;
            server.log(ErrorTexts.UNEXPECTED + e.daemonText());
            return;
        }
        ProtocolVersion client = hello.version();
        try (SessionState state = server.newState(peer, client)) {
            StderrChannel stderr = new StderrChannel(out, client, state::options, server::log);
            state.attach(stderr, in, watched);
            phase = Phase.OPENING;
            stderr.startWork();
            try {
                server.open(state);
            } catch (IOException e) {
                stderr.error(ErrorTexts.clientText(e), 1);
                out.flush();
                phase = Phase.CLOSED;
                return;
            }
            stderr.last();
            out.flush();
            phase = Phase.READY;
            serveRequests(in, out, stderr, state);
        } finally {
            phase = Phase.CLOSED;
        }
    }

    private void serveRequests(WireReader in, WireWriter out, StderrChannel stderr, SessionState state)
            throws IOException {
        while (phase == Phase.READY) {
            Optional<Request> request;
            try {
                request = Operation.readRequest(in, state.client());
            } catch (WireException e) {
                if (Operation.OPCODE_FIELD.equals(e.what())) {
                    // processConnection: EndOfFile there ends the loop quietly, a bad int escapes it.
                    phase = Phase.CLOSED;
                    server.log(ErrorTexts.UNEXPECTED + e.daemonText());
                    return;
                }
                fatal(stderr, out, e.daemonText());
                return;
            }
            if (request.isEmpty()) {
                phase = Phase.CLOSED;
                return;
            }
            serve(request.get().operation(), request.get(), out, stderr, state);
        }
    }

    private <Q extends Request, P> void serve(Operation<Q, P> op, Request request, WireWriter out,
            StderrChannel stderr, SessionState state) throws IOException {
        Q q = op.requestType().cast(request);
        OpHandler<Q, P> handler = server.ops().handler(op);
        phase = Phase.PREPARING;
        OpHandler.Work<P> work;
        try {
            work = handler.prepare(q, state);
        } catch (IOException e) {
            fatal(stderr, out, ErrorTexts.clientText(e));
            return;
        }
        P result;
        phase = Phase.WORKING;
        stderr.startWork();
        try {
            result = work.run();
        } catch (IOException e) {
            if (!stderr.inWork()) {
                // errorAllowed = canSendStderr: the failure came while reading the client's data (see
                // TunnelSource), so like an argument error it ends the connection.
                fatal(stderr, out, ErrorTexts.clientText(e));
                return;
            }
            stderr.error(ErrorTexts.clientText(e), e instanceof StatusException se ? se.status() : 1);
            out.flush();
            phase = Phase.READY;
            return;
        } finally {
            closeQuietly(work);
        }
        stderr.last();
        op.writeReply(out, result, state.client());
        out.flush();
        phase = Phase.READY;
    }

    /** Error before {@code startWork}: the frame, then the connection ends (guix-daemon rethrows). */
    private void fatal(StderrChannel stderr, WireWriter out, String text) {
        phase = Phase.CLOSED;
        server.log(ErrorTexts.UNEXPECTED + text);
        try {
            stderr.error(text, 1);
            out.flush();
        } catch (IOException e) {
            // the client is gone already (e.g. it hung up in the middle of a request)
        }
    }

    private void closeQuietly(OpHandler.Work<?> work) {
        try {
            work.close();
        } catch (IOException e) {
            server.log("warning: cleaning up after an operation: " + e.getMessage());
        }
    }
}
