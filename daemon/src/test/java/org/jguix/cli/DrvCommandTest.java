package org.jguix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code jguix drv} on the real {@code .drv} fixtures, copied under their store base names
 * into a temporary directory standing for {@code /gnu/store}.
 */
class DrvCommandTest {
    private static final Path FIXTURES = Path.of("../fixtures/drv");

    @TempDir static Path store;

    /** name, store base name, NAME.txt lines. */
    record Fixture(String name, Path file, List<String> txt) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Fixture> fixtures() throws IOException {
        List<Fixture> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(FIXTURES)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".drv")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".drv", "");
                List<String> txt = Files.readAllLines(FIXTURES.resolve(name + ".txt"), StandardCharsets.ISO_8859_1);
                String drvPath = txt.get(0).split(" ")[1];
                all.add(new Fixture(name, Path.of(drvPath.substring(drvPath.lastIndexOf('/') + 1)), txt));
            }
        }
        return all;
    }

    @BeforeAll
    static void populate() throws IOException {
        for (Fixture f : fixtures()) {
            Files.copy(FIXTURES.resolve(f.name() + ".drv"), store.resolve(f.file()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void checkPrintsTheRealOutputs(Fixture f) {
        CliRun run = CliRun.of("drv", "check", "--store-dir", "/gnu/store", store.resolve(f.file()).toString());
        StringBuilder expected = new StringBuilder();
        f.txt().stream().filter(l -> l.startsWith("output ")).forEach(l -> expected.append(l.substring(7)).append('\n'));
        assertEquals(new CliRun(0, expected.toString(), ""), run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void hashPrintsGuixDerivationHash(Fixture f) {
        CliRun run = CliRun.of("drv", "hash", store.resolve(f.file()).toString());
        String expected = f.txt().stream().filter(l -> l.startsWith("hashModulo ")).findFirst().orElseThrow().substring(11);
        assertEquals(new CliRun(0, expected + "\n", ""), run);
    }

    @Test
    void showPrintsJson() {
        Path hello = store.resolve("xm2m63q8sjwqacjrxbxz2472x7pk8fk7-hello.drv");
        CliRun run = CliRun.of("drv", "show", hello.toString());
        assertEquals(0, run.exit());
        assertEquals("{\"" + hello + "\":{\"outputs\":{\"out\":{\"path\":\"/gnu/store/4l83xigvay3qp264228ny22pp3mr1d79-hello\"}},"
                + "\"inputSrcs\":[\"/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash\"],\"inputDrvs\":{},"
                + "\"system\":\"x86_64-linux\",\"builder\":\"/gnu/store/cmmm0914nnzn2qzigbnhi63qbyng6i0r-bash\","
                + "\"args\":[\"-c\",\"echo hi > $out\"],\"env\":{\"out\":\"/gnu/store/4l83xigvay3qp264228ny22pp3mr1d79-hello\"}}}\n",
                run.out());
    }

    @Test
    void checkReportsAWrongOutputInTheDaemonsWords(@TempDir Path other) throws IOException {
        Path bad = other.resolve("xm2m63q8sjwqacjrxbxz2472x7pk8fk7-hello.drv");
        Files.copy(FIXTURES.resolve("hello.drv.wrong-output-path"), bad);
        CliRun run = CliRun.of("drv", "check", "--store-dir", "/gnu/store", bad.toString());
        assertEquals(new CliRun(1, "", "jguix drv: error: derivation `/gnu/store/xm2m63q8sjwqacjrxbxz2472x7pk8fk7-hello.drv'"
                + " has incorrect output `/gnu/store/4l83xigvay3qp264228ny22pp3mr1d79-hellp', should be"
                + " `/gnu/store/4l83xigvay3qp264228ny22pp3mr1d79-hello'\n"), run);
    }

    @Test
    void parseErrorsAndMissingInputsAreOneLine(@TempDir Path other) throws IOException {
        Path truncated = other.resolve("truncated.drv");
        Files.copy(FIXTURES.resolve("hello.drv.truncated"), truncated);
        assertEquals(new CliRun(1, "", "jguix drv: error: " + truncated
                + ": byte 100: expected `\"' but found end of input (unterminated string)\n"),
                CliRun.of("drv", "show", truncated.toString()));
        // chain1 without its input hello.drv next to it.
        Path chain = other.resolve("chain1.drv");
        Files.copy(FIXTURES.resolve("chain1.drv"), chain);
        CliRun run = CliRun.of("drv", "hash", chain.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().startsWith("jguix drv: error: " + other.toAbsolutePath().normalize() + "/"), run.err());
        assertTrue(run.err().endsWith("-hello.drv: No such file or directory\n"), run.err());
        assertEquals(new CliRun(1, "", "jguix drv: error: /nonexistent.drv: No such file or directory\n"),
                CliRun.of("drv", "show", "/nonexistent.drv"));
    }
}
