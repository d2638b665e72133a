package org.jguix.nar;

/**
 * The archive bytes (or a sequence of events) are not a canonical NAR: an unknown token, a bad name,
 * unsorted or duplicate entries, non-zero padding, a length or depth over its limit. The reader that
 * threw it is dead afterwards.
 */
public final class NarFormatException extends NarException {
    private static final long serialVersionUID = 1L;

    public NarFormatException(String reason, long offset) {
        super(reason, offset);
    }
}
