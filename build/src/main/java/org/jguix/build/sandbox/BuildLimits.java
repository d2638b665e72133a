package org.jguix.build.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code build-timeout} ({@code --timeout}) and {@code build-max-silent-time}
 * ({@code --max-silent-time}); {@link Duration#ZERO} disables one. guix-daemon's defaults
 * are 86400 s and 3600 s (build-environment.md §14).
 */
public record BuildLimits(Duration timeout, Duration maxSilentTime) {
    public static final BuildLimits GUIX_DEFAULTS = new BuildLimits(Duration.ofSeconds(86400), Duration.ofSeconds(3600));
    public static final BuildLimits NONE = new BuildLimits(Duration.ZERO, Duration.ZERO);

    public BuildLimits {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxSilentTime, "maxSilentTime");
        if (timeout.isNegative() || maxSilentTime.isNegative()) {
            throw new IllegalArgumentException("negative build limit: " + timeout + ", " + maxSilentTime);
        }
    }
}
