package org.jguix.nar.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Manual benchmark helper, not run by Surefire: writes a deterministic file tree for
 * {@code bench/formats.sh}. {@code java -cp nar/target/test-classes org.jguix.nar.bench.BenchTree
 * DIR FILES TOTAL_BYTES [SEED]} creates DIR (which must not exist) holding FILES regular files
 * totalling exactly TOTAL_BYTES, spread over nested directories, with log-uniform sizes (1 B to
 * 1 MiB before scaling; about 2% empty), 1 in 8 executable, 1 in 40 extra entries a symlink (some
 * dangling), a few empty directories and some non-ASCII names. Same arguments, same bytes: the
 * contents are slices of one seeded random pool. Run it under a UTF-8 locale (the names).
 */
public final class BenchTree {
    private static final int POOL = 8 << 20;
    private static final String[] ODD = {"é", "日本語", "space name", "ß-ü", "a+b=c", "#hash", "~tilde"};

    private BenchTree() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        int files = Integer.parseInt(args[1]);
        long total = Long.parseLong(args[2]);
        SplittableRandom random = new SplittableRandom(args.length > 3 ? Long.parseLong(args[3]) : 42);

        byte[] pool = new byte[POOL];
        random.nextBytes(pool);

        // Directories: about 25 files each, two levels, a few left empty.
        int dirCount = Math.max(1, files / 25);
        List<Path> dirs = new ArrayList<>();
        Files.createDirectory(root);
        for (int d = 0; d < dirCount; d++) {
            Path dir = root.resolve(String.format("d%03d", d / 8)).resolve(String.format("s%02d", d % 8));
            Files.createDirectories(dir);
            dirs.add(dir);
        }
        for (int e = 0; e < Math.max(1, dirCount / 20); e++) {
            Files.createDirectories(root.resolve(String.format("d%03d", e)).resolve("empty"));
        }

        // Sizes: log-uniform weights, scaled to the total; the last file takes the rounding.
        double[] weight = new double[files];
        double sum = 0;
        for (int i = 0; i < files; i++) {
            weight[i] = random.nextInt(50) == 0 ? 0 : Math.exp(random.nextDouble() * Math.log(1 << 20));
            sum += weight[i];
        }
        long written = 0;
        for (int i = 0; i < files; i++) {
            long size = i == files - 1 ? total - written : (long) (weight[i] / sum * total);
            Path dir = dirs.get(random.nextInt(dirs.size()));
            String name = i % 97 == 0 ? ODD[i % ODD.length] + "-" + i : String.format("f%05d.dat", i);
            Path file = dir.resolve(name);
            write(file, pool, random.nextInt(POOL), size);
            written += size;
            if (random.nextInt(8) == 0) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (random.nextInt(40) == 0) {
                String target = random.nextInt(4) == 0 ? "missing-" + i : name;
                Files.createSymbolicLink(dir.resolve("l" + i), Path.of(target));
            }
        }
        System.out.printf("%s: %d files, %d bytes, %d directories%n", root, files, written, dirCount);
    }

    /** {@code size} bytes of the pool from {@code start}, wrapping around. */
    private static void write(Path file, byte[] pool, int start, long size) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            int pos = start;
            while (left > 0) {
                int n = (int) Math.min(left, pool.length - pos);
                out.write(pool, pos, n);
                left -= n;
                pos = 0;
            }
        }
    }
}
