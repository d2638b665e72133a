package org.jguix.build.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.HostFacts;
import org.jguix.build.spec.NetworkAccess;
import org.jguix.build.spec.NetworkFacts;

/**
 * Network access of fixed-output builds (build-environment.md §11), the goal's side:
 * {@code startBuilder}'s probes of the host (slirp4netns, {@code /dev/net/tun}, global
 * IPv6, {@code /etc/hosts}), made at every fixed-output build like guix-daemon's; its message when a
 * fixed-output build gets no network; and {@code killChild}'s "killing process" line for
 * slirp4netns when the goal ends. The decision itself is {@link NetworkAccess}'s, the
 * tap device and slirp4netns are the sandbox helper's.
 */
final class FixedOutputNetwork {
    private FixedOutputNetwork() {
    }

    /** {@code host} with the network facts of this moment. */
    static HostFacts probe(HostFacts host) {
        LinkOption nofollow = LinkOption.NOFOLLOW_LINKS;
        boolean slirp = Files.exists(Path.of(NetworkAccess.SLIRP4NETNS), nofollow);
        boolean tun = Files.exists(Path.of("/dev/net/tun"), nofollow);
        boolean ipv6 = false;
        Optional<String> hosts = Optional.empty();
        try {
            Path ifInet6 = Path.of("/proc/net/if_inet6");
            ipv6 = Files.exists(ifInet6) && NetworkFacts.globalIpv6(Files.readString(ifInet6, StandardCharsets.ISO_8859_1));
            Path etcHosts = Path.of("/etc/hosts");
            if (Files.exists(etcHosts, nofollow)) {
                hosts = Optional.of(Files.readString(etcHosts, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // Unreadable: like a host without them (guix would fail the build instead).
        }
        return host.withNetwork(new NetworkFacts(slirp, tun, ipv6, hosts));
    }

    /** The message guix-daemon prints in {@code startBuilder} for a fixed-output build without network. */
    static void announce(BuildEvents events, BuildSpec spec) {
        if (spec.network() instanceof NetworkAccess.Disabled d) {
            events.message(BuildEvents.ERROR, d.message());
        }
    }

    /**
     * {@code Pid::kill} of slirp4netns when the goal is destroyed: guix-daemon says so at
     * error level (the sandbox helper killed it already, when the builder ended).
     */
    static void killed(BuildEvents events, List<Integer> pids) {
        for (int pid : pids) {
            events.message(BuildEvents.ERROR, "killing process " + pid);
        }
    }
}
