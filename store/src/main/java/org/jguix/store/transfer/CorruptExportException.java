package org.jguix.store.transfer;

/**
 * An import stream that is complete up to the failure point but not what {@code nix-store --export}
 * writes: a wrong item marker, a malformed or non-canonical NAR, a wrong {@code EXPORT_MAGIC}, a
 * trailer path outside the store, bad string padding.
 */
public final class CorruptExportException extends TransferException {
    private static final long serialVersionUID = 1L;

    public CorruptExportException(String daemonText, long offset, Throwable cause) {
        super(daemonText, offset, cause);
    }
}
