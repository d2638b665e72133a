package org.jguix.daemon.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The directories guix-daemon derives from its environment ({@code Settings::processEnvironment}):
 * store, state, database, log and configuration directories, and the {@code guix} program used
 * for helpers. Taken from an explicit map so tests need not touch the real environment.
 */
public record DaemonPaths(Path storeDir, Path stateDir, Path dbDir, Path logDir, Path configDir, Path guixProgram) {

    public static DaemonPaths fromEnvironment(Map<String, String> env) {
        Path store = Path.of(first(env, "/gnu/store", "NIX_STORE_DIR", "NIX_STORE")).normalize();
        Path state = Path.of(first(env, "/var/guix", "GUIX_STATE_DIRECTORY")).normalize();
        // Like guix-daemon, the database directory is taken as given (not canonicalised).
        Path db = Path.of(first(env, state + "/db", "GUIX_DATABASE_DIRECTORY"));
        Path log = Path.of(first(env, "/var/log/guix", "GUIX_LOG_DIRECTORY"));
        Path conf = Path.of(first(env, "/etc/guix", "GUIX_CONFIGURATION_DIRECTORY"));
        Path guix = Path.of(first(env, first(env, "/usr/bin", "NIX_BIN_DIR") + "/guix", "GUIX"));
        return new DaemonPaths(store, state, db, log, conf, guix);
    }

    /** The default socket, {@code $GUIX_STATE_DIRECTORY/daemon-socket/socket}. */
    public Path defaultSocket() {
        return stateDir.resolve("daemon-socket").resolve("socket");
    }

    // getEnv in guix-daemon treats a variable set to "" as set; so do we.
    private static String first(Map<String, String> env, String fallback, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null) {
                return v;
            }
        }
        return fallback;
    }
}
