package org.jguix.storepath;

import java.util.Arrays;
import org.jguix.hash.NixBase32;

/**
 * A store path {@code DIR/HASH-NAME}: the store directory, the 20-byte digest printed as
 * 32 nix-base32 characters, and a name valid for {@link StoreName#check}. Immutable;
 * equal when all three are equal. Ordered as the absolute path strings, byte-wise.
 */
public final class StorePath implements Comparable<StorePath> {
    /** Digest bytes: a SHA-256 compressed to 160 bits. */
    public static final int DIGEST_SIZE = 20;
    /** nix-base32 characters of the hash part. */
    public static final int HASH_PART_LENGTH = 32;

    private final StoreDir dir;
    private final byte[] digest;
    private final String name;
    private final String absolute;

    private StorePath(StoreDir dir, byte[] digest, String name) {
        this.dir = dir;
        this.digest = digest;
        this.name = name;
        this.absolute = dir.path() + "/" + NixBase32.encode(digest) + "-" + name;
    }

    /** A store path from its parts; the name is checked, the digest must be 20 bytes. */
    public static StorePath of(StoreDir dir, byte[] digest, String name) throws InvalidStorePathException {
        if (digest.length != DIGEST_SIZE) {
            throw new InvalidStorePathException("store path digest of " + digest.length + " bytes (expected "
                    + DIGEST_SIZE + ")");
        }
        StoreName.check(name);
        return new StorePath(dir, digest.clone(), name);
    }

    public StoreDir dir() {
        return dir;
    }

    /** A copy of the 20 digest bytes. */
    public byte[] digest() {
        return digest.clone();
    }

    /** The 32-character nix-base32 hash part. */
    public String hashPart() {
        return absolute.substring(dir.path().length() + 1, dir.path().length() + 1 + HASH_PART_LENGTH);
    }

    /** The name after {@code HASH-} ({@code storePathToName}). */
    public String name() {
        return name;
    }

    /** {@code HASH-NAME}. */
    public String baseName() {
        return absolute.substring(dir.path().length() + 1);
    }

    /** {@code DIR/HASH-NAME}. */
    public String absolute() {
        return absolute;
    }

    @Override
    public int compareTo(StorePath o) {
        return ByteOrder.compare(absolute, o.absolute);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorePath p && p.dir.equals(dir) && Arrays.equals(p.digest, digest) && p.name.equals(name);
    }

    @Override
    public int hashCode() {
        return absolute.hashCode();
    }

    @Override
    public String toString() {
        return absolute;
    }
}
