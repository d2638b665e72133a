package org.jguix.daemon.session;

import java.util.Objects;
import org.jguix.daemon.config.Settings;
import org.jguix.daemon.config.SettingsException;

/**
 * A session's options: what guix-daemon keeps in its globals ({@code settings}, {@code verbosity},
 * {@code logType}) and mutates in {@code wopSetOptions}, here one immutable value per connection that
 * SetOptions replaces ({@link SetOptionsOp}). It starts from the daemon's settings and start-up
 * verbosity.
 *
 * @param settings        the key/value settings ({@code build-use-substitutes}, {@code untrusted-…}, …)
 * @param verbosity       message filter ({@link Verbosity})
 * @param buildVerbosity  level of builder output
 * @param logType         0 pretty ({@code "|   "} per nesting level), 1 escapes, 2 flat
 * @param printBuildTrace emit {@code @ build-…} traces
 * @param keepFailed      keep failed build trees (forced false for TCP clients)
 * @param keepGoing       keep going after a failed build
 * @param useBuildHook    offload builds
 */
public record SessionOptions(Settings settings, int verbosity, int buildVerbosity, int logType,
        boolean printBuildTrace, boolean keepFailed, boolean keepGoing, boolean useBuildHook) {

    /** {@code lvlError}: guix-daemon's default {@code buildVerbosity}. */
    private static final int DEFAULT_BUILD_VERBOSITY = Verbosity.ERROR;

    public SessionOptions {
        Objects.requireNonNull(settings);
    }

    /** Before any SetOptions: the daemon's settings, start-up verbosity, pretty log, no traces. */
    public static SessionOptions initial(Settings daemonSettings, int verbosity, boolean useBuildHook) {
        return new SessionOptions(daemonSettings, verbosity, DEFAULT_BUILD_VERBOSITY, 0, false, false, false,
                useBuildHook);
    }

    /**
     * {@code settings.useSubstitutes} as last parsed by {@code Settings::update}. The settings of a
     * session are validated whenever they change, so this cannot fail on a stored value.
     */
    public boolean useSubstitutes() {
        try {
            return settings.getBool("build-use-substitutes", true);
        } catch (SettingsException e) {
            throw new IllegalStateException("unvalidated settings: " + e.getMessage(), e);
        }
    }
}
