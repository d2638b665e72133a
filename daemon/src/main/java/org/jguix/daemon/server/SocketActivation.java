package org.jguix.daemon.server;

import java.util.Map;

/**
 * systemd socket activation as guix-daemon does it ({@code guix-daemon.cc:systemd_activation_sockets}):
 * when {@code LISTEN_PID} is this process's pid and {@code LISTEN_FDS} is a whole number N, the
 * listening sockets are fds 3 to 3+N-1 and {@code --listen} is ignored. {@code LISTEN_FDNAMES} is not
 * read, and anything else (another pid, a malformed count, 0) means not activated.
 */
public final class SocketActivation {
    /** {@code SD_LISTEN_FDS_START}. */
    public static final int FIRST_FD = 3;

    private SocketActivation() {
    }

    /** How many sockets systemd handed over to process {@code pid}; 0 if it was not socket-activated. */
    public static int socketCount(Map<String, String> env, long pid) {
        if (!Long.toString(pid).equals(env.get("LISTEN_PID"))) {
            return 0;
        }
        String fds = env.getOrDefault("LISTEN_FDS", "");
        // string2Int into an unsigned int: digits only, nothing around them.
        if (fds.isEmpty() || fds.length() > 9 || !fds.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Integer.parseInt(fds);
    }

    /**
     * What guix-daemon 1.5.0 logs, verbatim: its {@code ngettext} strings reach {@code std::vformat}
     * with the old boost placeholder, so the count is printed as a literal {@code %1%} (real daemon,
     * scenario socket-activation).
     */
    public static String message(int count) {
        return count == 1 ? "socket-activated with %1% socket" : "socket-activated with %1% sockets";
    }
}
