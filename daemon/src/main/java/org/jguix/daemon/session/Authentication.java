package org.jguix.daemon.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jguix.store.StoreException;
import org.jguix.store.transfer.AuthenticateAgent;
import org.jguix.store.transfer.Authenticator;

/**
 * The daemon-wide side of ExportPath's and ImportPaths' signatures: the directory of the signing key
 * pair ({@code settings.nixConfDir}, i.e. {@code GUIX_CONFIGURATION_DIRECTORY}) and the owner of the
 * {@code guix authenticate} agents. A daemon component: created at start-up, closed at shutdown.
 *
 * <p>Why one agent per session and not one per daemon: guix-daemon starts its agent lazily in a
 * function-static ({@code local-store.cc:authenticationAgent}) of the process serving the connection,
 * so each connection that signs or verifies gets an agent of its own, and the agent reads the ACL
 * ({@code /etc/guix/acl}) once, when it starts ({@code guix/scripts/authenticate.scm}). jguix serves all
 * connections from one process; a daemon-wide agent would keep the ACL it read first, and an import
 * after {@code guix archive --authorize} in a later connection would still be refused (the
 * export-import scenario does exactly that). So a session {@link #open}s an agent on first use — its
 * process starts on the first request, so sessions that never sign or verify never start Guile — and
 * {@link #release}s it when it ends; {@link #close} ends the agents of sessions still running.
 * Thread-safe.
 */
public final class Authentication implements AutoCloseable {
    private final Path configDir;
    private final Supplier<? extends Authenticator> agents;
    private final Set<Authenticator> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param configDir where {@code signing-key.sec} is ({@code /etc/guix} by default)
     * @param agents    makes one session's agent (tests pass fakes)
     */
    public Authentication(Path configDir, Supplier<? extends Authenticator> agents) {
        this.configDir = Objects.requireNonNull(configDir);
        this.agents = Objects.requireNonNull(agents);
    }

    /** The real helper: {@code $GUIX authenticate} ({@code settings.guixProgram}), run as guix-daemon runs it. */
    public static Authentication agents(Path configDir, Path guixProgram) {
        return new Authentication(configDir, () -> new AuthenticateAgent(guixProgram));
    }

    /** The directory holding {@code signing-key.sec} and {@code signing-key.pub}. */
    Path configDir() {
        return configDir;
    }

    /** A new agent for one session, to be {@link #release}d when the session ends. */
    Authenticator open() throws StoreException {
        if (closed) {
            throw new StoreException("the daemon is shutting down");
        }
        Authenticator agent = agents.get();
        live.add(agent);
        if (closed) { // close() ran while this one was being made
            release(agent);
            throw new StoreException("the daemon is shutting down");
        }
        return agent;
    }

    /** Ends a session's agent (closes its stdin, kills it: {@code Agent::~Agent}). */
    void release(Authenticator agent) {
        if (live.remove(agent) && agent instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // the agent is gone either way; AuthenticateAgent.close() throws nothing
            }
        }
    }

    /** Daemon shutdown: ends the agents of the sessions still running. */
    @Override
    public void close() {
        closed = true;
        for (Authenticator agent : List.copyOf(live)) {
            release(agent);
        }
    }
}
