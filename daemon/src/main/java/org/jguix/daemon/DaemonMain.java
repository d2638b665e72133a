package org.jguix.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

import org.jguix.daemon.build.BuildService;
import org.jguix.daemon.cli.DaemonCommandLine;
import org.jguix.daemon.cli.Invocation;
import org.jguix.daemon.config.DaemonConfig;
import org.jguix.daemon.config.DaemonPaths;
import org.jguix.daemon.config.SettingsException;
import org.jguix.daemon.server.SocketActivation;
import org.jguix.daemon.server.SocketServer;
import org.jguix.daemon.session.Authentication;
import org.jguix.daemon.session.OpTable;
import org.jguix.daemon.session.SessionServer;
import org.jguix.daemon.session.Substituter;
import org.jguix.daemon.session.UserDirectory;
import org.jguix.daemon.session.Verbosity;
import org.jguix.daemon.store.LocalStore;
import org.jguix.store.StoreLayout;

/**
 * Entry point of {@code ./jguix-daemon}: guix-daemon's command line, then the store is opened and the
 * accept loop runs in the foreground until SIGTERM/SIGINT, which stops accepting, closes connections
 * (an operation cut short rolls back its transaction) and then closes the store cleanly.
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
        PosixHost posix = PosixHost.current();
        // guix-daemon runs with umask 022 so that nothing it creates is group- or other-writable.
        posix.umask022();
        String buildUsersGroup = config.settings().getString("build-users-group", "");
        if (posix.euid() == 0 && buildUsersGroup.isEmpty()) {
            log.println("warning: daemon is running as root, so using `--build-users-group' is highly recommended");
        }
        Consumer<String> logLine = line -> log.println(line);
        // Components start in order and stop in reverse: the store, the authentication agents, the sockets.
        LocalStore store;
        try {
            store = LocalStore.open(storeConfig(config, posix, buildUsersGroup, logLine));
        } catch (IOException | SettingsException e) {
            log.println("error: " + e.getMessage());
            return 1;
        }
        BuildService builds;
        try {
            builds = BuildService.create(store.db(), config, posix.euid(), posix.egid());
        } catch (IOException e) {
            log.println("error: " + e.getMessage());
            closeStore(store, log);
            return 1;
        }
        // The guix authenticate agents: none runs until a session signs or verifies.
        Authentication authentication = Authentication.agents(config.paths().configDir(),
                config.paths().guixProgram());
        SessionServer sessions = new SessionServer(store, new SessionServer.Config(config.settings(),
                config.debug() ? Verbosity.DEBUG : Verbosity.INFO, config.useBuildHook(), posix.uid()),
                OpTable.standard(), Substituter.agents(config.paths().guixProgram().toString(), store.layout()),
                users(posix), authentication, Optional.of(builds), logLine);
        SocketServer server = new SocketServer(sessions, log, uid -> userName(posix, uid));
        try {
            int activated = SocketActivation.socketCount(System.getenv(), ProcessHandle.current().pid());
            if (activated > 0) {
                server.adoptActivated(activated);
                log.println(SocketActivation.message(activated));
            } else {
                server.bind(config.effectiveListen());
            }
        } catch (IOException e) {
            log.println("error: " + e.getMessage());
            authentication.close();
            closeQuietly(builds, log);
            closeStore(store, log);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            authentication.close();
            closeQuietly(builds, log);
            closeStore(store, log);
        }, "shutdown"));
        server.start();
        return waitForever();
    }

    private static LocalStore.Config storeConfig(DaemonConfig config, PosixHost posix, String buildUsersGroup,
            Consumer<String> log) throws SettingsException {
        DaemonPaths p = config.paths();
        OptionalInt gid = OptionalInt.empty();
        if (posix.euid() == 0 && !buildUsersGroup.isEmpty()) {
            gid = posix.groupId(buildUsersGroup);
        }
        return new LocalStore.Config(new StoreLayout(p.storeDir(), p.stateDir(), p.dbDir()), Clock.systemUTC(),
                posix.euid(), posix.egid(), gid, config.settings().getBool("fsync-metadata", true),
                config.settings().getBool("use-sqlite-wal", true),
                "1".equals(System.getenv("NIX_IGNORE_SYMLINK_STORE")), log,
                config.settings().getBool("auto-optimise-store", true));
    }

    private static void closeStore(LocalStore store, PrintStream log) {
        try {
            store.close();
        } catch (IOException e) {
            log.println("error: closing the store: " + e.getMessage());
        }
    }

    private static void closeQuietly(BuildService builds, PrintStream log) {
        try {
            builds.close();
        } catch (IOException e) {
            log.println("warning: stopping the build service: " + e.getMessage());
        }
    }

    private static int waitForever() {
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static UserDirectory users(PosixHost posix) {
        return new UserDirectory() {
            @Override
            public Optional<String> nameOf(long uid) {
                return posix.userName(uid);
            }

            @Override
            public OptionalLong uidOf(String name) {
                return posix.userId(name);
            }
        };
    }

    private static String userName(PosixHost posix, long uid) {
        return posix.userName(uid).orElse(Long.toString(uid));
    }
}
