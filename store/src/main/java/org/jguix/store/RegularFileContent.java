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
        try (FileChannel ch = create(target)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
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
