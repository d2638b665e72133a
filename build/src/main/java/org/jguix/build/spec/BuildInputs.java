package org.jguix.build.spec;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.derivation.Derivation;
import org.jguix.storepath.ByteOrder;
import org.jguix.storepath.StorePath;

/**
 * What one build is about: the derivation, its {@code .drv} path, the closure of its
 * inputs ({@code inputPaths} of {@code DerivationGoal::inputsRealised}: closures of the
 * used outputs of every input derivation and of every input source), who builds, and
 * the suffix {@code N} of the host-side build directory {@code $TMPDIR/guix-build-NAME.drv-N}
 * (chosen by whoever creates it: the first {@code N} whose {@code mkdir} succeeds).
 */
public record BuildInputs(StorePath drvPath, Derivation drv, SortedSet<String> inputPaths, BuildIdentity identity,
        int buildDirIndex) {
    public BuildInputs {
        Objects.requireNonNull(drvPath, "drvPath");
        Objects.requireNonNull(drv, "drv");
        Objects.requireNonNull(identity, "identity");
        TreeSet<String> sorted = new TreeSet<>(ByteOrder.COMPARATOR);
        sorted.addAll(inputPaths);
        inputPaths = Collections.unmodifiableSortedSet(sorted);
        if (buildDirIndex < 0) {
            throw new IllegalArgumentException("buildDirIndex: " + buildDirIndex + " (expected ≥ 0)");
        }
    }

    public static BuildInputs of(StorePath drvPath, Derivation drv, Set<String> inputPaths, BuildIdentity identity) {
        TreeSet<String> s = new TreeSet<>(ByteOrder.COMPARATOR);
        s.addAll(inputPaths);
        return new BuildInputs(drvPath, drv, s, identity, 0);
    }

    /** {@code storePathToName(drvPath)}: the {@code .drv} base name without its hash, e.g. {@code hello.drv}. */
    public String drvName() {
        return drvPath.name();
    }

    /**
     * {@code fixedOutput} of {@code inputsRealised}: every output has a hash (looser than
     * {@link Derivation#isFixedOutput()}, which wants exactly one output named {@code out}).
     */
    public boolean fixedOutput() {
        return drv.outputs().values().stream().allMatch(o -> o.hasHash());
    }
}
