package org.jguix.daemon.config;

import java.nio.file.Path;

/** Where the daemon listens: a Unix socket file, or a TCP host and port ({@code --listen}). */
public sealed interface ListenAddress {
    /** guix-daemon's default TCP port. */
    int DEFAULT_TCP_PORT = 44146;

    record Unix(Path path) implements ListenAddress { }

    record Tcp(String host, int port) implements ListenAddress { }

    /**
     * Parses a {@code --listen} argument like {@code guix-daemon.cc:listening_sockets}: a leading
     * {@code /} means a socket file; otherwise {@code HOST} or {@code HOST:PORT}, split at the last
     * colon.
     */
    static ListenAddress parse(String arg) throws SettingsException {
        if (arg.startsWith("/")) {
            return new Unix(Path.of(arg).normalize());
        }
        int colon = arg.lastIndexOf(':');
        if (colon < 0) {
            return new Tcp(arg, DEFAULT_TCP_PORT);
        }
        String host = arg.substring(0, colon);
        String port = arg.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new Tcp(host, p);
        } catch (NumberFormatException e) {
            throw new SettingsException("failed to look up '" + arg + "': Name or service not known");
        }
    }
}
