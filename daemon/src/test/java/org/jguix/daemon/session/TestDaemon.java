package org.jguix.daemon.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jguix.daemon.build.BuildService;
import org.jguix.daemon.config.DaemonConfig;
import org.jguix.daemon.config.DaemonPaths;
import org.jguix.daemon.config.Settings;
import org.jguix.daemon.server.Peer;
import org.jguix.daemon.store.LocalStore;
import org.jguix.hash.Hash;
import org.jguix.store.StoreLayout;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePaths;
import org.jguix.wire.ClientHello;
import org.jguix.wire.Handshake;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;
import org.jguix.wire.WireWriter;

/**
 * Test support: a jguix daemon minus sockets over a temporary store with the logical store directory
 * {@code /gnu/store} (so store paths equal the real daemon's), started like the fixture generator's
 * guix-daemon ({@code --no-substitutes}), with a fixed clock and a trusted peer of the test's own
 * uid (optionally building: {@link #TestDaemon(Path, Settings, Path, boolean)}). {@link #replay} runs
 * one session over given client bytes and returns what it sent back.
 */
final class TestDaemon implements AutoCloseable {
    /** The registration time the real daemon recorded in fixtures/wire/query-path-info. */
    static final long FIXTURE_TIME = 1_795_435_974L;
    static final int UID = uid();

    final Path root;
    final LocalStore store;
    final SessionServer server;
    /** {@code GUIX_CONFIGURATION_DIRECTORY}: holds a {@code signing-key.sec} of mode 0600. */
    final Path configDir;
    final FakeAuthenticator authenticator = new FakeAuthenticator();
    final Authentication authentication;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /** The builder, if this daemon builds. */
    final Optional<BuildService> builds;

    TestDaemon(Path root) throws IOException {
        this(root, Settings.DEFAULTS.with("build-use-substitutes", "false"));
    }

    TestDaemon(Path root, Settings settings) throws IOException {
        this(root, settings, Path.of("/proc"));
    }

    /** With {@code proc} instead of {@code /proc} for the collector's busy items. */
    TestDaemon(Path root, Settings settings, Path proc) throws IOException {
        this(root, settings, proc, false);
    }

    /**
     * With {@code builds}, the daemon also builds, as {@code jguix-daemon --disable-chroot} run by
     * this uid without build users (mode D: the builder is spawned on the host, no namespaces), so
     * its store is a real directory, {@code root/store}, and store paths are under it rather than
     * {@code /gnu/store}; {@code settings} must then turn the chroot off.
     */
    TestDaemon(Path root, Settings settings, Path proc, boolean builds) throws IOException {
        this.root = root;
        StoreLayout layout = builds ? new StoreLayout(root.resolve("store"), root.resolve("var/guix"),
                root.resolve("var/guix/db")) : StoreLayout.under(root);
        this.store = LocalStore.open(new LocalStore.Config(layout,
                Clock.fixed(Instant.ofEpochSecond(FIXTURE_TIME), ZoneOffset.UTC), UID, gid(), OptionalInt.empty(),
                false, true, true, log::add).withProc(proc));
        this.configDir = root.resolve("etc/guix");
        Files.createDirectories(configDir);
        Files.writeString(configDir.resolve("signing-key.sec"), "(fake secret key)\n");
        Files.setPosixFilePermissions(configDir.resolve("signing-key.sec"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        this.authentication = new Authentication(configDir, () -> authenticator);
        this.builds = builds ? Optional.of(BuildService.create(store.db(), new DaemonConfig(settings,
                new DaemonPaths(layout.storeDir(), layout.stateDir(), layout.dbDir(), root.resolve("log"), configDir,
                        Path.of("/nonexistent/guix")), List.of(), DaemonConfig.LogCompression.NONE, true, false),
                UID, gid())) : Optional.empty();
        this.server = new SessionServer(store, new SessionServer.Config(settings, Verbosity.INFO, true, UID),
                OpTable.standard(), Substituter.NONE, users(), authentication, this.builds, log::add);
    }

    /** A local client of the daemon's own uid: trusted. */
    static Peer trustedPeer() {
        return new Peer(4242, UID, -1, false, "unix");
    }

    /** Runs one session from {@code c2d}; returns the daemon's bytes. */
    byte[] replay(byte[] c2d) throws IOException {
        return replay(trustedPeer(), new ByteArrayInputStream(c2d));
    }

    byte[] replay(Peer peer, InputStream c2d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server.serve(peer, c2d, out);
        return out.toByteArray();
    }

    /** Serves a session on the given streams (for concurrent clients). */
    void serve(InputStream in, OutputStream out) throws IOException {
        server.serve(trustedPeer(), in, out);
    }

    /** Adds a text item as the fixture generator's set-up connection did. */
    String addText(String name, String contents, String... refs) throws IOException {
        StringBuilder type = new StringBuilder("text");
        for (String r : new java.util.TreeSet<>(List.of(refs))) {
            type.append(':').append(r);
        }
        byte[] bytes = contents.getBytes(StandardCharsets.UTF_8);
        String path = StorePaths.makeStorePath(StoreDir.of("/gnu/store"), type.toString(), Hash.sha256(bytes), name)
                .absolute();
        store.writer().add(path, t -> Files.write(t, bytes), List.of(refs), Optional.empty(), null);
        return path;
    }

    /** Registers {@code path} with arbitrary content (for items the tests cannot rebuild). */
    void addOpaque(String path, String contents, Optional<String> deriver) throws IOException {
        store.writer().add(path, t -> Files.writeString(t, contents), List.of(), deriver, null);
    }

    /** The items every fixture script's set-up made: hello.txt and ref.txt (which refers to it). */
    String[] addHelloAndRef() throws IOException {
        String hello = addText("hello.txt", "hello world\n");
        String ref = addText("ref.txt", "see " + hello + "\n", hello);
        return new String[] {hello, ref};
    }

    /** Client bytes: the Guix 1.5.0 handshake, then the given requests. */
    static byte[] client(Request... requests) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WireWriter w = new WireWriter(bytes);
        Handshake.writeClientMagic(w);
        Handshake.writeClientHello(w, ClientHello.GUIX_DEFAULT);
        for (Request q : requests) {
            Operation.writeRequest(w, q, ClientHello.GUIX_DEFAULT.version());
        }
        w.flush();
        return bytes.toByteArray();
    }

    @Override
    public void close() throws IOException {
        authentication.close();
        if (builds.isPresent()) {
            builds.get().close();
        }
        store.close();
    }

    private static UserDirectory users() {
        return new UserDirectory() {
            @Override
            public Optional<String> nameOf(long uid) {
                return uid == UID ? Optional.of("tester") : Optional.empty();
            }

            @Override
            public OptionalLong uidOf(String name) {
                return name.equals("tester") ? OptionalLong.of(UID) : OptionalLong.empty();
            }
        };
    }

    private static int uid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }

    private static int gid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getGid();
    }
}
