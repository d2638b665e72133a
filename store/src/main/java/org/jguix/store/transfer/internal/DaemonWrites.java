package org.jguix.store.transfer.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.jguix.nar.NarEvent;
import org.jguix.nar.NarSink;

/**
 * Serialises export data with the same sequence of {@code write} calls as guix-daemon's
 * {@code serialise.cc} and {@code archive.cc:dump}: a string is three calls (8-byte length, payload,
 * padding if any), every NAR token is its own string, file contents come in the caller's chunks
 * (the daemon's are 64 KiB). The bytes equal {@link org.jguix.nar.NarWriter}'s; what this adds is the
 * call granularity, because {@link org.jguix.wire.TunnelOutputStream} (like the daemon's
 * {@code BufferedSink}) decides STDERR_WRITE frame boundaries per call, so only the same calls give
 * the same frames. Mutable, one per export; not thread-safe.
 */
public final class DaemonWrites implements NarSink {
    private static final byte[] ZEROS = new byte[8];

    private final OutputStream out;
    private final byte[] eight = new byte[8];
    private boolean started;
    private long fileSize;

    public DaemonWrites(OutputStream out) {
        this.out = out;
    }

    /** {@code writeInt}: 32 bits in 8 little-endian bytes. */
    public void writeInt(int v) throws IOException {
        writeLongLong(Integer.toUnsignedLong(v));
    }

    /** {@code writeLongLong}. */
    public void writeLongLong(long v) throws IOException {
        for (int i = 0; i < 8; i++) {
            eight[i] = (byte) (v >>> (8 * i));
        }
        out.write(eight, 0, 8);
    }

    /** {@code writeString}: length, payload, padding — three calls, the empty ones skipped. */
    public void writeString(byte[] s) throws IOException {
        writeLongLong(s.length);
        if (s.length > 0) {
            out.write(s, 0, s.length);
        }
        writePadding(s.length);
    }

    public void writeString(String s) throws IOException {
        writeString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code writeStrings}: count, then each string, in the collection's order. */
    public void writeStrings(Collection<String> strings) throws IOException {
        writeInt(strings.size());
        for (String s : strings) {
            writeString(s);
        }
    }

    private void writePadding(long len) throws IOException {
        int pad = (int) ((8 - (len & 7)) & 7);
        if (pad > 0) {
            out.write(ZEROS, 0, pad);
        }
    }

    private void token(String t) throws IOException {
        writeString(t.getBytes(StandardCharsets.US_ASCII));
    }

    /** The events of {@code archive.cc:dump}, token by token. Order is the event source's to get right. */
    @Override
    public void accept(NarEvent event) throws IOException {
        if (!started) {
            token("nix-archive-1"); // dumpPath: archiveVersion1
            started = true;
        }
        switch (event) {
            case NarEvent.DirectoryStart d -> {
                token("(");
                token("type");
                token("directory");
            }
            case NarEvent.EntryStart e -> {
                token("entry");
                token("(");
                token("name");
                writeString(e.name().bytes());
                token("node");
            }
            case NarEvent.EntryEnd e -> token(")");
            case NarEvent.DirectoryEnd d -> token(")");
            case NarEvent.Symlink s -> {
                token("(");
                token("type");
                token("symlink");
                token("target");
                writeString(s.target());
                token(")");
            }
            case NarEvent.RegularStart r -> {
                token("(");
                token("type");
                token("regular");
                if (r.executable()) {
                    token("executable");
                    token("");
                }
                token("contents"); // dumpContents
                writeLongLong(r.size());
                fileSize = r.size();
            }
            case NarEvent.RegularEnd r -> {
                writePadding(fileSize);
                token(")");
            }
        }
    }

    @Override
    public void contents(byte[] buf, int off, int len) throws IOException {
        if (len > 0) {
            out.write(buf, off, len);
        }
    }
}
