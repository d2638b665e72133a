package org.jguix.nar;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The digest of a NAR serialisation and the NAR's length (guix {@code hashPath} returns the same pair).
 *
 * @param algorithm guix's name of the algorithm ({@code sha256}, ...)
 * @param digest    raw digest bytes (copied in and out)
 * @param narSize   length of the NAR in bytes
 */
public record NarDigest(String algorithm, byte[] digest, long narSize) {
    public NarDigest {
        digest = digest.clone();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** Lowercase hexadecimal digest, as in the database's {@code sha256:<hex>}. */
    public String hex() {
        return HexFormat.of().formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NarDigest d && algorithm.equals(d.algorithm) && Arrays.equals(digest, d.digest)
                && narSize == d.narSize;
    }

    @Override
    public int hashCode() {
        return (algorithm.hashCode() * 31 + Arrays.hashCode(digest)) * 31 + Long.hashCode(narSize);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex() + " (" + narSize + " bytes)";
    }
}
