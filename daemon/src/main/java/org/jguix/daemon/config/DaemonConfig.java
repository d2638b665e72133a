package org.jguix.daemon.config;

import java.util.List;

/**
 * Everything the daemon was started with, resolved once at start-up.
 *
 * @param settings       the settings map (command-line options applied)
 * @param paths          directories from the environment
 * @param listen         sockets to listen on; empty means the default socket
 * @param logCompression compression of build logs
 * @param useBuildHook   whether builds may be offloaded ({@code --no-offload} clears it)
 * @param debug          {@code --debug}: verbose daemon log until a client's SetOptions says otherwise
 */
public record DaemonConfig(Settings settings, DaemonPaths paths, List<ListenAddress> listen,
                           LogCompression logCompression, boolean useBuildHook, boolean debug) {

    public enum LogCompression { NONE, GZIP, BZIP2 }

    public DaemonConfig {
        listen = List.copyOf(listen);
    }

    /** The sockets actually bound: the {@code --listen} list, or the default socket. */
    public List<ListenAddress> effectiveListen() {
        return listen.isEmpty() ? List.of(new ListenAddress.Unix(paths.defaultSocket())) : listen;
    }
}
