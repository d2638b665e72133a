package org.jguix.store.transfer;

import org.jguix.store.StoreException;

/**
 * An export stream that could not be imported, or a signature the authentication agent refused.
 * {@link #getMessage()} is guix-daemon's text for the same failure (what the session puts in its
 * {@code STDERR_ERROR} frame, see {@link org.jguix.store.transfer.internal.TransferErrors}); the byte
 * offset in the import stream and the low-level cause are kept separately ({@link #offset()},
 * {@link #getCause()}), because the daemon's texts carry no location.
 */
public abstract sealed class TransferException extends StoreException
        permits CorruptExportException, TruncatedExportException, AuthenticationException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    TransferException(String daemonText, long offset, Throwable cause) {
        super(daemonText, cause);
        this.offset = offset;
    }

    /** Offset in the import stream where the problem was found, or -1 if not about stream bytes. */
    public long offset() {
        return offset;
    }

    /** The daemon's text plus the location and cause, for logs (never sent to clients). */
    public String detail() {
        StringBuilder b = new StringBuilder(getMessage());
        if (offset >= 0) {
            b.append(" (at byte ").append(offset).append(" of the import stream)");
        }
        if (getCause() != null && getCause().getMessage() != null && !getCause().getMessage().equals(getMessage())) {
            b.append(": ").append(getCause().getMessage());
        }
        return b.toString();
    }
}
