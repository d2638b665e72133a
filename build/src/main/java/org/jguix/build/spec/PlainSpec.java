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
 * A builder started without namespaces or chroot: modes D ({@code --disable-chroot}) and
 * B (builtin builders) of build-environment.md §1, {@code spawn.cc:getBasicSpawnPhases} —
 * new session, stdin {@code /dev/null}, cwd, personality, OOM score, build user, exec.
 * Computed by {@link PlainSpecs}; paths are the host's.
 *
 * @param program      mode D: {@code drv.builder} (resolved with {@code canonPath}, must be
 *                     in the store); mode B: the guix program, executed as is
 * @param argv         {@code argv[0]} first
 * @param env          the complete environment (mode B: the daemon's, plus
 *                     {@code NIX_STORE} and {@code _NIX_OPTIONS})
 * @param cwd          the real build directory {@code $TMPDIR/guix-build-NAME.drv-N}
 * @param user         the build user (mode R), or empty: the daemon's own ids
 * @param builtin      mode B: a failed exec is "error: failed to run download program …"
 * @param builtinError mode B with an unknown builtin: "error: MESSAGE" after the set-up line
 * @param execError    mode D: the error when exec fails with ENOEXEC on a foreign platform
 * @param tryExec      mode D: false when the platform's kernel differs from ours
 */
public record PlainSpec(StoreDir storeDir, String program, List<String> argv, SortedMap<String, String> env,
        String cwd, Optional<BuildIdentity.BuildUser> user, int personality, int oomScoreAdj,
        List<ResourceLimit> rlimits, boolean builtin, Optional<String> builtinError, Optional<String> execError,
        boolean tryExec) implements BuilderSpec {
    public PlainSpec {
        Objects.requireNonNull(storeDir, "storeDir");
        Objects.requireNonNull(program, "program");
        argv = List.copyOf(argv);
        TreeMap<String, String> t = new TreeMap<>(ByteOrder.COMPARATOR);
        t.putAll(env);
        env = Collections.unmodifiableSortedMap(t);
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(user, "user");
        rlimits = List.copyOf(rlimits);
        Objects.requireNonNull(builtinError, "builtinError");
        Objects.requireNonNull(execError, "execError");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv: empty (expected argv[0])");
        }
    }

    @Override
    public String hostBuildDir() {
        return cwd;
    }

    /** No {@code top} level: the builder must reach its directory by its full name (build.cc). */
    @Override
    public String hostBuildTop() {
        return cwd;
    }

    @Override
    public String hostOutputPath(String storePath) {
        return storePath;
    }
}
