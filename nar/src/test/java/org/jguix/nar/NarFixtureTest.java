package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests against NARs and readings produced by the real nix-store / nix-hash / guix hash /
 * nix nar ls (fixtures/generate-nar-fixtures.sh). Directory-driven: a new fixture is a new test.
 */
class NarFixtureTest {
    @TempDir
    Path tmp;

    static List<String> valid() throws IOException {
        return Fixtures.valid();
    }

    static List<String> broken() throws IOException {
        return Fixtures.broken();
    }

    /** They write, we read: parsing and re-encoding the real NAR gives the same bytes and hash. */
    @ParameterizedTest
    @MethodSource("valid")
    void readsAndReencodesRealNar(String name) throws IOException {
        byte[] nar = Fixtures.nar(name);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        NarReader reader = new NarReader(new ByteArrayInputStream(nar));
        reader.transferTo(new NarWriter(copy));
        assertArrayEquals(nar, copy.toByteArray());
        assertEquals(nar.length, reader.offset());

        NarDigest d = NarHasher.hashNar(new ByteArrayInputStream(nar), "sha256");
        assertEquals(Fixtures.text(name, ".sha256"), d.hex());
        assertEquals(Fixtures.text(name, ".guix-sha256"), d.hex());
        assertEquals(nar.length, d.narSize());
    }

    /** Restore the real NAR, then dump and hash the tree ourselves: both write, bytes equal. */
    @ParameterizedTest
    @MethodSource("valid")
    void restoreThenDumpGivesRealBytesAndHash(String name) throws IOException {
        byte[] nar = Fixtures.nar(name);
        Path target = tmp.resolve("out");
        NarRestorer.restore(new ByteArrayInputStream(nar), target);
        ByteArrayOutputStream dumped = new ByteArrayOutputStream();
        assertEquals(nar.length, NarDumper.dump(target, dumped));
        assertArrayEquals(nar, dumped.toByteArray());
        NarDigest d = NarHasher.hashPath(target, "sha256");
        assertEquals(Fixtures.text(name, ".sha256"), d.hex());
        assertEquals(nar.length, d.narSize());
    }

    /** Our listing is byte-equal to nix nar ls -lR. */
    @ParameterizedTest
    @MethodSource("valid")
    void listsLikeNix(String name) throws IOException {
        if (!Fixtures.has(name, ".ls")) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NarReader(new ByteArrayInputStream(Fixtures.nar(name))).transferTo(new NarLister(out));
        assertArrayEquals(Files.readAllBytes(Fixtures.DIR.resolve(name + ".ls")), out.toByteArray());
    }

    /** Every broken sibling is refused with its typed error and reason, and restoring it leaves nothing. */
    @ParameterizedTest
    @MethodSource("broken")
    void refusesBrokenSibling(String name) throws IOException {
        byte[] nar = Fixtures.nar(name);
        String reason = Fixtures.text(name, ".jguix-error");
        NarException e = assertThrows(NarException.class,
                () -> new NarReader(new ByteArrayInputStream(nar)).transferTo(new NarWriter(new ByteArrayOutputStream())));
        assertTrue(e.reason().startsWith(reason), () -> "reason: " + e.reason() + "\nexpected: " + reason);
        assertTrue(e.offset() >= 0 && e.offset() <= nar.length, () -> "offset " + e.offset());
        assertEquals(reason.startsWith("unexpected end"), e instanceof NarTruncatedException, e.toString());
        assertTrue(e.getMessage().contains("at byte " + e.offset()), e.getMessage());

        Path target = tmp.resolve("out");
        assertThrows(NarException.class, () -> NarRestorer.restore(new ByteArrayInputStream(nar), target));
        try (var left = Files.list(tmp)) {
            assertFalse(left.findAny().isPresent(), "restore left files behind");
        }
    }

    /** guix-daemon accepts unsorted entries (nar-format.md §4.1); Nix 2.34 and jguix refuse them. */
    @org.junit.jupiter.api.Test
    void unsortedEntriesArePinnedAsRefused() throws IOException {
        assertTrue(Fixtures.text("unsorted-entries", ".nix-restore").contains("NAR directory is not sorted"));
        NarFormatException e = assertThrows(NarFormatException.class,
                () -> new NarReader(new ByteArrayInputStream(Fixtures.nar("unsorted-entries")))
                        .transferTo(new NarWriter(new ByteArrayOutputStream())));
        assertEquals("NAR directory is not sorted: `a' after `b'", e.reason());
    }
}
