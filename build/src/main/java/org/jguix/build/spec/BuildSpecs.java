package org.jguix.build.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.jguix.storepath.ByteOrder;

/**
 * Derivation + settings + inputs closure + build identity + host facts → {@link BuildSpec}:
 * the pure half of guix-daemon's {@code DerivationGoal::startBuilder} for chrooted builds
 * (modes R, N, U of build-environment.md §1). No I/O: the caller creates what the spec
 * describes ({@code sandbox.ChrootPreparer}) and runs it ({@code sandbox.SandboxRunner}).
 *
 * <p>Builtin builders ({@code builtin:download}...) and {@code --disable-chroot} builds are
 * not chrooted: {@link PlainSpecs}.
 */
public final class BuildSpecs {
    public static final String HOSTNAME = "localhost";
    public static final String DOMAINNAME = "(none)";
    public static final int OOM_SCORE_ADJ = 1000;

    private BuildSpecs() {
    }

    public static BuildSpec compute(BuildInputs in, BuildSettings settings, HostFacts host) {
        String builder = in.drv().builder();
        if (builder.startsWith("builtin:")) {
            throw new IllegalArgumentException("builtin builder `" + builder + "' does not run in a sandbox");
        }
        String drvName = in.drvName();
        String buildDirInSandbox = "/tmp/guix-build-" + drvName + "-0";
        String hostBuildDir = settings.tmpDir() + "/guix-build-" + drvName + "-" + in.buildDirIndex();
        String hostBuildTop = hostBuildDir + "/top";

        List<String> argv = new ArrayList<>();
        argv.add(builder.substring(builder.lastIndexOf('/') + 1));
        argv.addAll(in.drv().args());

        NetworkAccess network = NetworkAccess.of(in, settings, host);
        ChrootLayout chroot = ChrootPlanner.plan(in, settings, host, network, hostBuildTop, buildDirInSandbox);
        TreeMap<String, String> outputs = new TreeMap<>(ByteOrder.COMPARATOR);
        for (var out : in.drv().outputs().values()) {
            outputs.put(out.path(), chroot.hostPath(out.path()));
        }
        boolean loopbackUp = !in.fixedOutput() || !settings.useHostLoopback();
        return new BuildSpec(settings.storeDir(), builder, argv,
                BuilderEnvironment.of(in, settings, host, buildDirInSandbox), buildDirInSandbox, hostBuildDir,
                hostBuildTop, in.identity(), HOSTNAME, DOMAINNAME, loopbackUp, network,
                Personality.of(in.drv().platform(), settings, host.machine()), OOM_SCORE_ADJ, host.rlimits(), chroot,
                outputs, execError(in, settings), tryExec(in, settings));
    }

    /** {@code execBuilderOrBuiltin}: the error when exec fails with ENOEXEC, if the platform is foreign. */
    static Optional<String> execError(BuildInputs in, BuildSettings settings) {
        String platform = in.drv().platform();
        return canBuildLocally(platform, settings.thisSystem()) ? Optional.empty()
                : Optional.of("a `" + platform + "' is required to build `" + settings.thisSystem()
                        + "', but I am a `" + in.drvPath().absolute() + "'");
    }

    /** Exec is tried if the kernels agree (binfmt_misc may emulate) or the platform is ours. */
    static boolean tryExec(BuildInputs in, BuildSettings settings) {
        return kernel(in.drv().platform()).equals(kernel(settings.thisSystem()))
                || execError(in, settings).isEmpty();
    }

    /** {@code canBuildLocally} (build.cc): our system, or its 32-bit sibling. */
    public static boolean canBuildLocally(String platform, String thisSystem) {
        return platform.equals(thisSystem)
                || (platform.equals("i686-linux") && thisSystem.equals("x86_64-linux"))
                || (platform.equals("armhf-linux") && thisSystem.equals("aarch64-linux"));
    }

    /** The part after the first dash: {@code sameOperatingSystemKernel} compares these. */
    private static String kernel(String system) {
        int dash = system.indexOf('-');
        return dash < 0 ? "" : system.substring(dash + 1);
    }
}
