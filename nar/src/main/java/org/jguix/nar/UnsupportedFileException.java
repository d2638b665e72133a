package org.jguix.nar;

/**
 * A file tree (to dump, restore or canonicalise) holds something a NAR cannot carry faithfully here:
 * a fifo, socket or device, a name or symlink target the JVM cannot map to and from raw bytes, or a
 * file that changed while it was read. Not tied to an archive offset.
 */
public final class UnsupportedFileException extends NarException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFileException(String reason) {
        super(reason, -1);
    }
}
