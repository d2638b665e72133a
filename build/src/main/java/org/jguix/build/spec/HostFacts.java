package org.jguix.build.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the daemon's host looks like, as far as a build spec depends on it; gathered by
 * the caller (I/O) and injected, so the spec stays a pure function.
 *
 * @param daemonEnv     the daemon process's environment ({@code impureEnvVars} of
 *                      fixed-output builds read it; a missing name gives {@code ""})
 * @param existingFiles which of {@code /dev/kvm}, {@code /dev/pts/ptmx}, {@code /etc/hosts},
 *                      {@code /etc/resolv.conf}, {@code /etc/services}, {@code /etc/nsswitch.conf} exist
 * @param machine       {@code uname -m} (personality: i686 builds on x86_64)
 * @param rlimits       limits to give the builder instead of the JVM's (empty: inherit).
 *                      guix-daemon's builders inherit the daemon's; a JVM raises its own
 *                      open-files soft limit to the hard limit ({@code -XX:+MaxFDLimit}),
 *                      so the launcher should record the limits it was started with.
 */
public record HostFacts(SortedMap<String, String> daemonEnv, Set<String> existingFiles, String machine,
        List<ResourceLimit> rlimits) {
    public HostFacts {
        daemonEnv = new TreeMap<>(daemonEnv);
        existingFiles = Set.copyOf(existingFiles);
        Objects.requireNonNull(machine, "machine");
        rlimits = List.copyOf(rlimits);
    }

    /** Host facts from a plain map of the environment. */
    public static HostFacts of(Map<String, String> daemonEnv, Set<String> existingFiles, String machine,
            List<ResourceLimit> rlimits) {
        return new HostFacts(new TreeMap<>(daemonEnv), existingFiles, machine, rlimits);
    }

    public boolean exists(String path) {
        return existingFiles.contains(path);
    }
}
