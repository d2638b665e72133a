package org.jguix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code jguix nar ...} in-process against the real tools' fixtures. */
class NarCommandTest {
    static final Path FIXTURES = Path.of("..", "fixtures", "nar");

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(byte[] stdin, String... args) {
        CommandLine cl = new CommandLine(new NarCommand(new ByteArrayInputStream(stdin), out));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void restoreThenDumpGivesTheRealNarBack() throws IOException {
        byte[] nar = Files.readAllBytes(FIXTURES.resolve("tree.nar"));
        assertEquals(0, run(nar, "restore", tmp.resolve("t").toString()), err::toString);
        assertEquals(0, run(new byte[0], "dump", tmp.resolve("t").toString()), err::toString);
        assertArrayEquals(nar, out.toByteArray());
    }

    @Test
    void lsMatchesNixNarLs() throws IOException {
        byte[] nar = Files.readAllBytes(FIXTURES.resolve("odd-names.nar"));
        assertEquals(0, run(nar, "ls"), err::toString);
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("odd-names.ls")), out.toByteArray());
    }

    @Test
    void badArchiveIsOneLineAndExitOne() throws IOException {
        byte[] nar = Files.readAllBytes(FIXTURES.resolve("unsorted-entries.nar"));
        assertEquals(1, run(nar, "restore", tmp.resolve("t").toString()));
        assertEquals("nar restore: NAR directory is not sorted: `a' after `b' (at byte 320)\n", err.toString());
        assertFalse(Files.exists(tmp.resolve("t")));
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void missingPathIsAUserError() {
        assertEquals(1, run(new byte[0], "dump", tmp.resolve("absent").toString()));
        assertTrue(err.toString().startsWith("nar dump: no such file: "), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void registeredInJguixCommand() {
        assertTrue(JguixCommand.commandLine().getSubcommands().containsKey("nar"));
    }
}
