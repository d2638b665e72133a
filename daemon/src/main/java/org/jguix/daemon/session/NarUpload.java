package org.jguix.daemon.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import org.jguix.hash.HashAlgorithm;
import org.jguix.nar.NarEvent;
import org.jguix.nar.NarReader;
import org.jguix.nar.NarRestorer;
import org.jguix.nar.TreeDeleter;

/**
 * AddToStore's inline NAR, received into a staging directory in the store (never into memory, unlike
 * guix-daemon's {@code SavingSourceAdapter}) and hashed on the way:
 *
 * <ul>
 * <li>recursive: the tree is restored to {@code staging/nar} and the NAR bytes themselves are hashed
 *     with the requested algorithm;</li>
 * <li>flat ({@code RetrieveRegularNARSink}): the NAR must be one regular file, whose contents go to
 *     {@code staging/nar} and are hashed (the executable bit is ignored); anything else is parsed to
 *     its end and remembered as "not regular", reported later in work.</li>
 * </ul>
 *
 * An unknown algorithm name still lets the NAR be read (the daemon's {@code parseHashType} only says
 * {@code htUnknown}; hashing fails later, in work). The staging directory has the store writer's
 * temporary prefix, so a crash leaves nothing that the next start does not remove; {@link #close}
 * deletes it otherwise. Any error while receiving (a malformed NAR, the client leaving mid-upload)
 * deletes it before propagating.
 */
final class NarUpload implements AutoCloseable {
    private final Path staging;
    private final boolean regular;
    private final Optional<byte[]> digest;

    private NarUpload(Path staging, boolean regular, Optional<byte[]> digest) {
        this.staging = staging;
        this.regular = regular;
        this.digest = digest;
    }

    /** Reads one NAR from {@code in}, stopping exactly at its end. */
    static NarUpload receive(InputStream in, Path staging, boolean recursive, Optional<HashAlgorithm> algorithm)
            throws IOException {
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try {
            MessageDigest md = algorithm.map(HashAlgorithm::newDigest).orElse(null);
            if (recursive) {
                InputStream source = md == null ? in : new DigestInputStream(in, md);
                NarRestorer.restore(new NarReader(source), staging.resolve("nar"));
                return new NarUpload(staging, true, Optional.ofNullable(md).map(MessageDigest::digest));
            }
            boolean regular = receiveFlat(new NarReader(in), staging.resolve("nar"), md);
            return new NarUpload(staging, regular, Optional.ofNullable(md).map(MessageDigest::digest));
        } catch (IOException | RuntimeException e) {
            try {
                TreeDeleter.delete(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static boolean receiveFlat(NarReader reader, Path file, MessageDigest md) throws IOException {
        NarEvent first = reader.next();
        boolean regular = first instanceof NarEvent.RegularStart;
        if (regular) {
            byte[] buf = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int n; (n = reader.readContents(buf, 0, buf.length)) > 0; ) {
                    out.write(buf, 0, n);
                    if (md != null) {
                        md.update(buf, 0, n);
                    }
                }
            }
        }
        while (reader.next() != null) {
            // a directory or symlink: parsed to its end, contents skipped
        }
        return regular;
    }

    /** The received tree (recursive) or file (flat). */
    Path content() {
        return staging.resolve("nar");
    }

    /** Whether a flat upload was one regular file (always true for recursive ones). */
    boolean regular() {
        return regular;
    }

    /** The hash of the NAR (recursive) or of the contents (flat); empty for an unknown algorithm. */
    Optional<byte[]> digest() {
        return digest.map(byte[]::clone);
    }

    @Override
    public void close() throws IOException {
        TreeDeleter.delete(staging);
    }

}
