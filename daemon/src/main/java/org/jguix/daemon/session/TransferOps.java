package org.jguix.daemon.session;

import org.jguix.wire.Operation;
import org.jguix.wire.Request;

/**
 * ExportPath and ImportPaths: <b>the one place where the transfer operations are dispatched.</b>
 * Their store side is {@code org.jguix.store.transfer} (in progress); to plug it in, replace the two
 * handlers below. The streams they need are in the wire module: ExportPath writes the export stream
 * through a {@link org.jguix.wire.TunnelOutputStream} ({@code STDERR_WRITE} frames, after
 * {@code startWork}, i.e. inside {@link OpHandler.Work#run}); ImportPaths pulls its input with a
 * {@link org.jguix.wire.TunnelInputStream} ({@code STDERR_READ 32768}, never asking past the final
 * {@code 0} marker). Both need the session's raw request and reply streams, which
 * {@link SessionState} would then expose.
 *
 * <p>Until then both check their arguments like guix-daemon (ExportPath's path is a
 * {@code readStorePath}: fatal) and fail in work with "operation X is not supported yet by jguix";
 * ImportPaths asks for no data, so the client's export stream is never read.
 */
final class TransferOps {
    private TransferOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.EXPORT_PATH, (Request.ExportPath q, SessionState s) -> {
            s.assertStorePath(q.path());
            return UnsupportedOps.notYet(Operation.EXPORT_PATH);
        });
        b.put(Operation.IMPORT_PATHS, (q, s) -> UnsupportedOps.notYet(Operation.IMPORT_PATHS));
    }
}
