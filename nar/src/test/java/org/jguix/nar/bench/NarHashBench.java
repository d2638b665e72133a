package org.jguix.nar.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;

/**
 * Manual benchmark, not run by Surefire: {@code java -cp nar/target/classes:nar/target/test-classes
 * org.jguix.nar.bench.NarHashBench PATH [ROUNDS [WARMUP]]} prints the NAR SHA-256 of PATH and the time
 * and throughput of each round, then one {@code RESULT} line with the median of the rounds after the
 * first WARMUP (default 2, which include JIT warm-up): the in-process steady state that
 * {@code bench/formats.sh} compares with {@code nix hash path PATH} and {@code openssl sha256 FILE}.
 */
public final class NarHashBench {
    private NarHashBench() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : Math.min(2, rounds - 1);
        double[] seconds = new double[rounds];
        NarDigest d = null;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            d = NarHasher.hashPath(path, "sha256");
            double s = (System.nanoTime() - t0) / 1e9;
            seconds[i] = s;
            System.out.printf("%s  %.3f s  %.0f MB/s  heap used %d MB%n", d, s, d.narSize() / s / 1e6,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
        double[] steady = Arrays.copyOfRange(seconds, warmup, rounds);
        Arrays.sort(steady);
        double median = steady.length % 2 == 1 ? steady[steady.length / 2]
                : (steady[steady.length / 2 - 1] + steady[steady.length / 2]) / 2;
        System.out.printf("RESULT nar-hash median=%.4f rounds=%d first=%.4f nar-bytes=%d%n", median, steady.length,
                seconds[0], d.narSize());
    }
}
