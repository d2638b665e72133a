package org.jguix.nar.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import org.jguix.nar.NarSink;

/**
 * A sink that takes contents straight from a file, saving the copy through the source's own buffer:
 * {@link ReadAhead}'s, which reads into its chunks. Sources check for it and fall back to
 * {@link NarSink#contents}.
 */
public interface ChannelSink extends NarSink {
    /**
     * Reads at most {@code max} bytes of contents from {@code channel} through {@code reader} and
     * takes them as {@link #contents} would; returns the count, or -1 at end of file.
     */
    int contentsFrom(FileChannel channel, AlignedReader reader, long max) throws IOException;
}
