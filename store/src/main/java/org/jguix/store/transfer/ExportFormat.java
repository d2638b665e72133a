package org.jguix.store.transfer;

/** The numbers of the export stream format (see the {@link org.jguix.store.transfer package doc}). */
public final class ExportFormat {
    /** {@code EXPORT_MAGIC}, "NIXE" as an {@code int}: ends each item's NAR. */
    public static final int EXPORT_MAGIC = 0x4558494e;
    /** The client's {@code u64} marker before each item. */
    public static final long ITEM = 1;
    /** The client's {@code u64} marker after the last item. */
    public static final long END = 0;

    private ExportFormat() {
    }
}
