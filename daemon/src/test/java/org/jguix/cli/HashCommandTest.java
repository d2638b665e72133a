package org.jguix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code jguix hash} against the real {@code guix hash} outputs of {@code fixtures/drv/guix-hash.tsv}. */
class HashCommandTest {
    private static final Path FIXTURES = Path.of("../fixtures/drv");
    private static final Path INPUTS = FIXTURES.resolve("hash-inputs");

    static List<String[]> rows() throws IOException {
        return Files.readAllLines(FIXTURES.resolve("guix-hash.tsv"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#")).map(l -> l.split("\t")).toList();
    }

    @ParameterizedTest(name = "{0} -S {1} -H {2} -f {3}")
    @MethodSource("rows")
    void sameAsGuixHash(String file, String serializer, String algo, String format, String expected) {
        String path = INPUTS.resolve(file).toString();
        CliRun run = switch (serializer) {
            case "none" -> CliRun.of("hash", "file", "-H", algo, "-f", format, path);
            case "nar" -> CliRun.of("hash", "path", "-H", algo, "-f", format, path);
            default -> CliRun.of("hash", "file", path); // guix hash defaults
        };
        assertEquals("", run.err());
        assertEquals(0, run.exit());
        assertEquals(expected + System.lineSeparator(), run.out());
    }

    @Test
    void userErrorsAreOneLineAndExitOne() {
        String f = INPUTS.resolve("abc").toString();
        assertEquals(new CliRun(1, "", "jguix hash: error: foo: unknown hash algorithm\n"),
                CliRun.of("hash", "file", "-H", "foo", f));
        assertEquals(new CliRun(1, "", "jguix hash: error: unsupported hash format: foo\n"),
                CliRun.of("hash", "file", "-f", "foo", f));
        assertEquals(new CliRun(1, "", "jguix hash: error: /nonexistent: No such file or directory\n"),
                CliRun.of("hash", "file", "/nonexistent"));
        assertEquals(new CliRun(1, "", "jguix hash: error: /nonexistent: No such file or directory\n"),
                CliRun.of("hash", "path", "/nonexistent"));
        CliRun dir = CliRun.of("hash", "file", INPUTS.resolve("tree").toString());
        assertEquals(1, dir.exit());
        assertEquals("jguix hash: error: " + INPUTS.resolve("tree") + ": Is a directory\n", dir.err());
    }

    @Test
    void severalFilesOneLineEach() {
        CliRun run = CliRun.of("hash", "file", "-f", "base16", INPUTS.resolve("empty").toString(),
                INPUTS.resolve("abc").toString());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n", run.out());
    }
}
