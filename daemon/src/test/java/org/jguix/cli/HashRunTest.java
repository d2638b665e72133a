package org.jguix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HashRun#quick}, the picocli-free path of {@code jguix hash}, against picocli on the same
 * command lines: where it takes a line it must print and exit exactly as picocli's run does, and it
 * must leave every other line to picocli without writing anything.
 */
class HashRunTest {
    private static final Path INPUTS = Path.of("../fixtures/drv/hash-inputs");
    private static final String F = INPUTS.resolve("hello").toString();
    private static final String G = INPUTS.resolve("abc").toString();
    private static final String DIR = INPUTS.resolve("tree").toString();
    private static final String MISSING = INPUTS.resolve("missing").toString();

    /** Lines the quick path must take: the forms people and bench/formats.sh type. */
    static List<List<String>> taken() {
        return List.of(
                List.of("hash", "file", F),
                List.of("hash", "path", F),
                List.of("hash", "path", DIR),
                List.of("hash", "path", "-f", "base64", DIR),
                List.of("hash", "file", "-f", "base16", F),
                List.of("hash", "file", "-H", "sha512", "-f", "base64", F, G),
                List.of("hash", "file", "--format", "base32", "--hash", "md5", F),
                List.of("hash", "path", "-H", "blake2s-256", DIR),
                List.of("hash", "file", "-H", "foo", F),
                List.of("hash", "file", "-f", "foo", F),
                List.of("hash", "file", MISSING),
                List.of("hash", "path", MISSING),
                List.of("hash", "path", F, MISSING, G),
                List.of("hash", "file", DIR),
                List.of("hash", "path", "file"));
    }

    /** Lines the quick path must leave to picocli. */
    static List<List<String>> declined() {
        return List.of(
                List.of(),
                List.of("hash"),
                List.of("hash", "file"),
                List.of("hash", "--help"),
                List.of("hash", "file", "--help"),
                List.of("hash", "file", "-h", F),
                List.of("hash", "file", F, "-f", "base16"),
                List.of("hash", "file", "-H", "sha1", "-H", "md5", F),
                List.of("hash", "file", "--hash=sha1", F),
                List.of("hash", "file", "-Hsha1", F),
                List.of("hash", "file", "-H"),
                List.of("hash", "file", "-H", "sha1"),
                List.of("hash", "file", "-H", "-f", F),
                List.of("hash", "file", "--", F),
                List.of("hash", "file", "@args"),
                List.of("hash", "path", ""),
                List.of("hash", "path", "a\0b"),
                List.of("hash", "dir", F),
                List.of("nar", "dump", F));
    }

    private record Quick(int exit, String out, String err) { }

    private static Quick quick(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = HashRun.quick(args, new PrintStream(out), new PrintStream(err));
        return new Quick(exit, out.toString(Charset.defaultCharset()), err.toString(Charset.defaultCharset()));
    }

    @ParameterizedTest
    @MethodSource("taken")
    void takesPlainLinesAndDoesWhatPicocliDoes(List<String> line) {
        String[] args = line.toArray(String[]::new);
        Quick q = quick(args);
        assertTrue(q.exit() >= 0, "declined " + String.join(" ", args));
        CliRun picocli = CliRun.of(args);
        assertEquals(new CliRun(picocli.exit(), picocli.out(), picocli.err()), new CliRun(q.exit(), q.out(), q.err()));
    }

    @ParameterizedTest
    @MethodSource("declined")
    void leavesEverythingElseToPicocli(List<String> line) {
        assertEquals(new Quick(-1, "", ""), quick(line.toArray(String[]::new)));
    }
}
