package org.jguix.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jguix.daemon.cli.DaemonCommandLine;
import org.jguix.daemon.cli.Invocation;
import org.jguix.wire.ByteString;
import org.jguix.wire.ClientHello;
import org.jguix.wire.Handshake;
import org.jguix.wire.Operation;
import org.jguix.wire.ProtocolVersion;
import org.jguix.wire.Request;
import org.jguix.wire.StderrCodec;
import org.jguix.wire.StderrFrame;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;

/**
 * Not a daemon: the workload {@code scripts/launch} runs once, under {@code -XX:ArchiveClassesAtExit},
 * to record the daemon's start-up archive (see the launcher). It starts a real daemon
 * ({@link DaemonMain#run}) on a throw-away store and socket in a temporary directory, then talks to it
 * over the socket the way a Guix client opens a session and uses it (handshake, AddTextToStore,
 * the path queries), so that the classes of start-up and of a first session are in the archive. It
 * exits when done; nothing it does depends on or touches the real store.
 */
public final class DaemonTraining {
    private static final ProtocolVersion VERSION = ClientHello.GUIX_DEFAULT.version();

    private DaemonTraining() {
    }

    public static void main(String[] args) {
        // The launcher waits for this run: whatever goes wrong, end it (a non-zero status means no cache).
        Thread.ofPlatform().daemon().name("training-watchdog").start(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1);
        });
        try {
            train();
        } catch (Exception | Error e) {
            System.err.println("jguix-daemon training: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void train() throws Exception {
        Path dir = Files.createTempDirectory("jguix-daemon-training");
        Path socket = dir.resolve("socket");
        Map<String, String> env = Map.of("NIX_STORE_DIR", dir.resolve("store").toString(),
                "GUIX_STATE_DIRECTORY", dir.resolve("state").toString(),
                "GUIX_LOG_DIRECTORY", dir.resolve("log").toString(),
                "GUIX_CONFIGURATION_DIRECTORY", dir.resolve("etc").toString());
        Invocation inv = new DaemonCommandLine("jguix-daemon").parse(List.of("--listen=" + socket), env);
        if (!(inv instanceof Invocation.Run run)) {
            throw new IllegalStateException("training command line refused: " + inv);
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Thread daemon = Thread.ofPlatform().daemon().name("training-daemon")
                .start(() -> DaemonMain.run(run.config(), quiet));
        try {
            for (int round = 0; round < 3; round++) {
                session(socket, dir.resolve("store").toString(), round);
            }
        } finally {
            // The daemon thread dies with the JVM; its store goes with the directory.
            daemon.interrupt();
            deleteQuietly(dir);
        }
    }

    private static void session(Path socket, String storeDir, int round)
            throws IOException, InterruptedException {
        try (SocketChannel ch = connect(socket)) {
            WireReader in = new WireReader(new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024));
            WireWriter out = new WireWriter(new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024));
            Handshake.writeClientMagic(out);
            out.flush();
            Handshake.readDaemonGreeting(in);
            Handshake.writeClientHello(out, ClientHello.GUIX_DEFAULT);
            out.flush();
            awaitLast(in);
            List<String> added = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                List<String> refs = added.isEmpty() ? List.of() : List.of(added.get(added.size() - 1));
                added.add(call(in, out, Operation.ADD_TEXT_TO_STORE, new Request.AddTextToStore("training-" + round
                        + "-" + i, ByteString.utf8("training text " + round + " " + i + "\n"), refs)));
            }
            String missing = storeDir + "/" + "0".repeat(32) + "-missing";
            for (String p : added) {
                call(in, out, Operation.IS_VALID_PATH, new Request.IsValidPath(p));
                call(in, out, Operation.IS_VALID_PATH, new Request.IsValidPath(missing));
                call(in, out, Operation.QUERY_PATH_INFO, new Request.QueryPathInfo(p));
                call(in, out, Operation.QUERY_REFERENCES, new Request.QueryReferences(p));
                String hashPart = p.substring(storeDir.length() + 1, storeDir.length() + 33);
                call(in, out, Operation.QUERY_PATH_FROM_HASH_PART, new Request.QueryPathFromHashPart(hashPart));
            }
        }
    }

    /** Connects once the daemon listens (the socket file appears at bind, before listen). */
    private static SocketChannel connect(Path socket) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return ch;
            } catch (IOException e) {
                ch.close();
                if (attempt >= 2000) {
                    throw e;
                }
                Thread.sleep(5);
            }
        }
    }

    private static <Q extends Request, P> P call(WireReader in, WireWriter out, Operation<Q, P> op, Q q)
            throws IOException {
        op.write(out, q, VERSION);
        out.flush();
        awaitLast(in);
        return op.readReply(in, VERSION);
    }

    private static void awaitLast(WireReader in) throws IOException {
        while (true) {
            StderrFrame f = StderrCodec.read(in, VERSION);
            switch (f) {
                case StderrFrame.Last l -> {
                    return;
                }
                case StderrFrame.Error e -> throw new IOException("training daemon: " + e.message());
                default -> { } // log lines
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            org.jguix.nar.TreeDeleter.delete(dir);
        } catch (IOException | RuntimeException e) {
            // a temporary directory; the system cleans it up eventually
        }
    }
}
