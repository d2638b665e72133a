package org.jguix.daemon.session;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jguix.build.substitute.SubstituteAgent;
import org.jguix.build.substitute.SubstituteInfo;
import org.jguix.build.substitute.Substitutes;
import org.jguix.store.StoreException;

/**
 * A build request's {@link Substitutes}: this connection's query agent (guix-daemon's worker asks
 * {@code worker.store}, the connection's {@code LocalStore}, so a build's queries share the agent, and
 * its messages, with the connection's RPCs) and substitute agents started with the session's settings
 * plus {@code deduplicate=yes|no} ({@code SubstitutionGoal::tryToRun}).
 */
final class SessionSubstitutes implements Substitutes {
    private final SessionState session;
    private final boolean enabled;

    SessionSubstitutes(SessionState session) {
        this.session = session;
        this.enabled = session.options().useSubstitutes();
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public Optional<SubstituteInfo> info(String path) throws IOException {
        if (!enabled) {
            return Optional.empty();
        }
        return Optional.ofNullable(session.substituter().infos(List.of(path)).get(path));
    }

    @Override
    public SubstituteAgent startAgent() throws IOException {
        boolean dedup;
        try {
            dedup = session.options().settings().getBool("auto-optimise-store", true);
        } catch (org.jguix.daemon.config.SettingsException e) {
            throw new StoreException(e.getMessage(), e);
        }
        // Appended without a newline, as guix-daemon does.
        String options = session.packedSettings() + "deduplicate=" + (dedup ? "yes" : "no");
        return session.substituter().startAgent(Map.of("_NIX_OPTIONS", options));
    }
}
