package org.jguix.build.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code setrlimit} for the builder. {@code resource} is one of the helper's names
 * ({@code core cpu data fsize memlock nofile nproc stack as locks}); {@link #UNLIMITED}
 * stands for {@code RLIM_INFINITY}.
 */
public record ResourceLimit(String resource, long soft, long hard) {
    public static final long UNLIMITED = -1;

    /**
     * The environment variable in which {@code scripts/launch} passes the daemon's open-files limits
     * as they were before the JVM raised its soft limit to the hard one ({@code -XX:+MaxFDLimit}, on by
     * default): {@code "SOFT HARD"}, each a number or {@code unlimited}. guix-daemon's builders inherit
     * the daemon's soft limit, so jguix's must get it back.
     */
    public static final String LAUNCHER_NOFILE = "JGUIX_BUILDER_NOFILE";

    /** The builder's open-files limit from {@link #LAUNCHER_NOFILE}'s value; empty if absent or malformed. */
    public static Optional<ResourceLimit> launcherNofile(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.trim().split(" ");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            long soft = ulimitValue(parts[0]);
            long hard = ulimitValue(parts[1]);
            return Optional.of(new ResourceLimit("nofile", soft, hard));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long ulimitValue(String s) {
        if (s.equals("unlimited")) {
            return UNLIMITED;
        }
        long v = Long.parseLong(s); // NumberFormatException is an IllegalArgumentException
        if (v < 0) {
            throw new IllegalArgumentException(s);
        }
        return v;
    }

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
