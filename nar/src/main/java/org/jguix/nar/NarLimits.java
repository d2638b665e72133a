package org.jguix.nar;

/**
 * Bounds a {@link NarReader} enforces so that hostile input cannot make it allocate or nest without
 * limit. Lengths are in bytes.
 *
 * @param maxNameLength   longest entry name (Linux {@code NAME_MAX} = 255)
 * @param maxTargetLength longest symlink target (Linux {@code PATH_MAX} - 1 = 4095, as upstream Nix)
 * @param maxDepth        deepest directory nesting; the reader keeps an explicit stack, so this bounds
 *                        memory, not the Java stack. Upstream Nix 2.34 stops at 64 (its nix-store
 *                        --dump then writes a partial NAR, RUN) while guix has no limit; 1024 keeps
 *                        every plausible store item and still bounds a hostile archive.
 */
public record NarLimits(int maxNameLength, int maxTargetLength, int maxDepth) {
    /** 255-byte names, 4095-byte targets, 1024 levels. */
    public static final NarLimits DEFAULT = new NarLimits(255, 4095, 1024);

    public NarLimits {
        if (maxNameLength < 1 || maxTargetLength < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("NAR limits must be positive: " + maxNameLength + ", "
                    + maxTargetLength + ", " + maxDepth);
        }
    }
}
