package org.jguix.hash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An immutable hash value: an algorithm and exactly {@code algorithm.digestSize()} bytes
 * ({@code hash.hh:Hash}). Parsers are strict: they accept only the spelling guix prints
 * (lowercase base16, canonical nix-base32, padded base64) and fail with
 * {@link InvalidHashException}.
 */
public final class Hash {
    private static final HexFormat HEX = HexFormat.of();

    private final HashAlgorithm algorithm;
    private final byte[] bytes;

    private Hash(HashAlgorithm algorithm, byte[] bytes) {
        this.algorithm = algorithm;
        this.bytes = bytes;
    }

    /**
     * A hash from raw bytes (copied).
     *
     * @throws IllegalArgumentException if the length is not the algorithm's digest size
     *     (a programming error: parsed input goes through the {@code parse*} methods)
     */
    public static Hash of(HashAlgorithm algorithm, byte[] bytes) {
        if (bytes.length != algorithm.digestSize()) {
            throw new IllegalArgumentException(algorithm + " hash of " + bytes.length + " bytes (expected "
                    + algorithm.digestSize() + ")");
        }
        return new Hash(algorithm, bytes.clone());
    }

    /** The digest of {@code data}. */
    public static Hash digest(HashAlgorithm algorithm, byte[] data) {
        return new Hash(algorithm, algorithm.newDigest().digest(data));
    }

    /** SHA-256 of {@code data}. */
    public static Hash sha256(byte[] data) {
        return digest(HashAlgorithm.SHA256, data);
    }

    /** SHA-256 of a byte string held as ISO-8859-1 characters (one char per byte). */
    public static Hash sha256(String latin1) {
        return sha256(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the digest bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lowercase base16, byte 0 first ({@code printHash}). */
    public String toBase16() {
        return HEX.formatHex(bytes);
    }

    /** nix-base32 ({@code printHash32}). */
    public String toNixBase32() {
        return NixBase32.encode(bytes);
    }

    /** Standard base64 with padding, as {@code guix hash -f base64}. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** base16 for md5, nix-base32 otherwise ({@code printHash16or32}, used in messages). */
    public String toBase16or32() {
        return algorithm == HashAlgorithm.MD5 ? toBase16() : toNixBase32();
    }

    /** {@code ALGO:NIXBASE32}, e.g. {@code sha256:0mdqa9…} (the daemon's typed form). */
    public String toTypedString() {
        return algorithm.guixName() + ":" + toNixBase32();
    }

    /**
     * {@code compressHash(h, size)}: XOR-folds the bytes into {@code size} bytes
     * ({@code r[i % size] ^= h[i]}); store paths use 20.
     */
    public byte[] compress(int size) {
        byte[] r = new byte[size];
        for (int i = 0; i < bytes.length; i++) {
            r[i % size] ^= bytes[i];
        }
        return r;
    }

    /** Parses lowercase base16 of exactly {@code 2 * digestSize} digits. */
    public static Hash parseBase16(HashAlgorithm algorithm, String s) throws InvalidHashException {
        if (s.length() != algorithm.base16Length()) {
            throw new InvalidHashException("invalid " + algorithm + " hash `" + s + "': length " + s.length()
                    + " (expected " + algorithm.base16Length() + " base16 digits)");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new InvalidHashException("invalid " + algorithm + " hash `" + s + "': character `" + c
                        + "' at position " + i + " (expected lowercase base16)");
            }
        }
        return new Hash(algorithm, HEX.parseHex(s));
    }

    /** Parses canonical nix-base32 of exactly {@code nixBase32Length()} digits. */
    public static Hash parseNixBase32(HashAlgorithm algorithm, String s) throws InvalidHashException {
        return new Hash(algorithm, NixBase32.decode(s, algorithm.digestSize()));
    }

    /** Parses padded standard base64 that re-encodes to the same string. */
    public static Hash parseBase64(HashAlgorithm algorithm, String s) throws InvalidHashException {
        byte[] b;
        try {
            b = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidHashException("invalid " + algorithm + " hash `" + s + "': not base64 (" + e.getMessage() + ")");
        }
        if (b.length != algorithm.digestSize() || !Base64.getEncoder().encodeToString(b).equals(s)) {
            throw new InvalidHashException("invalid " + algorithm + " hash `" + s + "': length " + s.length()
                    + " (expected " + algorithm.base64Length() + " base64 characters)");
        }
        return new Hash(algorithm, b);
    }

    /**
     * Parses base16, nix-base32 or base64, told apart by length like {@code parseHash16or32}
     * (the three lengths differ for every algorithm here).
     */
    public static Hash parse(HashAlgorithm algorithm, String s) throws InvalidHashException {
        if (s.length() == algorithm.base16Length()) {
            return parseBase16(algorithm, s);
        } else if (s.length() == algorithm.nixBase32Length()) {
            return parseNixBase32(algorithm, s);
        } else if (s.length() == algorithm.base64Length()) {
            return parseBase64(algorithm, s);
        }
        throw new InvalidHashException("invalid " + algorithm + " hash `" + s + "': length " + s.length()
                + " (expected " + algorithm.base16Length() + " base16, " + algorithm.nixBase32Length()
                + " nix-base32 or " + algorithm.base64Length() + " base64 characters)");
    }

    /** Parses the typed form {@code ALGO:HASH} (HASH in any form {@link #parse} accepts). */
    public static Hash parseTyped(String s) throws InvalidHashException {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new InvalidHashException("invalid typed hash `" + s + "': no `:' (expected ALGO:HASH)");
        }
        return parse(HashAlgorithm.parse(s.substring(0, colon)), s.substring(colon + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && h.algorithm == algorithm && Arrays.equals(h.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(bytes);
    }

    /** The typed form, {@code sha256:…}. */
    @Override
    public String toString() {
        return toTypedString();
    }
}
