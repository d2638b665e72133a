package org.jguix.build.spec;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jguix.storepath.ByteOrder;
import org.jguix.storepath.StoreDir;

/**
 * Everything needed to run one chrooted builder exactly like guix-daemon, computed
 * purely by {@link BuildSpecs#compute} and executed by a sandbox backend
 * ({@code org.jguix.build.sandbox}). Paths named {@code host*} are in the daemon's file
 * system view; the others are inside the sandbox.
 *
 * @param builder          {@code drv.builder}, resolved in the sandbox before exec
 * @param argv             {@code basename(builder)} then {@code drv.args}
 * @param env              the complete environment ({@link BuilderEnvironment})
 * @param cwd              the in-sandbox build directory {@code /tmp/guix-build-NAME.drv-0}
 * @param hostBuildDir     {@code $TMPDIR/guix-build-NAME.drv-N}: root-owned 0700 (CVE-2021-27851)
 * @param hostBuildTop     {@code hostBuildDir + "/top"}, 0700, the build user's; mounted at {@code cwd}
 * @param identity         who runs the builder, and the id maps
 * @param hostname         {@code localhost}
 * @param domainname       {@code (none)} (the kernel's default string)
 * @param loopbackUp       bring {@code lo} up ({@code initLoopback}): all but fixed-output
 *                         builds that may use the host loopback
 * @param network          {@link NetworkAccess}: slirp4netns for fixed-output builds
 * @param personality      {@link Personality}
 * @param oomScoreAdj      written to {@code /proc/self/oom_score_adj} (1000: killed first)
 * @param rlimits          set before exec (empty: inherited)
 * @param chroot           the chroot contents
 * @param outputs          output path → host path inside the chroot, where the builder
 *                         leaves it ({@code chrootRootDir + path}); moved into the store
 *                         by the caller after the build
 * @param execError        the error when exec fails with ENOEXEC on a platform this daemon
 *                         cannot build for ({@code execBuilderOrBuiltin}); empty otherwise
 * @param tryExec          false when the platform's kernel differs from ours: exec is not
 *                         even tried and {@code execError} is reported
 */
public record BuildSpec(StoreDir storeDir, String builder, List<String> argv, SortedMap<String, String> env,
        String cwd, String hostBuildDir, String hostBuildTop, BuildIdentity identity, String hostname,
        String domainname, boolean loopbackUp, NetworkAccess network, int personality, int oomScoreAdj, List<ResourceLimit> rlimits,
        ChrootLayout chroot, SortedMap<String, String> outputs, Optional<String> execError, boolean tryExec)
        implements BuilderSpec {
    public BuildSpec {
        Objects.requireNonNull(storeDir, "storeDir");
        Objects.requireNonNull(builder, "builder");
        argv = List.copyOf(argv);
        env = sorted(env);
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(hostBuildDir, "hostBuildDir");
        Objects.requireNonNull(hostBuildTop, "hostBuildTop");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(domainname, "domainname");
        Objects.requireNonNull(network, "network");
        rlimits = List.copyOf(rlimits);
        Objects.requireNonNull(chroot, "chroot");
        outputs = sorted(outputs);
        Objects.requireNonNull(execError, "execError");
    }

    @Override
    public String hostOutputPath(String storePath) {
        return chroot.hostPath(storePath);
    }

    private static SortedMap<String, String> sorted(SortedMap<String, String> m) {
        TreeMap<String, String> t = new TreeMap<>(ByteOrder.COMPARATOR);
        t.putAll(m);
        return Collections.unmodifiableSortedMap(t);
    }
}
