package org.jguix.build.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code startBuilder} probes on the host, at every build, to give fixed-output
 * builds a network (build-environment.md §11); gathered by the caller (I/O) like the
 * rest of {@link HostFacts}.
 *
 * @param slirp4netns {@link NetworkAccess#SLIRP4NETNS} exists ({@code findProgram})
 * @param tunDevice   {@code /dev/net/tun} exists
 * @param globalIpv6  the host has a global IPv6 address ({@code haveGlobalIPv6Address}:
 *                    a line of {@code /proc/net/if_inet6} with scope {@code 00} or {@code 40})
 * @param hosts       the host's {@code /etc/hosts} (ISO-8859-1), if it exists: rewritten into
 *                    the chroot of fixed-output builds that may use the host loopback
 */
public record NetworkFacts(boolean slirp4netns, boolean tunDevice, boolean globalIpv6, Optional<String> hosts) {
    /** A host without slirp4netns (nothing else matters then). */
    public static final NetworkFacts NONE = new NetworkFacts(false, false, false, Optional.empty());

    public NetworkFacts {
        Objects.requireNonNull(hosts, "hosts");
    }

    /** {@code haveGlobalIPv6Address} over the text of {@code /proc/net/if_inet6}. */
    public static boolean globalIpv6(String ifInet6) {
        for (String line : ifInet6.split("\n")) {
            String[] f = line.trim().split("[ \t]+");
            if (f.length > 3 && (f[3].equals("00") || f[3].equals("40"))) {
                return true;
            }
        }
        return false;
    }
}
