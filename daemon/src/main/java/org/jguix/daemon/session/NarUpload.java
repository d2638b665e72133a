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
import org.jguix.nar.NarException;
import org.jguix.nar.NarReader;
import org.jguix.nar.NarRestorer;
import org.jguix.nar.NoSpaceException;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.StoreException;

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
 *
 * <p>An error while <em>writing</em> what was received (the store's file system full, say) is not
 * the client's: the rest of the NAR is read and dropped, so that the connection stays in step, and
 * the error is reported in work, as guix-daemon reports it once it has the whole NAR in memory
 * ("writing to file: No space left on device" for a flat upload, {@code writeFile}; "preallocating
 * file of N bytes: No space left on device" for a recursive one, {@code restorePath}); the connection
 * then serves the next request.
 */
final class NarUpload implements AutoCloseable {
    private final Path staging;
    private final boolean regular;
    private final Optional<byte[]> digest;
    private final Optional<IOException> writeError;

    private NarUpload(Path staging, boolean regular, Optional<byte[]> digest, Optional<IOException> writeError) {
        this.staging = staging;
        this.regular = regular;
        this.digest = digest;
        this.writeError = writeError;
    }

    /** Reads one NAR from {@code in}, stopping exactly at its end. */
    static NarUpload receive(InputStream in, Path staging, boolean recursive, Optional<HashAlgorithm> algorithm)
            throws IOException {
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        NarReader reader = null;
        try {
            MessageDigest md = algorithm.map(HashAlgorithm::newDigest).orElse(null);
            if (recursive) {
                reader = new NarReader(md == null ? in : new DigestInputStream(in, md));
                NarRestorer.restore(reader, staging.resolve("nar"));
                return new NarUpload(staging, true, Optional.ofNullable(md).map(MessageDigest::digest),
                        Optional.empty());
            }
            reader = new NarReader(in);
            boolean regular = receiveFlat(reader, staging.resolve("nar"), md);
            return new NarUpload(staging, regular, Optional.ofNullable(md).map(MessageDigest::digest),
                    Optional.empty());
        } catch (IOException e) {
            if (!(e instanceof NarException) && reader != null && drained(reader, e)) {
                TreeDeleter.delete(staging);
                return new NarUpload(staging, true, Optional.empty(), Optional.of(e));
            }
            throw deleteStaging(staging, e);
        } catch (RuntimeException e) {
            throw deleteStaging(staging, e);
        }
    }

    /** Deletes the staging directory after {@code failure}, which it returns for rethrowing. */
    private static <E extends Exception> E deleteStaging(Path staging, E failure) {
        try {
            TreeDeleter.delete(staging);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
        return failure;
    }

    /**
     * Whether {@code failure} was the writing side's: then the reader is still sound (a failed reader
     * rethrows its own error) and is read to the end of the NAR, its contents dropped.
     */
    private static boolean drained(NarReader reader, IOException failure) throws IOException {
        try {
            while (reader.next() != null) {
                // skipped: next() passes over unread contents
            }
            return true;
        } catch (IOException e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
            return false;
        }
    }

    /**
     * The error of writing the upload, as the client sees it ({@code writeFull}'s "writing to file"),
     * thrown in work; nothing if it was received whole.
     */
    void checkWritten() throws IOException {
        if (writeError.isPresent()) {
            IOException e = writeError.get();
            if (e instanceof NoSpaceException) {
                // A recursive upload's restore: guix-daemon's restorePath, "preallocating file of N bytes".
                throw new StoreException(e.getMessage(), e);
            }
            String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : String.valueOf(e.getMessage());
            throw new StoreException(ErrorTexts.WRITING_TO_FILE + reason, e);
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
