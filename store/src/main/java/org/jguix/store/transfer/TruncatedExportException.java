package org.jguix.store.transfer;

/**
 * The import stream ended inside an item or before the final {@code u64 0}. The message is the
 * daemon's {@code unexpected end-of-file} (what its {@code TunnelSource} throws when the client
 * answers a read with nothing); the cause says what was being read.
 */
public final class TruncatedExportException extends TransferException {
    private static final long serialVersionUID = 1L;

    public TruncatedExportException(String daemonText, long offset, Throwable cause) {
        super(daemonText, offset, cause);
    }
}
