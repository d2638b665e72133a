package org.jguix.build.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The network a chrooted builder gets (build-environment.md §11). Every chrooted build has
 * its own network namespace; only fixed-output builds get more than a loopback, through
 * slirp4netns, when the host has it and {@code /dev/net/tun}.
 */
public sealed interface NetworkAccess {
    /** guix-daemon's configure-time {@code SLIRP4NETNS} (Debian's build). */
    String SLIRP4NETNS = "/usr/bin/slirp4netns";

    /** A non-fixed-output build: a private loopback, nothing else. */
    record Private() implements NetworkAccess {
    }

    /**
     * A fixed-output build without network; {@code message} is what guix-daemon prints
     * at error level, e.g. {@code `/dev/net/tun' is missing, network access disabled}.
     */
    record Disabled(String message) implements NetworkAccess {
        public Disabled {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A fixed-output build with slirp4netns ({@code setupTap}, {@code spawnSlirp4netns}).
     *
     * @param program       slirp4netns
     * @param argv          its argv, {@code argv[0]} first; the sandbox helper gives it the
     *                      ready fd as 3 and the tap fd as 4
     * @param ipv6          {@code fd00::80/64} on tap0 and a default IPv6 route (host has global IPv6)
     * @param routeLocalnet {@code enableRouteLocalnet}: the host loopback may be used
     * @param uid           what uid 0 of slirp4netns's innermost user namespace is on the host
     *                      (the build user, else the daemon's uid)
     * @param gid           the same for gid 0
     * @param userNamespace non-root daemon: slirp4netns gets a user namespace with these
     *                      maps ({@code uid uid 1}, {@code gid gid 1}), uid map first
     * @param root          where its tmpfs chroot is mounted: the daemon's {@code TMPDIR}
     * @param seccomp       {@code slirpSeccompFilter} (no abstract unix sockets, no ptrace)
     */
    record Slirp(String program, List<String> argv, boolean ipv6, boolean routeLocalnet, int uid, int gid,
            Optional<List<String>> userNamespace, String root, boolean seccomp) implements NetworkAccess {
        public Slirp {
            Objects.requireNonNull(program, "program");
            argv = List.copyOf(argv);
            Objects.requireNonNull(userNamespace, "userNamespace");
            userNamespace = userNamespace.map(List::copyOf);
            Objects.requireNonNull(root, "root");
        }
    }

    /** The decision of {@code startBuilder} for a chrooted build. */
    static NetworkAccess of(BuildInputs in, BuildSettings settings, HostFacts host) {
        if (!in.fixedOutput()) {
            return new Private();
        }
        NetworkFacts net = host.network();
        if (!net.slirp4netns()) {
            return new Disabled("`" + SLIRP4NETNS + "' can't be found in PATH, network access disabled");
        }
        if (!net.tunDevice()) {
            return new Disabled("`/dev/net/tun' is missing, network access disabled");
        }
        List<String> argv = new ArrayList<>(List.of("slirp4netns", "--netns-type=tapfd", "--enable-sandbox",
                "--enable-ipv6", "--ready-fd=3"));
        if (!settings.useHostLoopback()) {
            argv.add("--disable-host-loopback");
        }
        argv.add("4");
        // slirp4netns runs as the build user if there is one, else as the daemon.
        int uid;
        int gid;
        Optional<List<String>> userns = Optional.empty();
        switch (in.identity()) {
            case BuildIdentity.BuildUser u -> {
                uid = u.uid();
                gid = u.gid();
            }
            case BuildIdentity.UserNamespace ns -> {
                uid = ns.hostUid();
                gid = ns.hostGid();
                if (ns.hostUid() != 0) {
                    userns = Optional.of(List.of(uid + " " + uid + " 1", gid + " " + gid + " 1\n"));
                }
            }
        }
        return new Slirp(SLIRP4NETNS, argv, net.globalIpv6(), settings.useHostLoopback(), uid, gid, userns,
                settings.tmpDir(), true);
    }
}
