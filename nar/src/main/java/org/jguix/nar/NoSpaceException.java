package org.jguix.nar;

import java.io.IOException;
import java.util.Set;

/**
 * A restored file did not fit: the file system has no room (or the quota or the file size limit
 * was reached) for its contents. The message is guix-daemon's ({@code archive.cc:RestoreSink::
 * preallocateContents}): {@code preallocating file of N bytes: REASON}.
 *
 * <p>guix-daemon reserves each regular file's size with {@code posix_fallocate} before writing it,
 * so a NAR that does not fit fails at the first file that does not, with that text. Java 21 has no
 * {@code posix_fallocate} without native code, so {@link NarRestorer} writes without reserving and
 * turns a write that fails for want of space into this error: the same file fails (the earlier ones
 * fit whole in both), with the same text; only how much of it was written before differs, and
 * the partial tree is deleted either way.
 */
public final class NoSpaceException extends IOException {
    private static final long serialVersionUID = 1L;

    /** strerror texts of the errors {@code posix_fallocate} would have reported first. */
    private static final Set<String> REASONS = Set.of("No space left on device", "Disk quota exceeded",
            "File too large");

    private NoSpaceException(String message, IOException cause) {
        super(message, cause);
    }

    /**
     * {@code failure} of writing a regular file of {@code size} bytes as guix-daemon reports it: this
     * exception if it is a lack of space, else {@code failure} itself.
     */
    static IOException of(IOException failure, long size) {
        String reason = failure instanceof java.nio.file.FileSystemException f ? f.getReason() : failure.getMessage();
        if (reason == null || !REASONS.contains(reason)) {
            return failure;
        }
        return new NoSpaceException("preallocating file of " + size + " bytes: " + reason, failure);
    }
}
