package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NarWriterRestorerTest {
    @TempDir
    Path tmp;

    @Test
    void writerRefusesUnsortedDuplicateAndMisplacedEvents() throws IOException {
        NarWriter w = new NarWriter(new ByteArrayOutputStream());
        w.accept(NarEvent.DIRECTORY_START);
        w.accept(new NarEvent.EntryStart(NarName.of("b")));
        w.accept(new NarEvent.Symlink(new byte[] {'x'}));
        w.accept(NarEvent.ENTRY_END);
        NarFormatException e = assertThrows(NarFormatException.class,
                () -> w.accept(new NarEvent.EntryStart(NarName.of("a"))));
        assertEquals("NAR directory is not sorted: `a' after `b'", e.reason());

        NarWriter w2 = new NarWriter(new ByteArrayOutputStream());
        w2.accept(new NarEvent.RegularStart(false, 3));
        w2.contents(new byte[2], 0, 2);
        assertThrows(NarFormatException.class, () -> w2.accept(NarEvent.REGULAR_END));
        assertThrows(NarFormatException.class, () -> w2.contents(new byte[2], 0, 2));

        NarWriter w3 = new NarWriter(new ByteArrayOutputStream());
        w3.accept(new NarEvent.Symlink(new byte[] {'x'}));
        assertTrue(w3.isComplete());
        assertThrows(NarFormatException.class, () -> w3.accept(NarEvent.DIRECTORY_START));
    }

    @Test
    void namesAndTargetsAreValidByConstruction() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0b"}) {
            assertThrows(IllegalArgumentException.class, () -> NarName.of(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new NarEvent.Symlink(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new NarEvent.Symlink(new byte[] {'a', 0}));
        assertTrue(NarName.of("\u00e9").compareTo(NarName.of("z")) > 0, "unsigned byte order: 0xc3 > 'z'");
        // UTF-8 byte order differs from UTF-16 order here: U+FFFD (ef bf bd) < U+1F600 (f0 9f 98 80).
        assertTrue(NarName.of("\uFFFD").compareTo(NarName.of("😀")) < 0);
        assertTrue("\uFFFD".compareTo("😀") > 0);
    }

    @Test
    void allGuixAlgorithmsHashTheNarBytes() throws Exception {
        byte[] nar = Fixtures.nar("tree");
        Path tree = tmp.resolve("tree");
        NarRestorer.restore(new ByteArrayInputStream(nar), tree);
        for (String[] alg : new String[][] {{"md5", "MD5"}, {"sha1", "SHA-1"}, {"sha256", "SHA-256"},
                {"sha512", "SHA-512"}, {"sha3-256", "SHA3-256"}, {"sha3-512", "SHA3-512"}}) {
            NarDigest d = NarHasher.hashPath(tree, alg[0]);
            assertArrayEquals(MessageDigest.getInstance(alg[1]).digest(nar), d.digest(), alg[0]);
            assertEquals(1616, d.narSize());
        }
        assertThrows(IllegalArgumentException.class, () -> NarHasher.hashPath(tree, "blake2s-256"));
    }

    @Test
    void restoreRefusesAnExistingTarget() throws IOException {
        Path target = Files.createDirectory(tmp.resolve("t"));
        assertThrows(FileAlreadyExistsException.class,
                () -> NarRestorer.restore(new ByteArrayInputStream(Fixtures.nar("hello")), target));
        Path link = Files.createSymbolicLink(tmp.resolve("l"), tmp.resolve("nowhere"));
        assertThrows(FileAlreadyExistsException.class,
                () -> NarRestorer.restore(new ByteArrayInputStream(Fixtures.nar("hello")), link));
        assertFalse(Files.exists(tmp.resolve("nowhere"), LinkOption.NOFOLLOW_LINKS));
    }

    /** A failure deep inside a big restore removes everything created so far. */
    @Test
    void failedRestoreLeavesNothing() throws IOException {
        byte[] nar = Fixtures.nar("tree");
        byte[] bad = nar.clone();
        bad[bad.length - 20] = 1; // inside the padding of the last entry's contents "x"
        NarFormatException e = assertThrows(NarFormatException.class,
                () -> NarRestorer.restore(new ByteArrayInputStream(bad), tmp.resolve("t")));
        assertTrue(e.reason().startsWith("non-zero padding"), e.reason());
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void restoredModesFollowTheExecutableFlag() throws IOException {
        Path t = tmp.resolve("t");
        NarRestorer.restore(new ByteArrayInputStream(Fixtures.nar("tree")), t);
        assertEquals(0755, (Integer) Files.getAttribute(t.resolve("a.b"), "unix:mode") & 0777);
        assertEquals(0644, (Integer) Files.getAttribute(t.resolve("B"), "unix:mode") & 0777);
        assertEquals("a", Files.readSymbolicLink(t.resolve("a-b")).toString());
        assertTrue(Files.isDirectory(t.resolve("empty-dir")));
    }

    @Test
    void deepAndWideTreesRoundTrip() throws IOException {
        Path deep = tmp.resolve("deep");
        Path p = deep;
        for (int i = 0; i < 300; i++) {
            p = p.resolve("d");
        }
        Files.createDirectories(p);
        Path wide = Files.createDirectory(tmp.resolve("wide"));
        for (int i = 0; i < 3000; i++) {
            Files.writeString(wide.resolve("f" + i), Integer.toString(i));
        }
        for (Path root : new Path[] {deep, wide}) {
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            NarDumper.dump(root, a);
            Path back = tmp.resolve(root.getFileName() + "-back");
            NarRestorer.restore(new ByteArrayInputStream(a.toByteArray()), back);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            NarDumper.dump(back, b);
            assertArrayEquals(a.toByteArray(), b.toByteArray());
        }
    }

    /** java.nio cannot map a non-UTF-8 name to its bytes: refuse instead of hashing a wrong name. */
    @Test
    void nonUtf8NamesAreRefusedNotMangled() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Process p = new ProcessBuilder("sh", "-c", "touch \"$(printf 'a\\377b')\"").directory(dir.toFile()).start();
        assertEquals(0, p.waitFor());
        UnsupportedFileException e = assertThrows(UnsupportedFileException.class,
                () -> NarHasher.hashPath(dir, "sha256"));
        assertTrue(e.reason().startsWith("file name `a\uFFFDb' cannot be mapped to raw bytes"), e.reason());

        ByteArrayOutputStream nar = new ByteArrayOutputStream();
        NarWriter w = new NarWriter(nar);
        w.accept(NarEvent.DIRECTORY_START);
        w.accept(new NarEvent.EntryStart(NarName.of(new byte[] {'a', (byte) 0xff})));
        w.accept(new NarEvent.Symlink(new byte[] {'x'}));
        w.accept(NarEvent.ENTRY_END);
        w.accept(NarEvent.DIRECTORY_END);
        Path target = tmp.resolve("t");
        UnsupportedFileException r = assertThrows(UnsupportedFileException.class,
                () -> NarRestorer.restore(new ByteArrayInputStream(nar.toByteArray()), target));
        assertTrue(r.reason().startsWith("file name `a\\xff' cannot be mapped"), r.reason());
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
    }
}
