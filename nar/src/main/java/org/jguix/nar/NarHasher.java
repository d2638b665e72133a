package org.jguix.nar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jguix.nar.internal.DigestingOutputStream;

/**
 * Hashes NAR serialisations while they stream (guix {@code hash.cc:hashPath}): the dumper's events go
 * through a {@link NarWriter} straight into a {@link MessageDigest}; no NAR is ever buffered.
 * Algorithms are named as guix names them ({@code parseHashType}); blake2s-256 has no JDK provider and
 * is not supported.
 */
public final class NarHasher {
    /** guix names of the supported algorithms. */
    public static final List<String> ALGORITHMS = List.of("md5", "sha1", "sha256", "sha512", "sha3-256", "sha3-512");

    private NarHasher() {
    }

    /** Digest and size of the NAR of {@code path}. */
    public static NarDigest hashPath(Path path, String algorithm) throws IOException {
        return hashPath(path, algorithm, null);
    }

    /**
     * Digest and size of the NAR of {@code path}, also copying the NAR bytes to {@code alsoTo} (e.g. a
     * {@link ReferenceScanner}) in the same pass; {@code alsoTo} may be null.
     */
    public static NarDigest hashPath(Path path, String algorithm, OutputStream alsoTo) throws IOException {
        DigestingOutputStream out = new DigestingOutputStream(messageDigest(algorithm), alsoTo);
        new NarDumper().dump(path, new NarWriter(out));
        return new NarDigest(algorithm, out.digest().digest(), out.count());
    }

    /**
     * Parses the NAR on {@code in} (strictly, see {@link NarReader}) and returns the digest of its bytes
     * as read; since only canonical NARs are accepted, this equals the hash of the restored tree.
     */
    public static NarDigest hashNar(InputStream in, String algorithm) throws IOException {
        DigestingOutputStream out = new DigestingOutputStream(messageDigest(algorithm), null);
        NarWriter writer = new NarWriter(out);
        new NarReader(in).transferTo(writer);
        return new NarDigest(algorithm, out.digest().digest(), out.count());
    }

    /** A fresh {@link MessageDigest} for a guix algorithm name. */
    public static MessageDigest messageDigest(String algorithm) {
        String jdk = switch (algorithm) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            case "sha3-256" -> "SHA3-256";
            case "sha3-512" -> "SHA3-512";
            default -> throw new IllegalArgumentException("unsupported hash algorithm `" + algorithm
                    + "' (supported: " + String.join(", ", ALGORITHMS) + ")");
        };
        try {
            return MessageDigest.getInstance(jdk);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jdk, e);
        }
    }
}
