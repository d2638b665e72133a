package org.jguix.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jguix.derivation.Derivation;
import org.jguix.derivation.DerivationHasher;
import org.jguix.derivation.DerivationParser;
import org.jguix.nar.NarDumper;
import org.jguix.nar.NarLister;
import org.jguix.nar.NarReader;
import org.jguix.nar.NarRestorer;
import org.jguix.nar.NarWriter;
import org.jguix.nar.TreeDeleter;

/**
 * Not a tool: the workload {@code scripts/launch} runs once to record the JVM's start-up cache for
 * {@code ./jguix} (an AOT cache on Java 24+, a CDS archive before; see the launcher). It does what the
 * tools do, over a small generated tree, so that the classes they load end up in the archive and, on
 * Java 25, the profiles of the hashing and NAR loops (so the JIT compiles them early).
 *
 * <p>It stays clear of picocli: a Java 24+ cache links every class it holds when the JVM starts, and
 * linking a class that uses picocli loads picocli's (unarchivable, Java 5) classes, ~15 ms that
 * {@code jguix hash}, which does without picocli, would pay on every run. So it runs {@code hash} lines
 * that succeed through {@link JguixMain} (their output goes to stdout), and the {@code nar} and
 * {@code drv} work through the libraries the commands are thin over.
 */
public final class Training {
    /** A real .drv ({@code fixtures/drv/no-sources.drv}). */
    private static final String DRV = "Derive([(\"out\",\"/gnu/store/qjv6ixkiy74vrmklz7adlj797pv5z8jg-no-sources\","
            + "\"\",\"\")],[],[],\"x86_64-linux\",\"/bin/sh\",[\"-c\",\"true\"],[(\"out\","
            + "\"/gnu/store/qjv6ixkiy74vrmklz7adlj797pv5z8jg-no-sources\")])";

    private Training() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("jguix-training");
        try {
            train(dir);
        } finally {
            TreeDeleter.delete(dir);
        }
    }

    private static void train(Path dir) throws IOException {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            Path sub = Files.createDirectories(tree.resolve("d" + i % 8));
            byte[] data = new byte[(i == 0 ? 8 << 20 : 1 << (8 + i % 10)) + i];
            random.nextBytes(data);
            Files.write(sub.resolve("f" + i), data);
        }
        Files.createSymbolicLink(tree.resolve("link"), Path.of("d0/f0"));
        String big = tree.resolve("d0/f0").toString();
        byte[] drv = DRV.getBytes(StandardCharsets.ISO_8859_1);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        for (int round = 0; round < 3; round++) {
            JguixMain.main(new String[] {"hash", "path", tree.toString()});
            JguixMain.main(new String[] {"hash", "path", "-f", "base64", tree.toString()});
            JguixMain.main(new String[] {"hash", "file", "-f", "base16", big});
            JguixMain.main(new String[] {"hash", "file", "-H", "sha512", big});
            HashRun.quick(new String[] {"hash", "file", dir.resolve("missing").toString()}, nowhere, nowhere);
            // nar dump, ls, restore
            ByteArrayOutputStream nar = new ByteArrayOutputStream();
            OutputStream out = new BufferedOutputStream(nar, 256 * 1024);
            new NarDumper().dump(tree, new NarWriter(out));
            out.flush();
            byte[] bytes = nar.toByteArray();
            new NarReader(new BufferedInputStream(new ByteArrayInputStream(bytes), 256 * 1024))
                    .transferTo(new NarLister(nowhere));
            NarRestorer.restore(new NarReader(new BufferedInputStream(new ByteArrayInputStream(bytes), 256 * 1024)),
                    dir.resolve("restored" + round));
            // drv show / hash
            DerivationParser parser = new DerivationParser();
            Derivation d = parser.parse(drv);
            new DerivationHasher(p -> parser.parse(drv)).hashModulo(d).toBase16();
        }
    }
}
