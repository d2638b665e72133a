package org.jguix.nar;

import java.io.IOException;

/**
 * Base of the nar module's typed errors. Every refusal of the module is one of these subclasses, so
 * callers can tell a hostile or broken archive ({@link NarFormatException}, {@link NarTruncatedException})
 * from a file tree the format cannot represent ({@link UnsupportedFileException}) and from plain I/O
 * failures of the underlying streams (other {@link IOException}s, passed through untouched).
 *
 * <p>{@link #reason()} is the text without location, kept verbatim where guix-daemon has the same error
 * (see {@code internal.NarErrors}); {@link #getMessage()} appends the byte offset when there is one.
 */
public abstract sealed class NarException extends IOException
        permits NarFormatException, NarTruncatedException, UnsupportedFileException {
    private static final long serialVersionUID = 1L;

    /** Offset of the offending byte from the start of the archive, or -1 when not about archive bytes. */
    private final long offset;
    private final String reason;

    NarException(String reason, long offset) {
        super(offset >= 0 ? reason + " (at byte " + offset + ")" : reason);
        this.reason = reason;
        this.offset = offset;
    }

    /** The error text without location; matches guix-daemon's text where it has one. */
    public String reason() {
        return reason;
    }

    /** Byte offset in the archive where the problem was found, or -1 if it is not about archive bytes. */
    public long offset() {
        return offset;
    }
}
