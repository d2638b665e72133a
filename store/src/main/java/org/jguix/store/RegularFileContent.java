package org.jguix.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;
import org.jguix.store.internal.FileTrees;

/**
 * {@link StoreWriter.Content} of one regular, non-executable file with known bytes (AddTextToStore).
 * It knows its NAR from the bytes, so the writer need not read the file back to hash it.
 *
 * <p>The file is created 0444 (less the umask): the canonical mode already in the common case, which
 * spares the canonicaliser a chmod; whatever the umask takes away, it puts back. No execute bit is
 * ever set, so the canonical file is non-executable, as {@link #knownNar} says. A leftover at the
 * temporary name (a dead daemon that had this pid) is deleted first rather than truncated: it could
 * have any mode, the execute bit included.
 */
final class RegularFileContent implements StoreWriter.Content {
    private static final FileAttribute<Set<PosixFilePermission>> READ_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--"));
    private static final Set<StandardOpenOption> CREATE =
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final byte[] bytes;

    RegularFileContent(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    @Override
    public void writeTo(Path target) throws IOException {
        write(target).close();
    }

    /**
     * Writes the file and keeps its descriptor open, so that the sync after canonicalisation is one
     * fsync on it: no second open, no close, no tree walk (three system calls and a FileTreeWalker
     * per AddTextToStore). fsync covers the inode, so the canonical mtime set meanwhile through the
     * path is synced too.
     */
    @Override
    public StoreWriter.Staged stage(Path target) throws IOException {
        FileChannel ch = write(target);
        return new StoreWriter.Staged() {
            @Override
            public void sync() throws IOException {
                FileTrees.sync(ch);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    private FileChannel write(Path target) throws IOException {
        FileChannel ch = create(target);
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileChannel create(Path target) throws IOException {
        try {
            return FileChannel.open(target, CREATE, READ_ONLY);
        } catch (FileAlreadyExistsException e) {
            Files.delete(target);
            return FileChannel.open(target, CREATE, READ_ONLY);
        }
    }

    @Override
    public Optional<NarDigest> knownNar() throws IOException {
        return Optional.of(NarHasher.hashRegularFile(bytes, false, "sha256"));
    }
}
