package org.jguix.storepath;

import org.jguix.hash.Hash;
import org.jguix.hash.HashAlgorithm;
import org.jguix.hash.InvalidHashException;

/**
 * The content address of a fixed output or of an added file: a hash, and whether it is of
 * the NAR serialisation ({@code recursive}, written {@code r:} before the algorithm) or of
 * the flat file contents ({@code DerivationOutput::parseHashInfo}).
 */
public record FixedOutputHash(boolean recursive, Hash hash) {
    public FixedOutputHash {
        java.util.Objects.requireNonNull(hash, "hash");
    }

    /**
     * Parses the two {@code .drv} output fields: {@code hashAlgo} ({@code [r:]ALGO}) and
     * {@code hash} (lowercase base16 only, as guix writes it).
     */
    public static FixedOutputHash parse(String hashAlgo, String hash) throws InvalidHashException {
        boolean recursive = hashAlgo.startsWith("r:");
        HashAlgorithm algorithm = HashAlgorithm.parse(recursive ? hashAlgo.substring(2) : hashAlgo);
        return new FixedOutputHash(recursive, Hash.parseBase16(algorithm, hash));
    }

    /** The {@code hashAlgo} field: {@code r:sha256}, {@code sha1}, … */
    public String hashAlgoField() {
        return (recursive ? "r:" : "") + hash.algorithm().guixName();
    }
}
