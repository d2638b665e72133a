package org.jguix.daemon.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.jguix.hash.Hash;
import org.jguix.hash.HashAlgorithm;
import org.jguix.store.StoreException;
import org.jguix.storepath.FixedOutputHash;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePaths;
import org.jguix.wire.Request.AddToStore;

/**
 * AddToStore ({@code performOp} case wopAddToStore, {@code LocalStore::addToStoreFromDump}).
 *
 * <p>Before work: the compatibility rule (not {@code fixed} ⇒ recursive SHA-256), then the inline
 * NAR is received ({@link NarUpload}); a malformed or truncated NAR is fatal. In work, in the
 * daemon's order: an error writing the upload (ENOSPC: guix-daemon hits it writing the NAR it holds in
 * memory, in work too), "regular file expected" for a flat add of anything but one file, "unknown hash
 * type", then {@code makeFixedOutputPath} (which checks the name), then the store writer adds the
 * staged content under the temp root and path lock, with no references and no deriver.
 */
final class AddToStoreOp implements OpHandler<AddToStore, String> {
    @Override
    public Work<String> prepare(AddToStore q, SessionState s) throws IOException {
        boolean recursive = q.effectiveRecursive();
        Optional<HashAlgorithm> algorithm = HashAlgorithm.lookup(q.effectiveHashAlgo());
        NarUpload upload = NarUpload.receive(s.inlineInput(), s.store().writer().newTemporary(), recursive,
                algorithm);
        return new Work<>() {
            @Override
            public String run() throws IOException {
                return add(q.name(), recursive, algorithm, upload, s);
            }

            @Override
            public void close() throws IOException {
                upload.close();
            }
        };
    }

    private static String add(String name, boolean recursive, Optional<HashAlgorithm> algorithm, NarUpload upload,
            SessionState s) throws IOException {
        upload.checkWritten();
        if (!upload.regular()) {
            throw new StoreException(ErrorTexts.REGULAR_FILE_EXPECTED);
        }
        if (algorithm.isEmpty() || upload.digest().isEmpty()) {
            throw new StoreException(ErrorTexts.UNKNOWN_HASH_TYPE);
        }
        Hash h = Hash.of(algorithm.get(), upload.digest().get());
        StoreDir dir = StoreDir.of(s.store().layout().storeDirString());
        String path = StorePaths.makeFixedOutputPath(dir, new FixedOutputHash(recursive, h), name).absolute();
        s.store().writer().add(path,
                target -> Files.move(upload.content(), target, StandardCopyOption.ATOMIC_MOVE),
                List.of(), Optional.empty(), s.tempRoots());
        return path;
    }
}
