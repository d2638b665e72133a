package org.jguix.build.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jguix.storepath.ByteOrder;

/**
 * Derivation + settings → {@link PlainSpec}: {@code startBuilder} when {@code useChroot} is
 * false — {@code --disable-chroot} (mode D) or a {@code builtin:} builder (mode B,
 * {@code execBuilderOrBuiltin} and {@code builtins.cc}). Pure, like {@link BuildSpecs}.
 */
public final class PlainSpecs {
    /** {@code builtins.cc:builtins}. */
    public static final Set<String> BUILTINS = Set.of("download", "git-download");
    /** guix-daemon's {@code NIX_BIN_DIR} in Debian's build (and in Guix's own: its profile's bin). */
    static final String DEFAULT_BIN_DIR = "/usr/bin";

    private PlainSpecs() {
    }

    /** Mode D: the builder runs in the real build directory with the host's file system. */
    public static PlainSpec unchrooted(BuildInputs in, BuildSettings settings, HostFacts host) {
        String builder = in.drv().builder();
        if (builder.startsWith("builtin:")) {
            throw new IllegalArgumentException("builtin builder `" + builder + "': use PlainSpecs.builtin");
        }
        String buildDir = buildDir(in, settings);
        List<String> argv = new ArrayList<>();
        argv.add(builder.substring(builder.lastIndexOf('/') + 1));
        argv.addAll(in.drv().args());
        return new PlainSpec(settings.storeDir(), builder, argv, BuilderEnvironment.of(in, settings, host, buildDir),
                buildDir, user(in), Personality.of(in.drv().platform(), settings, host.machine()),
                BuildSpecs.OOM_SCORE_ADJ, host.rlimits(), false, Optional.empty(), BuildSpecs.execError(in, settings),
                BuildSpecs.tryExec(in, settings));
    }

    /**
     * Mode B: {@code guix perform-download DRV OUTPUT} with the daemon's environment plus
     * {@code NIX_STORE} and {@code _NIX_OPTIONS} ({@code settings.pack()}, given by the
     * caller); {@code output} is the path to produce (the real one, or the redirected one
     * of a check). An unknown builtin fails with guix-daemon's message.
     */
    public static PlainSpec builtin(BuildInputs in, BuildSettings settings, HostFacts host, String guixProgram,
            String nixOptions, String output) {
        String builder = in.drv().builder();
        if (!builder.startsWith("builtin:")) {
            throw new IllegalArgumentException("builder `" + builder + "' is not a builtin");
        }
        String name = builder.substring("builtin:".length());
        TreeMap<String, String> env = new TreeMap<>(ByteOrder.COMPARATOR);
        env.putAll(host.daemonEnv());
        env.put("NIX_STORE", settings.storeDir().path());
        env.put("_NIX_OPTIONS", nixOptions);
        Optional<String> unsupported = BUILTINS.contains(name) ? Optional.empty()
                : Optional.of("unsupported builtin function '" + name + "'");
        return new PlainSpec(settings.storeDir(), guixProgram,
                List.of("guix", "perform-download", in.drvPath().absolute(), output), env, buildDir(in, settings),
                user(in), Personality.of(in.drv().platform(), settings, host.machine()), BuildSpecs.OOM_SCORE_ADJ,
                host.rlimits(), true, unsupported, Optional.empty(), true);
    }

    /**
     * {@code settings.guixProgram}: {@code canonPath($GUIX)}, else {@code $NIX_BIN_DIR/guix}, else
     * the bin directory guix-daemon was configured with ({@code /usr/bin} for Debian's).
     */
    public static String guixProgram(HostFacts host) {
        String program = host.daemonEnv().get("GUIX");
        if (program == null) {
            program = host.daemonEnv().getOrDefault("NIX_BIN_DIR", DEFAULT_BIN_DIR) + "/guix";
        }
        return java.nio.file.Path.of("/").resolve(program).normalize().toString();
    }

    /** Whether {@code builder} is a builtin one ({@code isBuiltin}): it never runs in a chroot. */
    public static boolean isBuiltin(String builder) {
        return builder.startsWith("builtin:");
    }

    /** {@code createTempDir("", "guix-build-" + drvName)} without the {@code top} level of chroot builds. */
    private static String buildDir(BuildInputs in, BuildSettings settings) {
        return settings.tmpDir() + "/guix-build-" + in.drvName() + "-" + in.buildDirIndex();
    }

    private static Optional<BuildIdentity.BuildUser> user(BuildInputs in) {
        return in.identity() instanceof BuildIdentity.BuildUser u ? Optional.of(u) : Optional.empty();
    }
}
