package org.jguix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps {@code ./jguix hash} fast, checked in fresh JVMs: the plain {@code hash} line and the
 * launcher's training workload ({@link Training}) never load picocli, whose classes the start-up cache
 * cannot hold and which would otherwise be loaded on every start (see {@link JguixMain}); and the
 * training runs to the end, since the launcher silently goes without a cache when it fails.
 */
class StartupTest {
    @TempDir
    Path tmp;

    /** Runs {@code main} with {@code args} in a new JVM on the test class path; its output and class loads. */
    private static List<String> run(Path tmp, String main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xlog:class+load=info:stdout", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertEquals(0, p.waitFor(), () -> main + " failed:\n" + read(out));
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean loadsPicocli(List<String> lines) {
        return lines.stream().anyMatch(l -> l.contains("[class,load] picocli."));
    }

    @Test
    void aPlainHashLineDoesWithoutPicocli() throws Exception {
        Path f = Files.writeString(tmp.resolve("abc"), "abc");
        List<String> lines = run(tmp, "org.jguix.cli.JguixMain", "hash", "file", "-f", "base16", f.toString());
        assertTrue(lines.contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), lines::toString);
        assertFalse(loadsPicocli(lines), "jguix hash loaded picocli");
        // and anything else goes to picocli
        assertTrue(loadsPicocli(run(tmp, "org.jguix.cli.JguixMain", "--version")));
    }

    @Test
    void theTrainingRunsToTheEndWithoutPicocli() throws Exception {
        List<String> lines = run(tmp, "org.jguix.cli.Training");
        assertFalse(loadsPicocli(lines), "the training loaded picocli");
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(tmp.resolve("out.txt")), left.toList(), "the training left files behind");
        }
    }
}
