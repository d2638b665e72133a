package org.jguix.daemon.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.jguix.store.transfer.PathExporter;
import org.jguix.store.transfer.PathImporter;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;

/**
 * ExportPath and ImportPaths ({@code nix-daemon.cc:performOp}): the session side of
 * {@code org.jguix.store.transfer}. The data travel inside the stderr channel, so both run entirely in
 * work: ExportPath writes the export through {@link SessionState#tunnelSink} ({@code STDERR_WRITE}
 * frames), ImportPaths reads it through {@link SessionState#tunnelSource} ({@code STDERR_READ}, asked
 * lazily as the importer parses, so never past the stream's final {@code 0}). Signatures go through the
 * session's {@link SessionState#authenticator}.
 *
 * <p>Errors: ExportPath's path is a {@code readStorePath} (fatal); everything else fails in work and is
 * recoverable, except a broken answer to a {@code STDERR_READ}, which is fatal (see
 * {@link TunnelSource}).
 */
final class TransferOps {
    private TransferOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.EXPORT_PATH, OpHandler.storePathArg(Request.ExportPath::path, TransferOps::exportPath));
        b.put(Operation.IMPORT_PATHS, OpHandler.direct(TransferOps::importPaths));
    }

    /** {@code wopExportPath}: the export of one path, then {@code int 1}. */
    private static Boolean exportPath(Request.ExportPath q, SessionState s) throws IOException {
        PathExporter exporter = new PathExporter(s.store().db(), s.configDir(), s.authenticator(),
                m -> s.log(Verbosity.INFO, m));
        OutputStream sink = s.tunnelSink();
        try {
            exporter.export(q.path(), q.sign(), sink);
        } catch (IOException e) {
            // The daemon flushes what is buffered before its ERROR frame.
            try {
                sink.flush();
            } catch (IOException f) {
                e.addSuppressed(f);
            }
            throw e;
        }
        sink.flush();
        return true;
    }

    /**
     * {@code wopImportPaths}: "Unlike Nix, always require a signature, even for "trusted" users" — the
     * daemon passes {@code requireSignature = true} unconditionally; no setting changes that.
     */
    private static List<String> importPaths(Request.ImportPaths q, SessionState s) throws IOException {
        PathImporter importer = new PathImporter(s.store().db(), s.store().writer(), s.authenticator());
        try (InputStream source = s.tunnelSource()) {
            return importer.importPaths(source, true, s.tempRoots());
        }
    }
}
