package org.jguix.daemon.server;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import org.jguix.daemon.config.ListenAddress;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Accepts connections on every listening socket and serves each on its own platform thread, so an
 * idle client costs a thread's stack instead of guix-daemon's forked process. Not virtual threads:
 * junixsocket (2.10) lets a virtual thread wait for input by handing a poll(2) to another thread,
 * which, with the common pool's parallelism of 1 on a 2-core machine, is a new platform thread for
 * every read that blocks: one thread start per request, which made IsValidPath three times slower
 * (bench/daemon.sh). A platform thread blocks in read(2) itself. The data stay on junixsocket's
 * streams, although they cost a JNI buffer object per call: plain read(2)/write(2) on the descriptor
 * (through FileInputStream) saved about 1 µs per request, but pins a virtual thread to its carrier
 * while it blocks, and the build goals and the hang-up watch that touch the socket run on virtual
 * threads: two concurrent builds over the socket hung on a 2-core JDK 25
 * (ConcurrentBuildsOverSocketTest). Sockets are set up
 * like {@code open_unix_domain_socket}: parent directories created (0755), an old socket file
 * removed, the new one mode 0666 (access control is the directory's business).
 */
public final class SocketServer implements Closeable {
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads =
            Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("connection-", 1).factory());
    private final ConnectionHandler handler;
    private final PrintStream log;
    private final LongFunction<String> userName;
    private volatile boolean closing;

    /**
     * @param userName maps a uid to a login name for the log (guix-daemon says "user root")
     */
    public SocketServer(ConnectionHandler handler, PrintStream log, LongFunction<String> userName) {
        this.handler = handler;
        this.log = log;
        this.userName = userName;
    }

    /** Binds every address; on failure, closes what was already bound and throws. */
    public void bind(List<ListenAddress> addresses) throws IOException {
        try {
            for (ListenAddress a : addresses) {
                listeners.add(switch (a) {
                    case ListenAddress.Unix u -> bindUnix(u.path());
                    case ListenAddress.Tcp t -> bindTcp(t);
                });
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * Takes over {@code count} listening Unix sockets from fd {@link SocketActivation#FIRST_FD} on
     * (systemd socket activation). Only Unix sockets: junixsocket cannot wrap an inherited TCP socket.
     */
    public void adoptActivated(int count) throws IOException {
        try {
            for (int fd = SocketActivation.FIRST_FD; fd < SocketActivation.FIRST_FD + count; fd++) {
                FileDescriptorCast cast = FileDescriptorCast.unsafeUsing(fd);
                if (!cast.isAvailable(AFUNIXServerSocket.class)) {
                    throw new IOException("socket activation: file descriptor " + fd
                            + " is not a listening Unix socket (jguix takes only Unix sockets from socket activation)");
                }
                listeners.add(cast.as(AFUNIXServerSocket.class));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private static ServerSocket bindUnix(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        Files.deleteIfExists(path);
        AFUNIXServerSocket s = AFUNIXServerSocket.newInstance();
        try {
            s.bind(AFUNIXSocketAddress.of(path.toFile()), 64);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot bind to socket `" + path + "': " + e.getMessage(), e);
        }
        return s;
    }

    private static ServerSocket bindTcp(ListenAddress.Tcp t) throws IOException {
        InetAddress host;
        try {
            host = InetAddress.getByName(t.host());
        } catch (IOException e) {
            throw new IOException("failed to look up '" + t.host() + ":" + t.port() + "': Name or service not known", e);
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(host, t.port()), 64);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot bind to " + t.host() + ":" + t.port() + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** Starts one accept loop per listening socket; returns at once. */
    public void start() {
        for (ServerSocket s : listeners) {
            Thread.ofPlatform().name("accept " + s.getLocalSocketAddress()).daemon(false).start(() -> acceptLoop(s));
        }
    }

    private void acceptLoop(ServerSocket server) {
        while (!closing) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    log.println("error: accepting a connection: " + e.getMessage());
                }
                continue;
            }
            threads.execute(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        open.add(client);
        try (client) {
            client.setTcpNoDelay(true);
            Peer peer = peerOf(client);
            log.println(peer.remote() ? "accepted connection from " + peer.address()
                    : "accepted connection from pid " + peer.pid() + ", user " + userName.apply(peer.uid()));
            handler.serve(peer, client.getInputStream(), client.getOutputStream());
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                log.println("error processing connection: " + e.getMessage());
            }
        } finally {
            open.remove(client);
        }
    }

    private static Peer peerOf(Socket client) throws IOException {
        if (client instanceof AFUNIXSocket u) {
            AFUNIXSocketCredentials c = u.getPeerCredentials();
            long gid = c.getGids().length > 0 ? c.getGids()[0] : -1;
            return new Peer(c.getPid(), c.getUid(), gid, false, "unix");
        }
        return new Peer(-1, -1, -1, true, client.getInetAddress().getHostAddress());
    }

    /** Stops accepting, closes every connection, and waits (bounded) for their threads to end. */
    @Override
    public void close() {
        closing = true;
        for (ServerSocket s : listeners) {
            try {
                s.close();
            } catch (IOException e) {
                log.println("warning: closing " + s + ": " + e.getMessage());
            }
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // the connection is going away either way
            }
        }
        threads.shutdown();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
