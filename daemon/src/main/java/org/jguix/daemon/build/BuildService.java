package org.jguix.daemon.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.jguix.build.log.LogCompression;
import org.jguix.build.run.BuildContext;
import org.jguix.build.run.BuildOptions;
import org.jguix.build.sandbox.ChrootPreparer;
import org.jguix.build.sandbox.SandboxHelper;
import org.jguix.build.sandbox.SandboxRunner;
import org.jguix.build.spec.BuildSettings;
import org.jguix.build.spec.HostFacts;
import org.jguix.build.users.BuildUserPool;
import org.jguix.daemon.config.DaemonConfig;
import org.jguix.daemon.config.Settings;
import org.jguix.daemon.config.SettingsException;
import org.jguix.nar.StoreCanonicaliser;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.StoreDatabase;
import org.jguix.storepath.StoreDir;

/**
 * The daemon's builder: the {@link BuildContext} every build shares, made once at start-up
 * from the command line and the host, and the translation of a session's settings into
 * the {@link BuildOptions} of one request.
 */
public final class BuildService implements AutoCloseable {
    /** The host files whose presence shapes the chroot (build-environment.md §6). */
    private static final List<String> PROBED_FILES = List.of("/dev/kvm", "/dev/pts/ptmx", "/etc/hosts",
            "/etc/resolv.conf", "/etc/services", "/etc/nsswitch.conf");

    private final BuildContext context;
    private final Path workDir;

    private BuildService(BuildContext context, Path workDir) {
        this.context = context;
        this.workDir = workDir;
    }

    /**
     * @param uid the daemon's euid; with a {@code build-users-group} and uid 0 builds run as
     *            build users (mode R), otherwise in a user namespace mapped to uid/gid
     */
    public static BuildService create(StoreDatabase db, DaemonConfig config, int uid, int gid) throws IOException {
        Settings s = config.settings();
        StoreDir storeDir = StoreDir.of(config.paths().storeDir().toString());
        List<String> chrootDirs = new ArrayList<>();
        for (String key : List.of("build-chroot-dirs", "build-extra-chroot-dirs")) {
            for (String d : s.getString(key, "").trim().split("[ \t\n]+")) {
                if (!d.isEmpty()) {
                    chrootDirs.add(d);
                }
            }
        }
        String tmpDir = System.getenv().getOrDefault("TMPDIR", "/tmp");
        BuildSettings settings = new BuildSettings(storeDir, 0, chrootDirs, s.getString("system", thisSystem()),
                false, !s.getString("isolate-host-loopback", "false").equals("true"), tmpDir);
        Set<String> existing = new TreeSet<>();
        for (String f : PROBED_FILES) {
            if (Files.exists(Path.of(f))) {
                existing.add(f);
            }
        }
        HostFacts host = HostFacts.of(LaunchEnvironment.of(System.getenv()), existing, machine(),
                LaunchEnvironment.builderLimits(System.getenv()));
        String group = s.getString("build-users-group", "");
        Optional<BuildUserPool> users = uid == 0 && !group.isEmpty()
                ? Optional.of(new BuildUserPool(group, Path.of("/etc"), config.paths().stateDir().resolve("userpool"), uid))
                : Optional.empty();
        Path helper = SandboxHelper.locate();
        Path work = Files.createTempDirectory("jguix-sandbox-");
        LogCompression compression = switch (config.logCompression()) {
            case NONE -> LogCompression.NONE;
            case GZIP -> LogCompression.GZIP;
            case BZIP2 -> LogCompression.BZIP2;
        };
        BuildContext ctx = new BuildContext(db, new StoreCanonicaliser(uid, gid), settings, host, users, uid, gid,
                config.paths().logDir(), compression, new SandboxRunner(helper, List.of(), work),
                new ChrootPreparer(Path.of("/")));
        return new BuildService(ctx, work);
    }

    public BuildContext context() {
        return context;
    }

    /**
     * A request's options from its session's settings ({@code Settings::update} after
     * SetOptions) and flags; {@code clientUid}/{@code clientGid} are the peer's when known.
     */
    public static BuildOptions options(Settings s, boolean keepGoing, boolean keepFailed, boolean printBuildTrace,
            OptionalInt clientUid, OptionalInt clientGid) throws SettingsException {
        return new BuildOptions((int) s.getLong("build-max-jobs", 1), (int) s.getLong("build-cores", 0),
                Duration.ofSeconds(s.getLong("build-timeout", 86400)),
                Duration.ofSeconds(s.getLong("build-max-silent-time", 3600)), s.getLong("build-max-log-size", 0),
                (int) s.getLong("build-repeat", 0), keepGoing, keepFailed, printBuildTrace,
                s.getBool("build-cache-failure", false), s.getBool("build-keep-log", true),
                s.getBool("build-use-chroot", true), clientUid, clientGid, s.getBool("build-fallback", false),
                s.pack());
    }

    /** guix's {@code %system} for this JVM's architecture. */
    private static String thisSystem() {
        return machine().equals("i686") ? "i686-linux" : machine() + "-linux";
    }

    /** {@code uname -m} from the JVM's {@code os.arch}. */
    private static String machine() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i686" -> "i686";
            case "arm" -> "armhf";
            default -> arch;
        };
    }

    /** Ends the sandbox's long-running helper, removes its work directory and the spare chroots. */
    @Override
    public void close() throws IOException {
        context.sandbox().close();
        try {
            context.chroot().close();
        } finally {
            TreeDeleter.delete(workDir);
        }
    }
}
