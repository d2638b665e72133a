package org.jguix.daemon.session;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationHasher;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationPaths;
import org.jguix.derivation.DerivationPrinter;
import org.jguix.storepath.StoreDir;

/**
 * Test support: a derivation as Guile's {@code derivation} writes it, whose builder is a copy of the
 * host's {@code /bin/sh} in the store (the daemon refuses a builder outside it; without a chroot a
 * dynamically linked one runs; the caller keeps it rooted, and it is not an input so that the
 * references are only the input) and whose one input source, if any, is {@code $in}. The builder
 * fails (exit 3) unless the input is there while it runs, and writes {@code built N from INPUT} to
 * {@code $out}, so the output refers to exactly the input; if {@code fails}, it then exits 1
 * ("failing on purpose").
 *
 * @param drvPath the {@code .drv} path AddTextToStore must return for {@link #text}
 * @param text    the {@code .drv} file
 * @param refs    its references: the input, if any
 * @param output  the output path
 * @param fails   whether the builder fails on purpose
 */
record HostShDerivation(String drvPath, String text, List<String> refs, String output, boolean fails) {
    /** The system the daemon under test builds for (its {@code system} setting). */
    static final String SYSTEM = "x86_64-linux";

    private static final String SCRIPT = """
            if [ -n "$in" ] && [ ! -e "$in" ]; then echo "input $in is gone" >&2; exit 3; fi
            echo "built $n from $in" > "$out"
            if [ -n "$in" ] && [ ! -e "$in" ]; then echo "input $in went during the build" >&2; exit 3; fi
            if [ -n "$fail" ]; then echo "failing on purpose" >&2; exit 1; fi
            """;

    /** The name AddTextToStore is given: {@code bN.drv}. */
    String fileName() {
        return drvPath.substring(drvPath.lastIndexOf('/') + 34);
    }

    static HostShDerivation of(StoreDir dir, String shell, long n, Optional<String> input, boolean fails)
            throws IOException {
        String name = "b" + n;
        Map<String, String> env = new TreeMap<>(Map.of("n", Long.toString(n), "out", ""));
        input.ifPresent(i -> env.put("in", i));
        if (fails) {
            env.put("fail", "1");
        }
        Derivation masked = Derivation.of(Map.of("out", DerivationOutput.regular("")), Map.of(),
                input.map(Set::of).orElse(Set.of()), SYSTEM, shell, List.of("-c", SCRIPT), env);
        // No input derivations: the hasher never loads one.
        Derivation drv = DerivationPaths.withOutputPaths(dir, masked, name, new DerivationHasher(p -> {
            throw new IOException("no input derivations here: " + p);
        }));
        return new HostShDerivation(DerivationPaths.drvPath(dir, name, drv).absolute(),
                DerivationPrinter.printString(drv), List.copyOf(drv.references()), drv.outputs().get("out").path(), fails);
    }
}
