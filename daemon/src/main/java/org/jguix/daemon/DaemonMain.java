package org.jguix.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

import org.jguix.daemon.cli.DaemonCommandLine;
import org.jguix.daemon.cli.Invocation;
import org.jguix.daemon.config.DaemonConfig;
import org.jguix.daemon.server.ConnectionHandler;
import org.jguix.daemon.server.SocketServer;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;

/**
 * Entry point of {@code ./jguix-daemon}: guix-daemon's command line, then the accept loop in the
 * foreground until SIGTERM/SIGINT, which stops accepting and closes connections before exiting.
 */
public final class DaemonMain {
    private DaemonMain() { }

    public static void main(String[] args) {
        String program = System.getenv().getOrDefault("JGUIX_PROG", "jguix-daemon");
        Invocation inv = new DaemonCommandLine(program).parse(Arrays.asList(args), System.getenv());
        switch (inv) {
            case Invocation.Print p -> {
                System.out.print(p.text());
                System.out.flush();
                System.exit(0);
            }
            case Invocation.Refuse r -> {
                System.err.println(r.message());
                System.exit(r.status());
            }
            case Invocation.Run run -> System.exit(run(run.config(), System.err));
        }
    }

    static int run(DaemonConfig config, PrintStream log) {
        POSIX posix = POSIXFactory.getNativePOSIX();
        // guix-daemon runs with umask 022 so that nothing it creates is group- or other-writable.
        posix.umask(022);
        if (posix.geteuid() == 0 && config.settings().getString("build-users-group", "").isEmpty()) {
            log.println("warning: daemon is running as root, so using `--build-users-group' is highly recommended");
        }
        SocketServer server = new SocketServer(notYetServing(), log, uid -> userName(posix, uid));
        try {
            server.bind(config.effectiveListen());
        } catch (IOException e) {
            log.println("error: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        server.start();
        return waitForever();
    }

    private static int waitForever() {
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Until the worker protocol lands, a client is told plainly that nothing is served yet. */
    private static ConnectionHandler notYetServing() {
        return (peer, in, out) -> { };
    }

    private static String userName(POSIX posix, long uid) {
        Passwd pw = posix.getpwuid((int) uid);
        return pw != null ? pw.getLoginName() : Long.toString(uid);
    }

    /** For tests: the environment as the daemon reads it. */
    static Map<String, String> environment() {
        return System.getenv();
    }
}
