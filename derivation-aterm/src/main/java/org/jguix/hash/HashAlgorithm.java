package org.jguix.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.jguix.hash.internal.Blake2s256;

/**
 * The hash algorithms guix-daemon knows: exactly those of {@code hash.cc:parseHashType}
 * (the names are the lowercase strings it parses and prints). The same names appear in
 * {@code .drv} output fields, in {@code fixed:out:} strings and on the worker protocol.
 */
public enum HashAlgorithm {
    MD5("md5", 16, "MD5"),
    SHA1("sha1", 20, "SHA-1"),
    SHA256("sha256", 32, "SHA-256"),
    SHA512("sha512", 64, "SHA-512"),
    SHA3_256("sha3-256", 32, "SHA3-256"),
    SHA3_512("sha3-512", 64, "SHA3-512"),
    /** Not in the JDK; computed by our own implementation of RFC 7693. */
    BLAKE2S_256("blake2s-256", 32, null);

    private final String guixName;
    private final int digestSize;
    private final String jdkName;

    HashAlgorithm(String guixName, int digestSize, String jdkName) {
        this.guixName = guixName;
        this.digestSize = digestSize;
        this.jdkName = jdkName;
    }

    /** The name as guix prints it ({@code printHashType}), e.g. {@code sha256}. */
    public String guixName() {
        return guixName;
    }

    /** Digest size in bytes. */
    public int digestSize() {
        return digestSize;
    }

    /** Length of the base16 form: two digits per byte. */
    public int base16Length() {
        return 2 * digestSize;
    }

    /** Length of the nix-base32 form, {@code hashLength32}. */
    public int nixBase32Length() {
        return NixBase32.encodedLength(digestSize);
    }

    /** Length of the padding-free base64 form plus its {@code =} padding. */
    public int base64Length() {
        return (digestSize + 2) / 3 * 4;
    }

    /** A fresh digest. Every algorithm here is mandatory in the JDK or ours, so this cannot fail. */
    public MessageDigest newDigest() {
        if (jdkName == null) {
            return new Blake2s256();
        }
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            // SHA-1/SHA-256/SHA-512/MD5/SHA3 are required of every Java SE 9+ platform.
            throw new AssertionError("JDK lacks " + jdkName, e);
        }
    }

    /** The algorithm named {@code name} (exact, lowercase, as {@code parseHashType}). */
    public static Optional<HashAlgorithm> lookup(String name) {
        for (HashAlgorithm a : values()) {
            if (a.guixName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Like {@link #lookup} but failing with guix-daemon's message. */
    public static HashAlgorithm parse(String name) throws UnknownHashAlgorithmException {
        Optional<HashAlgorithm> a = lookup(name);
        if (a.isEmpty()) {
            throw new UnknownHashAlgorithmException(name);
        }
        return a.get();
    }

    @Override
    public String toString() {
        return guixName;
    }
}
