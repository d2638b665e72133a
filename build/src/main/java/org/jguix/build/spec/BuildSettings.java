package org.jguix.build.spec;

import java.util.List;
import java.util.Objects;
import org.jguix.storepath.StoreDir;

/**
 * The daemon settings that shape a build's environment (build-environment.md §5, §6, §9,
 * §11), after the client's overrides: a value, decided once per build.
 *
 * @param storeDir          {@code settings.nixStore}
 * @param buildCores        {@code --cores} / {@code build-cores}, passed as {@code NIX_BUILD_CORES}
 * @param chrootDirs        {@code build-chroot-dirs} + {@code build-extra-chroot-dirs} +
 *                          {@code --chroot-directory} entries, {@code X} or {@code INSIDE=HOST}
 * @param thisSystem        {@code --system}, e.g. {@code x86_64-linux}
 * @param impersonateLinux26 {@code --impersonate-linux-2.6}
 * @param useHostLoopback   false with {@code --isolate-host-loopback} (fixed-output builds only)
 * @param tmpDir            the daemon's {@code TMPDIR} (default {@code /tmp}): parent of the host-side build dir
 */
public record BuildSettings(StoreDir storeDir, int buildCores, List<String> chrootDirs, String thisSystem,
        boolean impersonateLinux26, boolean useHostLoopback, String tmpDir) {
    public BuildSettings {
        Objects.requireNonNull(storeDir, "storeDir");
        Objects.requireNonNull(thisSystem, "thisSystem");
        Objects.requireNonNull(tmpDir, "tmpDir");
        chrootDirs = List.copyOf(chrootDirs);
        if (buildCores < 0) {
            throw new IllegalArgumentException("buildCores: " + buildCores + " (expected ≥ 0)");
        }
    }

    /** guix-daemon's defaults for a store directory: 0 cores, no chroot dirs, x86_64-linux, /tmp. */
    public static BuildSettings defaults(StoreDir storeDir) {
        return new BuildSettings(storeDir, 0, List.of(), "x86_64-linux", false, true, "/tmp");
    }

    public BuildSettings withBuildCores(int cores) {
        return new BuildSettings(storeDir, cores, chrootDirs, thisSystem, impersonateLinux26, useHostLoopback, tmpDir);
    }

    public BuildSettings withChrootDirs(List<String> dirs) {
        return new BuildSettings(storeDir, buildCores, dirs, thisSystem, impersonateLinux26, useHostLoopback, tmpDir);
    }
}
