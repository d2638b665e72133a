package org.jguix.daemon.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Consumer;
import org.jguix.daemon.build.BuildService;
import org.jguix.daemon.config.Settings;
import org.jguix.daemon.server.ConnectionHandler;
import org.jguix.daemon.server.Peer;
import org.jguix.daemon.store.LocalStore;
import org.jguix.wire.ProtocolVersion;

/**
 * Serves the worker protocol on each connection the socket server accepts: one {@link Session} per
 * connection, all sharing one {@link LocalStore}. Holds only immutable daemon-wide configuration;
 * everything a connection changes lives in its {@link SessionState}.
 */
public final class SessionServer implements ConnectionHandler {
    /**
     * Daemon-wide settings the sessions start from.
     *
     * @param settings         the daemon's settings (command line applied)
     * @param startupVerbosity verbosity until a client's SetOptions: Info, or Debug with {@code --debug}
     * @param useBuildHook     offloading allowed ({@code --no-offload} clears it)
     * @param daemonUid        the daemon's uid: clients with it (or root) are trusted
     */
    public record Config(Settings settings, int startupVerbosity, boolean useBuildHook, long daemonUid) {
    }

    private final LocalStore store;
    private final Config config;
    private final OpTable ops;
    private final Substituter.Factory substituter;
    private final UserDirectory users;
    private final Authentication authentication;
    private final Optional<BuildService> builds;
    private final Consumer<String> log;

    /** A server whose sessions cannot build (BuildPaths fails with "not supported"). */
    public SessionServer(LocalStore store, Config config, OpTable ops, Substituter.Factory substituter,
            UserDirectory users, Authentication authentication, Consumer<String> log) {
        this(store, config, ops, substituter, users, authentication, Optional.empty(), log);
    }

    public SessionServer(LocalStore store, Config config, OpTable ops, Substituter.Factory substituter,
            UserDirectory users, Authentication authentication, Optional<BuildService> builds, Consumer<String> log) {
        this.builds = builds;
        this.store = store;
        this.config = config;
        this.ops = ops;
        this.substituter = substituter;
        this.users = users;
        this.authentication = authentication;
        this.log = log;
    }

    @Override
    public void serve(Peer peer, InputStream in, OutputStream out) throws IOException {
        new Session(this, peer).run(in, out);
    }

    OpTable ops() {
        return ops;
    }

    void log(String line) {
        log.accept(line);
    }

    SessionState newState(Peer peer, ProtocolVersion client) {
        return new SessionState(peer, peer.trustedBy(config.daemonUid()), client, store,
                store.tempRoots().newSession(), substituter, users, authentication, builds,
                SessionOptions.initial(config.settings(), config.startupVerbosity(), config.useBuildHook()), log);
    }

    /**
     * The part of {@code processConnection} after the greeting that may fail and is reported to the
     * client: guix-daemon opens its store here; jguix's is open already, so what is left is the
     * per-user profile directory of a Unix-socket client.
     */
    void open(SessionState state) throws IOException {
        long uid = state.peer().uid();
        if (uid == -1) {
            return;
        }
        Optional<String> name = users.nameOf(uid);
        if (name.isPresent()) {
            UserProfiles.create(store.layout(), name.get(), uid, state);
        } else {
            state.log(Verbosity.INFO, "user with UID " + uid + " not found");
        }
    }
}
