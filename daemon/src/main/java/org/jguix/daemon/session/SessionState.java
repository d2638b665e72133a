package org.jguix.daemon.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jguix.build.substitute.QueryAgent;
import org.jguix.daemon.build.BuildService;
import org.jguix.daemon.config.SettingsException;
import org.jguix.daemon.server.Peer;
import org.jguix.daemon.store.LocalStore;
import org.jguix.store.StoreException;
import org.jguix.store.TempRoots;
import org.jguix.store.transfer.Authenticator;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.WireReader;

/**
 * What an {@link OpHandler} sees of its connection: who the client is, the shared store, this
 * connection's temp roots and options, and its stderr channel for log messages. One per connection,
 * used by that connection's thread only.
 */
public final class SessionState implements AutoCloseable {
    private final Peer peer;
    private final boolean trusted;
    private final ProtocolVersion client;
    private final LocalStore store;
    private final TempRoots.Session tempRoots;
    private final Substituter.Factory substituters;
    private Substituter substituter;
    private final UserDirectory users;
    private final Authentication authentication;
    private final Optional<BuildService> builds;
    private final Consumer<String> daemonLog;
    private Authenticator agent;
    private StderrChannel stderr;
    private WireReader input;
    private HangupWatch hangups;
    private SessionOptions options;

    SessionState(Peer peer, boolean trusted, ProtocolVersion client, LocalStore store,
            TempRoots.Session tempRoots, Substituter.Factory substituters, UserDirectory users, Authentication authentication,
            Optional<BuildService> builds, SessionOptions options, Consumer<String> daemonLog) {
        this.builds = builds;
        this.peer = peer;
        this.trusted = trusted;
        this.client = client;
        this.store = store;
        this.tempRoots = tempRoots;
        this.substituters = substituters;
        this.users = users;
        this.authentication = authentication;
        this.options = Objects.requireNonNull(options);
        this.daemonLog = daemonLog;
    }

    void attach(StderrChannel channel, WireReader requests, HangupWatch hangupWatch) {
        this.hangups = hangupWatch;
        this.stderr = channel;
        this.input = requests;
    }

    /**
     * The request stream just after the decoded request, for data sent inline and unframed
     * (AddToStore's NAR). Only valid while preparing that operation; reads count towards the
     * wire reader's offset.
     */
    public InputStream inlineInput() {
        return input.rawStream();
    }

    /**
     * ExportPath's sink ({@code TunnelSink}): {@code STDERR_WRITE} frames on the reply stream. Only in
     * work; the caller flushes it before the operation ends, on success and on error.
     */
    public OutputStream tunnelSink() {
        return stderr.tunnelSink();
    }

    /**
     * ImportPaths' source ({@code TunnelSource}): data pulled from the client with {@code STDERR_READ}
     * as it is read. Only in work; never read past the end of what the client has to send.
     */
    public InputStream tunnelSource() {
        return stderr.tunnelSource(input);
    }

    /** {@code settings.nixConfDir}: where the signing key pair is. */
    public Path configDir() {
        return authentication.configDir();
    }

    /**
     * This session's {@code guix authenticate} agent (see {@link Authentication}), made on its first
     * request: an unsigned export asks nothing and starts nothing.
     */
    public Authenticator authenticator() {
        return new Authenticator() {
            @Override
            public byte[] sign(Path secretKey, String hexHash) throws IOException {
                return agent().sign(secretKey, hexHash);
            }

            @Override
            public String verify(byte[] signature) throws IOException {
                return agent().verify(signature);
            }
        };
    }

    private Authenticator agent() throws IOException {
        if (agent == null) {
            agent = authentication.open();
        }
        return agent;
    }

    public Peer peer() {
        return peer;
    }

    /** {@code trusted} of {@code acceptConnection}: root or the daemon's uid over a Unix socket. */
    public boolean trusted() {
        return trusted;
    }

    /** The client's protocol version (its minor gates fields). */
    public ProtocolVersion client() {
        return client;
    }

    public LocalStore store() {
        return store;
    }

    /** This connection's temp roots, released when it ends. */
    public TempRoots.Session tempRoots() {
        return tempRoots;
    }

    /**
     * This connection's substituter, made on first use ({@code LocalStore::substituter}): its query
     * agent starts with {@code _NIX_OPTIONS} from the settings of that moment, and its messages go to
     * this client.
     */
    public synchronized Substituter substituter() {
        if (substituter == null) {
            substituter = substituters.open(() -> Map.of("_NIX_OPTIONS", packedSettings()), new QueryAgent.Output() {
                @Override
                public void raw(byte[] bytes) {
                    try {
                        if (stderr != null) {
                            stderr.raw(bytes);
                        }
                    } catch (IOException e) {
                        daemonLog.accept("cannot send a message to the client: " + e.getMessage());
                    }
                }

                @Override
                public void error(String text) {
                    log(Verbosity.ERROR, text);
                }
            });
        }
        return substituter;
    }

    /** {@code settings.pack()} of this session's settings. */
    String packedSettings() throws StoreException {
        try {
            return options.settings().pack();
        } catch (SettingsException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    public UserDirectory users() {
        return users;
    }

    public SessionOptions options() {
        return options;
    }

    /**
     * Runs {@code onHangup} if the client closes the connection while the current operation runs
     * (BuildPaths: its builders are then killed). Only while no request data is expected.
     */
    void watchForHangup(Runnable onHangup) {
        if (hangups != null) {
            hangups.watch(onHangup);
        }
    }

    /** The daemon's builder, if this daemon builds. */
    public Optional<BuildService> builds() {
        return builds;
    }

    /** This connection's stderr channel (log messages, nesting, raw builder output). */
    StderrChannel stderr() {
        return stderr;
    }

    /** Replaces the options (SetOptions). */
    public void setOptions(SessionOptions next) {
        this.options = Objects.requireNonNull(next);
    }

    /** {@code assertStorePath}: error {@code path `P' is not in the store}. */
    public void assertStorePath(String path) throws StoreException {
        store.layout().assertStorePath(path);
    }

    /**
     * {@code printMsg(level, text)}: to the client while an operation is in work, else to the daemon's
     * log. A client that went away is noticed by the next reply, not here.
     */
    public void log(int level, String text) {
        try {
            if (stderr == null) {
                daemonLog.accept(text);
            } else {
                stderr.message(level, text);
            }
        } catch (IOException e) {
            daemonLog.accept("cannot send a message to the client: " + e.getMessage());
        }
    }

    /** {@link #log} for several lines at once (one write to the client). */
    public void log(int level, List<String> texts) {
        try {
            if (stderr == null) {
                texts.forEach(daemonLog);
            } else {
                stderr.messages(level, texts);
            }
        } catch (IOException e) {
            daemonLog.accept("cannot send a message to the client: " + e.getMessage());
        }
    }

    /** Ends this connection's agents, if it had any, and releases its temp roots. */
    @Override
    public void close() throws IOException {
        if (agent != null) {
            authentication.release(agent);
        }
        synchronized (this) {
            if (substituter != null) {
                substituter.close();
            }
        }
        tempRoots.close();
    }
}
