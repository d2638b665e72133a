package org.jguix.nar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jguix.nar.internal.EventOrder;

/**
 * Sink that lists a NAR's entries one per line, byte-for-byte as {@code nix nar ls -lR NAR /} (Nix
 * 2.34) does, so the real tool's listing can serve as a fixture:
 *
 * <pre>
 * -r--r--r--                    5 ./hello            regular file, size right-aligned in 20
 * -r-xr-xr-x                    3 ./bin/tool         executable
 * dr-xr-xr-x                    0 ./bin              directory
 * lrwxrwxrwx                    0 ./lib -> ../x      symlink and its raw target
 * </pre>
 *
 * Paths are {@code ./} and the raw name bytes joined with {@code /}; the root node's path is empty and
 * a root directory gets no line of its own. Names and targets are written as raw bytes, undecoded.
 */
public final class NarLister implements NarSink {
    private final OutputStream out;
    private final EventOrder order = new EventOrder();
    private final List<byte[]> path = new ArrayList<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    public NarLister(OutputStream out) {
        this.out = out;
    }

    @Override
    public void accept(NarEvent event) throws IOException {
        order.check(event, -1);
        switch (event) {
            case NarEvent.DirectoryStart d -> {
                if (!path.isEmpty()) {
                    line("dr-xr-xr-x", 0, null);
                }
            }
            case NarEvent.EntryStart e -> path.add(e.name().raw());
            case NarEvent.EntryEnd e -> path.remove(path.size() - 1);
            case NarEvent.DirectoryEnd d -> { }
            case NarEvent.Symlink s -> line("lrwxrwxrwx", 0, s.target());
            case NarEvent.RegularStart r -> line(r.executable() ? "-r-xr-xr-x" : "-r--r--r--", r.size(), null);
            case NarEvent.RegularEnd r -> { }
        }
    }

    @Override
    public void contents(byte[] buf, int off, int len) throws IOException {
        order.contents(len, -1);
    }

    private void line(String mode, long size, byte[] target) throws IOException {
        line.reset();
        line.writeBytes(String.format("%s %20d ", mode, size).getBytes(StandardCharsets.US_ASCII));
        if (!path.isEmpty()) {
            line.writeBytes(new byte[] {'.'});
            for (byte[] name : path) {
                line.write('/');
                line.writeBytes(name);
            }
        }
        if (target != null) {
            line.writeBytes(" -> ".getBytes(StandardCharsets.US_ASCII));
            line.writeBytes(target);
        }
        line.write('\n');
        line.writeTo(out);
    }
}
