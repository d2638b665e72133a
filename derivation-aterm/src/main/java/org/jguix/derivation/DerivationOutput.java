package org.jguix.derivation;

import java.util.Objects;
import org.jguix.hash.InvalidHashException;
import org.jguix.storepath.FixedOutputHash;

/**
 * One output of a derivation ({@code derivations.hh:DerivationOutput}): its path, and for
 * a fixed output the {@code [r:]ALGO} field and the base16 hash; both empty otherwise. The
 * fields are kept as written so that printing reproduces the bytes.
 */
public record DerivationOutput(String path, String hashAlgo, String hash) {
    public DerivationOutput {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(hashAlgo, "hashAlgo");
        Objects.requireNonNull(hash, "hash");
    }

    /** A regular (input-addressed) output. */
    public static DerivationOutput regular(String path) {
        return new DerivationOutput(path, "", "");
    }

    /** A fixed output. */
    public static DerivationOutput fixed(String path, FixedOutputHash h) {
        return new DerivationOutput(path, h.hashAlgoField(), h.hash().toBase16());
    }

    /** True if a hash is given (the per-output half of {@code isFixedOutputDrv}). */
    public boolean hasHash() {
        return !hash.isEmpty();
    }

    /** {@code parseHashInfo}: the parsed fields. */
    public FixedOutputHash fixedOutputHash() throws InvalidHashException {
        return FixedOutputHash.parse(hashAlgo, hash);
    }

    /** The same output with another path (masking uses {@code ""}). */
    public DerivationOutput withPath(String newPath) {
        return new DerivationOutput(newPath, hashAlgo, hash);
    }
}
