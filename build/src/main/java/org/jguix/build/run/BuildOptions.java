package org.jguix.build.run;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What one BuildPaths request runs with: the session's settings after SetOptions, read
 * once when the request starts (guix-daemon reads its {@code settings} globals, which a
 * session mutates only between operations).
 *
 * @param maxJobs         {@code build-max-jobs}: builds of this request running at once
 * @param cores           {@code build-cores}, the builders' {@code NIX_BUILD_CORES}
 * @param timeout         {@code build-timeout} (zero: none)
 * @param maxSilentTime   {@code build-max-silent-time} (zero: none)
 * @param maxLogSize      {@code build-max-log-size} in bytes (0: unlimited)
 * @param repeat          {@code build-repeat}: extra rounds of non-fixed-output builds
 * @param keepGoing       {@code keep-going}
 * @param keepFailed      {@code keep-failed}
 * @param printBuildTrace emit the {@code @ build-…} traces
 * @param cacheFailures   {@code build-cache-failure}
 * @param keepLog         {@code build-keep-log} (false: {@code --lose-logs})
 * @param useChroot       {@code build-use-chroot}
 * @param clientUid       the client's uid when known ({@code -K} hands the build tree to it)
 * @param clientGid       the client's gid when known
 * @param tryFallback     {@code build-fallback} ({@code --fallback}): build when a substitute fails
 * @param nixOptions      {@code settings.pack()}: the settings map as {@code name=value} lines, which
 *                        builtin builders get as {@code _NIX_OPTIONS}
 */
public record BuildOptions(int maxJobs, int cores, Duration timeout, Duration maxSilentTime, long maxLogSize,
        int repeat, boolean keepGoing, boolean keepFailed, boolean printBuildTrace, boolean cacheFailures,
        boolean keepLog, boolean useChroot, OptionalInt clientUid, OptionalInt clientGid, boolean tryFallback,
        String nixOptions) {
    public BuildOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxSilentTime, "maxSilentTime");
        Objects.requireNonNull(clientUid, "clientUid");
        Objects.requireNonNull(clientGid, "clientGid");
        Objects.requireNonNull(nixOptions, "nixOptions");
        if (maxJobs < 0 || cores < 0 || repeat < 0 || maxLogSize < 0) {
            throw new IllegalArgumentException("negative build option");
        }
    }

    /** guix-daemon's defaults, as {@code guix build} leaves them: one job, traces on. */
    public static BuildOptions defaults() {
        return new BuildOptions(1, 0, Duration.ofSeconds(86400), Duration.ofSeconds(3600), 0, 0, false, false, true,
                false, true, true, OptionalInt.empty(), OptionalInt.empty(), false, "");
    }
}
