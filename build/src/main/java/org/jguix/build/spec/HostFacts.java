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
 * @param network       slirp4netns, {@code /dev/net/tun}, IPv6 and {@code /etc/hosts} for
 *                      fixed-output builds (guix-daemon probes them at every build)
 */
public record HostFacts(SortedMap<String, String> daemonEnv, Set<String> existingFiles, String machine,
        List<ResourceLimit> rlimits, NetworkFacts network) {
    public HostFacts {
        daemonEnv = new TreeMap<>(daemonEnv);
        existingFiles = Set.copyOf(existingFiles);
        Objects.requireNonNull(machine, "machine");
        rlimits = List.copyOf(rlimits);
        Objects.requireNonNull(network, "network");
    }

    /** Host facts from a plain map of the environment, on a host without slirp4netns. */
    public static HostFacts of(Map<String, String> daemonEnv, Set<String> existingFiles, String machine,
            List<ResourceLimit> rlimits) {
        return new HostFacts(new TreeMap<>(daemonEnv), existingFiles, machine, rlimits, NetworkFacts.NONE);
    }

    /** These facts with {@code network} probed (per build, as guix-daemon does). */
    public HostFacts withNetwork(NetworkFacts network) {
        return new HostFacts(daemonEnv, existingFiles, machine, rlimits, network);
    }

    public boolean exists(String path) {
        return existingFiles.contains(path);
    }
}
