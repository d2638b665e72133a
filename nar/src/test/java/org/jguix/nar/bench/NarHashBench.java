package org.jguix.nar.bench;

import java.nio.file.Path;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;

/**
 * Manual benchmark, not run by Surefire: {@code java -cp nar/target/classes:nar/target/test-classes
 * org.jguix.nar.bench.NarHashBench PATH [ROUNDS]} prints the NAR SHA-256 of PATH and the time and
 * throughput of each round (the first ones include JIT warm-up). Compare with
 * {@code nix hash path PATH} and, for one big file, {@code openssl sha256 FILE}.
 */
public final class NarHashBench {
    private NarHashBench() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            NarDigest d = NarHasher.hashPath(path, "sha256");
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s  %.3f s  %.0f MB/s  heap used %d MB%n", d, s, d.narSize() / s / 1e6,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
    }
}
