package org.jguix.derivation.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationOutput;
import org.jguix.derivation.DerivationParser;
import org.jguix.derivation.DerivationPrinter;

/**
 * Parse + print of N real-size {@code .drv} files (default 10,000), for {@code bench/formats.sh}.
 * The files are the real fixtures ({@code fixtures/drv/*.drv}, a few hundred bytes each) grown
 * to the size of guix package derivations (about 1 to 6 KB): fresh output paths, and added input
 * derivations, sources, guile-style arguments and environment entries with escapes (quotes,
 * backslashes, LF, TAB). Run:
 * <pre>
 *   java -cp derivation-aterm/target/classes:derivation-aterm/target/test-classes \
 *       org.jguix.derivation.bench.DrvParsePrintBench fixtures/drv OUT_DIR [N [ROUNDS]]
 * </pre>
 * OUT_DIR must not exist; it is left for the caller to delete. Each round reads every file,
 * parses it, prints it and checks the bytes are unchanged; prints per-file times and a
 * {@code RESULT} line (median of the rounds after the first).
 */
public final class DrvParsePrintBench {
    private static final String NIX32 = "0123456789abcdfghijklmnpqrsvwxyz";
    private static final String[] NAMES = {"glibc-2.41", "gcc-14.3.0", "bash-minimal-5.2.37", "coreutils-9.1",
        "guile-3.0.9", "perl-5.36.0", "python-3.11.14", "zlib-1.3.1", "openssl-3.0.8", "pkg-config-0.29.2",
        "make-4.4.1", "binutils-2.44", "ld-wrapper-0", "findutils-4.10.0", "tar-1.35", "gzip-1.14"};

    private DrvParsePrintBench() {
    }

    public static void main(String[] args) throws IOException {
        Path fixtures = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        DerivationParser parser = new DerivationParser();

        List<Derivation> bases = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(fixtures, "*.drv")) {
            for (Path p : ds) {
                bases.add(parser.parse(Files.readAllBytes(p)));
            }
        }
        bases.sort((a, b) -> DerivationPrinter.printString(a).compareTo(DerivationPrinter.printString(b)));

        Files.createDirectory(out);
        Random random = new Random(42);
        List<Path> files = new ArrayList<>(n);
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            Derivation drv = perturb(bases.get(i % bases.size()), random);
            byte[] bytes = DerivationPrinter.print(drv);
            Path file = out.resolve(storeHash(random) + "-bench-" + i + ".drv");
            Files.write(file, bytes);
            files.add(file);
            sizes[i] = bytes.length;
        }
        int[] sorted = sizes.clone();
        Arrays.sort(sorted);
        System.out.printf("%d .drv files from %d fixtures: sizes %d / %d / %d bytes (min / median / max), %d KB%n",
                n, bases.size(), sorted[0], sorted[n / 2], sorted[n - 1], Arrays.stream(sizes).asLongStream().sum() >> 10);

        double[] perFile = new double[rounds];
        double[] inMemory = new double[rounds];
        byte[][] contents = new byte[n][];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] bytes = Files.readAllBytes(files.get(i));
                if (!Arrays.equals(bytes, DerivationPrinter.print(parser.parse(bytes)))) {
                    throw new IllegalStateException("print(parse(" + files.get(i) + ")) differs from the file");
                }
                contents[i] = bytes;
            }
            long t1 = System.nanoTime();
            long check = 0;
            for (byte[] bytes : contents) {
                check += DerivationPrinter.print(parser.parse(bytes)).length;
            }
            long t2 = System.nanoTime();
            perFile[r] = (t1 - t0) / 1e3 / n;
            inMemory[r] = (t2 - t1) / 1e3 / n;
            System.out.printf("round %d: %.1f µs per file (read + parse + print + compare), %.1f µs parse + print"
                    + " from memory (%d bytes)%n", r, perFile[r], inMemory[r], check);
        }
        System.out.printf("RESULT drv-parse-print median-us=%.2f first-us=%.2f memory-median-us=%.2f files=%d"
                + " median-bytes=%d%n", laterMedian(perFile), perFile[0], laterMedian(inMemory), n, sorted[n / 2]);
    }

    /** Median of the rounds after the first (which includes JIT warm-up). */
    private static double laterMedian(double[] values) {
        double[] later = Arrays.copyOfRange(values, Math.min(1, values.length - 1), values.length);
        Arrays.sort(later);
        return later[later.length / 2];
    }

    /** The base with fresh paths and the bulk of a real package derivation. */
    private static Derivation perturb(Derivation base, Random random) throws IOException {
        Map<String, DerivationOutput> outputs = new LinkedHashMap<>();
        Map<String, String> env = new TreeMap<>(base.env());
        for (Map.Entry<String, DerivationOutput> e : base.outputs().entrySet()) {
            String old = e.getValue().path();
            String path = old.substring(0, old.lastIndexOf('/') + 1) + storeHash(random) + old.substring(old.indexOf('-'));
            outputs.put(e.getKey(), e.getValue().withPath(path));
            env.replaceAll((k, v) -> v.replace(old, path));
        }
        Map<String, Set<String>> inputs = new TreeMap<>(base.inputDrvs());
        for (int k = 3 + random.nextInt(30); k > 0; k--) {
            SortedSet<String> outs = new TreeSet<>(Set.of("out"));
            if (random.nextInt(5) == 0) {
                outs.add(random.nextBoolean() ? "lib" : "static");
            }
            inputs.put("/gnu/store/" + storeHash(random) + "-" + NAMES[random.nextInt(NAMES.length)] + ".drv", outs);
        }
        Set<String> sources = new TreeSet<>(base.inputSrcs());
        String builder = "/gnu/store/" + storeHash(random) + "-bench-builder";
        sources.add(builder);
        sources.add("/gnu/store/" + storeHash(random) + "-module-import-compiled");
        List<String> args = new ArrayList<>(base.args());
        if (random.nextBoolean()) {
            args.addAll(List.of("--no-auto-compile", "-L", "/gnu/store/" + storeHash(random) + "-module-import",
                    "-C", "/gnu/store/" + storeHash(random) + "-module-import-compiled", builder));
        }
        for (int k = random.nextInt(6); k > 0; k--) {
            env.put("var" + random.nextInt(1000), "/gnu/store/" + storeHash(random) + "-" + NAMES[random.nextInt(NAMES.length)]);
        }
        // A long value with escapes, like a package's phases: quotes, backslashes, LF, TAB.
        StringBuilder phases = new StringBuilder("(modify-phases %standard-phases\n");
        for (int k = random.nextInt(12); k > 0; k--) {
            phases.append("\t(add-after 'unpack 'fix-").append(k).append(" (lambda _ (substitute* \"Makefile\" ((\"\\\\$\\r\") \"")
                    .append(storeHash(random)).append("\"))))\n");
        }
        env.put("guix properties", phases.append(')').toString());
        return Derivation.of(outputs, inputs, sources, base.platform(), base.builder(), args, env);
    }

    private static String storeHash(Random random) {
        char[] c = new char[32];
        for (int i = 0; i < c.length; i++) {
            c[i] = NIX32.charAt(random.nextInt(NIX32.length()));
        }
        return new String(c);
    }
}
