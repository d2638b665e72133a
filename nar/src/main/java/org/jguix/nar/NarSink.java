package org.jguix.nar;

import java.io.IOException;

/**
 * A consumer of NAR events: the push side shared by the writer, restore, listing and hashing (the
 * role of guix's {@code ParseSink}). A source calls {@link #accept} for each event in archive order and,
 * between a {@link NarEvent.RegularStart} and its {@link NarEvent.RegularEnd}, {@link #contents} with
 * exactly {@code size} bytes in total, in chunks of any size.
 */
public interface NarSink {
    void accept(NarEvent event) throws IOException;

    /** Content bytes of the current regular file. The sink must not keep {@code buf} after returning. */
    void contents(byte[] buf, int off, int len) throws IOException;
}
