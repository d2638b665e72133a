package org.jguix.nar;

/**
 * The input ended before the archive did. Kept apart from {@link NarFormatException} because a
 * truncated upload (a dropped connection) is not the same fault as a corrupt one.
 */
public final class NarTruncatedException extends NarException {
    private static final long serialVersionUID = 1L;

    public NarTruncatedException(String reason, long offset) {
        super(reason, offset);
    }
}
