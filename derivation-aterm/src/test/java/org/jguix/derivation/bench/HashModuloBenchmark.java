package org.jguix.derivation.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationHasher;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationParser;
import org.jguix.derivation.DerivationPaths;
import org.jguix.derivation.DerivationPrinter;
import org.jguix.storepath.StoreDir;
import org.jguix.storepath.StorePath;

/**
 * hashDerivationModulo over a generated graph of N derivations (default 10,000; each
 * depends on up to 4 earlier ones, plus a long chain so the graph is 10,000 deep), loaded
 * from their printed bytes as a store would. Target: the whole graph hashed from a cold
 * memo in under a second. Prints each round, then a {@code RESULT} line: round 0 (cold JVM)
 * and the median of the later rounds. Run:
 * <pre>
 *   mvn -q -pl derivation-aterm test-compile &amp;&amp; java -cp derivation-aterm/target/classes:derivation-aterm/target/test-classes \
 *       org.jguix.derivation.bench.HashModuloBenchmark [N]
 * </pre>
 */
public final class HashModuloBenchmark {
    private HashModuloBenchmark() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        StoreDir dir = StoreDir.of("/gnu/store");
        Map<String, byte[]> files = new HashMap<>();
        DerivationParser parser = new DerivationParser();
        DerivationHasher building = new DerivationHasher(p -> parser.parse(files.get(p)));
        Random random = new Random(42);
        List<String> drvPaths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Set<String>> inputs = new TreeMap<>();
            if (i > 0) {
                inputs.put(drvPaths.get(i - 1), Set.of("out"));
            }
            for (int k = 0; k < 3 && i > 1; k++) {
                inputs.put(drvPaths.get(random.nextInt(i)), Set.of("out"));
            }
            Derivation masked = Derivation.of(Map.of("out", DerivationOutput.regular("")), inputs,
                    Set.of("/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash"), "x86_64-linux",
                    "/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash", List.of("-c", "echo " + i + " > $out"),
                    Map.of("i", Integer.toString(i)));
            String name = "node-" + i;
            Derivation drv = DerivationPaths.withOutputPaths(dir, masked, name, building);
            StorePath path = DerivationPaths.drvPath(dir, name, drv);
            files.put(path.absolute(), DerivationPrinter.print(drv));
            drvPaths.add(path.absolute());
        }
        String top = drvPaths.get(n - 1);
        double[] ms = new double[5];
        for (int round = 0; round < ms.length; round++) {
            DerivationHasher cold = new DerivationHasher(p -> parser.parse(files.get(p)));
            long t0 = System.nanoTime();
            String h = cold.hashModulo(top).toBase16();
            long t1 = System.nanoTime();
            ms[round] = (t1 - t0) / 1e6;
            System.out.printf("round %d: %d derivations (parse + hash) in %.1f ms, memo %d, top %s%n", round, n,
                    (t1 - t0) / 1e6, cold.memoSize(), h);
        }
        double[] later = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(later);
        System.out.printf("RESULT hash-modulo first-ms=%.1f median-ms=%.1f nodes=%d%n", ms[0],
                (later[later.length / 2 - 1] + later[later.length / 2]) / 2, n);
    }
}
