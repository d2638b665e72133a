package org.jguix.nar;

import java.io.IOException;
import java.io.OutputStream;
import org.jguix.nar.internal.EventOrder;
import org.jguix.nar.internal.Wire;

/**
 * Push writer: encodes events as canonical NAR bytes onto an {@link OutputStream} (the role of guix's
 * {@code dump}). It checks the event order (one root, sorted unique entries, exact content sizes), so
 * whatever it writes the {@link NarReader} accepts. It does no buffering of its own: give it a buffered
 * stream when writing to a file or socket; a digest sink needs none.
 */
public final class NarWriter implements NarSink {
    private final OutputStream out;
    private final EventOrder order = new EventOrder();
    private final byte[] scratch = new byte[8];
    private long written;
    private long currentSize;

    public NarWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void accept(NarEvent event) throws IOException {
        order.check(event, written);
        if (written == 0) {
            put(Wire.HEADER);
        }
        switch (event) {
            case NarEvent.DirectoryStart d -> put(Wire.DIRECTORY_START);
            case NarEvent.EntryStart e -> {
                put(Wire.ENTRY_START);
                putString(e.name().raw());
                put(Wire.NODE_TOKEN);
            }
            case NarEvent.EntryEnd e -> put(Wire.CLOSE_TOKEN);
            case NarEvent.DirectoryEnd d -> put(Wire.CLOSE_TOKEN);
            case NarEvent.Symlink s -> {
                put(Wire.SYMLINK_START);
                putString(s.target());
                put(Wire.CLOSE_TOKEN);
            }
            case NarEvent.RegularStart r -> {
                put(r.executable() ? Wire.EXECUTABLE_START : Wire.REGULAR_START);
                Wire.putLong(scratch, 0, r.size());
                out.write(scratch, 0, 8);
                written += 8;
                currentSize = r.size();
            }
            case NarEvent.RegularEnd r -> {
                int pad = Wire.padding(currentSize);
                out.write(Wire.ZEROS, 0, pad);
                written += pad;
                put(Wire.CLOSE_TOKEN);
            }
        }
    }

    @Override
    public void contents(byte[] buf, int off, int len) throws IOException {
        order.contents(len, written);
        out.write(buf, off, len);
        written += len;
    }

    /** Bytes written so far: the NAR size once {@link #isComplete()}. */
    public long bytesWritten() {
        return written;
    }

    /** True once the root node has been closed. */
    public boolean isComplete() {
        return order.done();
    }

    private void put(byte[] encoded) throws IOException {
        out.write(encoded);
        written += encoded.length;
    }

    private void putString(byte[] payload) throws IOException {
        Wire.putLong(scratch, 0, payload.length);
        out.write(scratch, 0, 8);
        out.write(payload);
        int pad = Wire.padding(payload.length);
        out.write(Wire.ZEROS, 0, pad);
        written += 8 + payload.length + pad;
    }
}
