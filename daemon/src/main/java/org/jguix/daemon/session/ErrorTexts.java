package org.jguix.daemon.session;

import java.io.IOException;
import org.jguix.nar.NarException;
import org.jguix.nar.NarTruncatedException;
import org.jguix.wire.WireException;

/**
 * The client-visible texts of the session layer, worded as guix-daemon 1.5.0 words them (the C++
 * function is named on each), and the mapping from the lower layers' exceptions to the text of the
 * {@code STDERR_ERROR} frame. Store, name and hash errors already carry the daemon's text as their
 * message.
 */
final class ErrorTexts {
    private ErrorTexts() {
    }

    /** {@code performOp} wopAddToStore: a flat add whose NAR is not a single regular file. */
    static final String REGULAR_FILE_EXPECTED = "regular file expected";

    /** {@code hash.cc:hashString} with {@code htUnknown}: AddToStore with an unknown algorithm name. */
    static final String UNKNOWN_HASH_TYPE = "unknown hash type";

    /** {@code LocalStore::ensurePath} when the substitution goal fails. */
    static String cannotCreate(String path) {
        return "path `" + path + "' does not exist and cannot be created";
    }

    /** jguix's own: an operation whose implementation has not landed yet (recoverable). */
    static String unsupported(String daemonName) {
        return "operation " + daemonName.substring(3) + " is not supported yet by jguix";
    }

    /** {@code serialise.cc:FdSource}'s {@code EndOfFile}: the client left in the middle of a request. */
    static final String UNEXPECTED_EOF = "unexpected end-of-file";

    /** {@code util.cc:writeFull}'s prefix when writing a file fails (then strerror, e.g. ENOSPC's). */
    static final String WRITING_TO_FILE = "writing to file: ";

    /** {@code processConnection}: the prefix of the daemon's log line when a session dies. */
    static final String UNEXPECTED = "unexpected build daemon error: ";

    /**
     * The text guix-daemon sends for the same failure: the wire layer's {@link WireException#daemonText},
     * the NAR reader's guix wording without our byte offset, an end of input as {@code EndOfFile}'s
     * "unexpected end-of-file", anything else its message.
     */
    static String clientText(IOException e) {
        if (e instanceof WireException w) {
            return w.daemonText();
        }
        if (e instanceof NarTruncatedException) {
            return UNEXPECTED_EOF;
        }
        if (e instanceof NarException n) {
            return n.reason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
