package org.jguix.hash;

import java.util.Optional;

/** The textual forms of a hash that {@code guix hash -f FMT} prints. */
public enum HashFormat {
    NIX_BASE32,
    BASE32,
    BASE16,
    BASE64;

    /** Prints {@code hash} in this form. */
    public String format(Hash hash) {
        return switch (this) {
            case NIX_BASE32 -> hash.toNixBase32();
            case BASE32 -> Base32Rfc4648.encode(hash.bytes());
            case BASE16 -> hash.toBase16();
            case BASE64 -> hash.toBase64();
        };
    }

    /**
     * The format named {@code name} as {@code guix hash -f} accepts it ({@code scripts/hash.scm}):
     * {@code base64}, {@code nix-base32}, {@code base32}, {@code base16}, {@code hex},
     * {@code hexadecimal}.
     */
    public static Optional<HashFormat> lookup(String name) {
        return Optional.ofNullable(switch (name) {
            case "base64" -> BASE64;
            case "nix-base32" -> NIX_BASE32;
            case "base32" -> BASE32;
            case "base16", "hex", "hexadecimal" -> BASE16;
            default -> null;
        });
    }
}
