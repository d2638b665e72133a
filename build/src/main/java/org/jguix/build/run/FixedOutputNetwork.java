package org.jguix.build.run;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Network access of fixed-output builds (build-environment.md §11). guix-daemon gives them
 * a network through {@code slirp4netns} in their own network namespace when the program
 * and {@code /dev/net/tun} exist, and otherwise says why it cannot and builds them with
 * no network. jguix does not run slirp4netns yet, so it always builds them without network
 * and says so in guix-daemon's words when the daemon would not have had one either.
 */
final class FixedOutputNetwork {
    /** guix-daemon's configure-time {@code SLIRP4NETNS} (Debian's build). */
    static final String SLIRP4NETNS = "/usr/bin/slirp4netns";

    private FixedOutputNetwork() {
    }

    /** The message guix-daemon prints in {@code startBuilder} for a fixed-output build. */
    static void announce(BuildEvents events) {
        if (!Files.isExecutable(Path.of(SLIRP4NETNS))) {
            events.message(BuildEvents.ERROR, "`" + SLIRP4NETNS + "' can't be found in PATH, network access disabled");
        } else if (!Files.exists(Path.of("/dev/net/tun"))) {
            events.message(BuildEvents.ERROR, "`/dev/net/tun' is missing, network access disabled");
        } else {
            events.message(BuildEvents.ERROR, "network access through `" + SLIRP4NETNS
                    + "' is not supported yet by jguix, network access disabled");
        }
    }
}
