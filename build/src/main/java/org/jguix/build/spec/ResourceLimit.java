package org.jguix.build.spec;

import java.util.Objects;

/**
 * One {@code setrlimit} for the builder. {@code resource} is one of the helper's names
 * ({@code core cpu data fsize memlock nofile nproc stack as locks}); {@link #UNLIMITED}
 * stands for {@code RLIM_INFINITY}.
 */
public record ResourceLimit(String resource, long soft, long hard) {
    public static final long UNLIMITED = -1;

    public ResourceLimit {
        Objects.requireNonNull(resource, "resource");
        if (!resource.matches("core|cpu|data|fsize|memlock|nofile|nproc|stack|as|locks")) {
            throw new IllegalArgumentException("resource: " + resource);
        }
        if (soft < UNLIMITED || hard < UNLIMITED) {
            throw new IllegalArgumentException(resource + ": " + soft + "/" + hard + " (expected ≥ 0 or UNLIMITED)");
        }
    }
}
