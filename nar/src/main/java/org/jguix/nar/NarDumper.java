package org.jguix.nar;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jguix.nar.internal.AlignedReader;
import org.jguix.nar.internal.ChannelSink;
import org.jguix.nar.internal.FileNames;
import org.jguix.nar.internal.NarErrors;

/**
 * Push source: walks a file tree and emits its NAR events (guix {@code archive.cc:dump}). Never follows
 * symlinks; only the owner execute bit is recorded; entries are sorted by unsigned bytes of their raw
 * names. Files are streamed through one reusable buffer (read through an {@link AlignedReader}), so
 * memory stays constant whatever the file sizes; directories are walked with an explicit stack (one
 * sorted listing per open level). Single-threaded; {@link NarHasher} runs it on a read-ahead thread.
 */
public final class NarDumper {
    /** Big enough that the per-read overhead vanishes next to hashing, small enough for L2. */
    public static final int DEFAULT_BUFFER_SIZE = 256 * 1024;

    /**
     * Files smaller than this are read straight into a heap buffer of about their size. The daemon
     * hashes one small file per AddTextToStore, and a 256 KiB buffer plus a 256 KiB aligned direct
     * buffer per dump cost more to allocate and zero than the file to hash; the direct buffers, freed
     * only when a GC runs their cleaner, also piled up to hundreds of MiB of the daemon's RSS. The
     * slow unaligned copy {@link AlignedReader} avoids is noise at this size.
     */
    static final int SMALL_FILE = 64 * 1024;
    private static final byte[] NONE = new byte[0];

    private final int bufferSize;
    private byte[] buffer = NONE;
    private AlignedReader reader;

    public NarDumper() {
        this(DEFAULT_BUFFER_SIZE);
    }

    public NarDumper(int bufferSize) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected > 0)");
        }
        this.bufferSize = bufferSize;
    }

    /** Writes the NAR of {@code path} to {@code out} (unbuffered writes; buffer {@code out} yourself). */
    public static long dump(Path path, OutputStream out) throws IOException {
        NarWriter writer = new NarWriter(out);
        new NarDumper().dump(path, writer);
        return writer.bytesWritten();
    }

    /** Emits the events of {@code path} into {@code sink}. */
    public void dump(Path path, NarSink sink) throws IOException {
        Deque<Listing> stack = new ArrayDeque<>();
        if (node(path, lstat(path), sink)) {
            stack.push(list(path));
        }
        while (!stack.isEmpty()) {
            Listing top = stack.peek();
            if (top.next < top.entries.size()) {
                Entry e = top.entries.get(top.next++);
                sink.accept(new NarEvent.EntryStart(e.name));
                if (node(e.path, e.attrs, sink)) {
                    stack.push(list(e.path));
                } else {
                    sink.accept(NarEvent.ENTRY_END);
                }
            } else {
                stack.pop();
                sink.accept(NarEvent.DIRECTORY_END);
                if (!stack.isEmpty()) {
                    sink.accept(NarEvent.ENTRY_END);
                }
            }
        }
    }

    /** Emits a file or symlink whole, or opens a directory; returns true for a directory. */
    private boolean node(Path path, PosixFileAttributes attrs, NarSink sink) throws IOException {
        if (attrs.isDirectory()) {
            sink.accept(NarEvent.DIRECTORY_START);
            return true;
        }
        if (attrs.isSymbolicLink()) {
            sink.accept(new NarEvent.Symlink(FileNames.targetBytes(path)));
        } else if (attrs.isRegularFile()) {
            regular(path, attrs, sink);
        } else {
            throw new UnsupportedFileException(NarErrors.unsupportedType(path.toString()));
        }
        return false;
    }

    private void regular(Path path, PosixFileAttributes attrs, NarSink sink) throws IOException {
        long size = attrs.size();
        boolean executable = attrs.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            sink.accept(new NarEvent.RegularStart(executable, size));
            // Like guix's readFull: exactly the lstat size; a file that changes under us is an error,
            // since the announced size is already written.
            boolean small = size < Math.min(SMALL_FILE, bufferSize) && !(sink instanceof ChannelSink);
            if (small) {
                if (buffer.length < size) {
                    buffer = new byte[(int) Math.min(bufferSize, Math.max(4096, Long.highestOneBit(size) << 1))];
                }
            } else if (size > 0) {
                if (reader == null) {
                    reader = new AlignedReader(bufferSize);
                }
                if (buffer.length < bufferSize && !(sink instanceof ChannelSink)) {
                    buffer = new byte[bufferSize];
                }
            }
            long left = size;
            while (left > 0) {
                int n = contents(ch, left, sink, small);
                if (n < 0) {
                    throw new UnsupportedFileException("file `" + path + "' shrank while it was being dumped");
                }
                left -= n;
            }
        }
        sink.accept(NarEvent.REGULAR_END);
    }

    /** Passes on at most {@code left} bytes of the file; their count, or -1 at end of file. */
    private int contents(FileChannel ch, long left, NarSink sink, boolean small) throws IOException {
        if (sink instanceof ChannelSink cs) {
            return cs.contentsFrom(ch, reader, left);
        }
        int want = (int) Math.min(buffer.length, left);
        int n = small ? ch.read(ByteBuffer.wrap(buffer, 0, want)) : reader.read(ch, buffer, 0, want);
        if (n > 0) {
            sink.contents(buffer, 0, n);
        }
        return n;
    }

    private static Listing list(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                PosixFileAttributes attrs = lstat(p);
                entries.add(new Entry(NarName.of(FileNames.nameBytes(p, attrs)), p, attrs));
            }
        }
        entries.sort((a, b) -> a.name.compareTo(b.name));
        return new Listing(entries);
    }

    private static PosixFileAttributes lstat(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private record Entry(NarName name, Path path, PosixFileAttributes attrs) { }

    /** One open directory: its sorted entries and the next one to emit. Mutable, local to one dump. */
    private static final class Listing {
        final List<Entry> entries;
        int next;

        Listing(List<Entry> entries) {
            this.entries = entries;
        }
    }
}
