package org.jguix.build.substitute;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jguix.hash.InvalidHashException;
import org.jguix.hash.NixBase32;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;
import org.jguix.store.StoreException;

/**
 * The substitute agent's status line, judged as {@code SubstitutionGoal::finished} does: a
 * {@link Failed} substitution (guix-daemon's {@code SubstError}: the goal fails, {@code --fallback}
 * may build instead) or the NAR hash and size to register. A malformed {@code success} line is a
 * plain error that ends the whole request (a {@link StoreException}), as there.
 */
public final class StatusLine {
    /** A failed substitution: what to show, and the hash-mismatch trace line if there is one. */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final String traceLine;

        Failed(String message, String traceLine) {
            super(message);
            this.traceLine = traceLine;
        }

        /** {@code @ hash-mismatch P ALGO EXPECTED ACTUAL}, or empty. */
        public String hashMismatchTrace() {
            return traceLine;
        }
    }

    private StatusLine() {
    }

    /**
     * The SHA-256 NAR hash and size of {@code path}, now at {@code dest}, from {@code status}.
     *
     * @throws Failed         the agent could not substitute it
     * @throws StoreException the agent said {@code success} but not in a form guix-daemon accepts
     */
    public static NarDigest judge(String status, String path, Path dest) throws Failed, IOException {
        List<String> words = List.of(status.trim().split("[ \t\n\r]+"));
        if (status.isBlank()) {
            throw new Failed("fetching path `" + path + "' (empty status)", "");
        }
        switch (words.get(0)) {
            case "hash-mismatch" -> throw new Failed("hash mismatch for substituted item `" + path + "'",
                    "@ hash-mismatch " + path + " " + word(words, 1) + " " + word(words, 2) + " " + word(words, 3));
            case "success" -> {
                if (!java.nio.file.Files.exists(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new Failed("substitute did not produce path `" + dest + "'", "");
                }
                return success(word(words, 1), word(words, 2), path, dest);
            }
            default -> throw new Failed("fetching path `" + path + "' (status: '" + status + "')", "");
        }
    }

    private static NarDigest success(String hashStr, String sizeStr, String path, Path dest) throws IOException {
        int colon = hashStr.indexOf(':');
        if (colon < 0) {
            throw new StoreException("bad hash from substituter: " + hashStr);
        }
        String algo = hashStr.substring(0, colon);
        if (!NarHasher.ALGORITHMS.contains(algo)) {
            throw new StoreException("unknown hash algorithm in `" + hashStr + "'");
        }
        if (!algo.equals("sha256")) {
            // The database holds SHA-256 only: hash what the agent unpacked.
            return NarHasher.hashPath(dest, "sha256");
        }
        byte[] digest = parseHash16or32(hashStr.substring(colon + 1));
        if (!sizeStr.matches("[0-9]{1,18}")) {
            throw new StoreException("invalid nar size for '" + path + "' substitute");
        }
        return new NarDigest("sha256", digest, Long.parseLong(sizeStr));
    }

    /** {@code parseHash16or32} for SHA-256: 64 hex digits or 52 nix-base32 ones, with its errors. */
    private static byte[] parseHash16or32(String s) throws StoreException {
        if (s.length() == 64) {
            try {
                return HexFormat.of().parseHex(s.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new StoreException("invalid hash `" + s + "'");
            }
        }
        if (s.length() == NixBase32.encodedLength(32)) {
            try {
                return NixBase32.decode(s, 32);
            } catch (InvalidHashException e) {
                throw new StoreException("invalid base-32 hash '" + s + "'");
            }
        }
        throw new StoreException("hash `" + s + "' has wrong length for hash type `sha256'");
    }

    private static String word(List<String> words, int i) {
        return i < words.size() ? words.get(i) : "";
    }
}
