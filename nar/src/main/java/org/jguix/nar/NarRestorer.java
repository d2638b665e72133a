package org.jguix.nar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jguix.nar.internal.EventOrder;
import org.jguix.nar.internal.FileNames;

/**
 * Sink that creates the file tree of a NAR (guix {@code archive.cc:RestoreSink}): directories 0755,
 * files 0644 or 0755 if executable, symlinks as given. Metadata is canonicalised later by the caller
 * ({@link StoreCanonicaliser}). It re-checks the event order itself, creates every entry with
 * {@code O_EXCL} semantics ({@code CREATE_NEW}, {@code createDirectory}) and never follows a symlink:
 * names cannot contain {@code /} or be {@code ..}, and in a well-ordered stream a path's parents are
 * directories this sink just created.
 *
 * <p>A file that does not fit fails with guix-daemon's preallocation error ({@link NoSpaceException}).
 *
 * <p>Use {@link #restore(NarReader, Path)}, which builds the tree in a private temporary sibling of the
 * target and renames it into place only on success, so a failed restore leaves nothing behind.
 */
public final class NarRestorer implements NarSink {
    private final EventOrder order = new EventOrder();
    private Path current;
    private FileChannel file;
    /** The size of the regular file being written, for {@link NoSpaceException}. */
    private long fileSize;

    /** A sink that creates the root node at {@code root}, which must not exist. */
    public NarRestorer(Path root) {
        this.current = root;
    }

    /** Restores a whole NAR from {@code in} to {@code target} (see {@link #restore(NarReader, Path)}). */
    public static void restore(InputStream in, Path target) throws IOException {
        restore(new NarReader(in), target);
    }

    /**
     * Restores the NAR read by {@code reader} to {@code target}, which must not exist. The tree is built
     * under a fresh 0700 directory next to the target and renamed into place once complete; on any error
     * the partial tree is deleted and the error rethrown. (Between the existence check and the rename
     * another process could create {@code target}; the store holds a lock on the path for that.)
     */
    public static void restore(NarReader reader, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(absolute.toString());
        }
        Path parent = absolute.getParent();
        Path tmp = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".restore-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path staged = tmp.resolve("nar");
            NarRestorer sink = new NarRestorer(staged);
            try {
                reader.transferTo(sink);
            } finally {
                sink.closeFile();
            }
            if (!sink.order.done()) {
                throw new NarTruncatedException("archive ended before its root node", reader.offset());
            }
            if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(absolute.toString());
            }
            Files.move(staged, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            try {
                TreeDeleter.delete(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        Files.delete(tmp);
    }

    @Override
    public void accept(NarEvent event) throws IOException {
        order.check(event, -1);
        switch (event) {
            case NarEvent.DirectoryStart d -> Files.createDirectory(current);
            case NarEvent.EntryStart e -> current = current.resolve(FileNames.name(e.name().raw()));
            case NarEvent.EntryEnd e -> current = current.getParent();
            case NarEvent.DirectoryEnd d -> { }
            case NarEvent.Symlink s -> Files.createSymbolicLink(current, FileNames.target(s.target()));
            case NarEvent.RegularStart r -> {
                file = FileChannel.open(current, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                fileSize = r.size();
                if (r.executable()) {
                    Files.setPosixFilePermissions(current, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            case NarEvent.RegularEnd r -> closeFile();
        }
    }

    @Override
    public void contents(byte[] buf, int off, int len) throws IOException {
        order.contents(len, -1);
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        try {
            while (bb.hasRemaining()) {
                file.write(bb);
            }
        } catch (IOException e) {
            throw NoSpaceException.of(e, fileSize);
        }
    }

    private void closeFile() throws IOException {
        if (file != null) {
            FileChannel f = file;
            file = null;
            f.close();
        }
    }

}
