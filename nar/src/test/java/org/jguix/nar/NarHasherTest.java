package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NarHasher} on both sides of its read-ahead threshold: what it hashes on a helper thread equals
 * what the dumper writes on this one, byte for byte.
 */
class NarHasherTest {
    @TempDir
    Path tmp;

    private final Random random = new Random(3);

    private Path file(Path p, int size) throws IOException {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return Files.write(p, b);
    }

    /** The NAR digest the plain way: the dumper writing into a digest on this thread. */
    private static NarDigest reference(Path path) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long size = NarDumper.dump(path, new DigestOutputStream(OutputStream.nullOutputStream(), md));
        return new NarDigest("sha256", md.digest(), size);
    }

    @Test
    void filesBelowAndAboveTheThresholdHashAsDumped() throws Exception {
        for (long size : new long[] {0, 1, NarHasher.READ_AHEAD_MIN - 1, NarHasher.READ_AHEAD_MIN,
                3 * NarHasher.READ_AHEAD_MIN + 12345}) {
            Path f = file(tmp.resolve("f" + size), (int) size);
            assertEquals(reference(f), NarHasher.hashPath(f, "sha256"), "NAR of " + size + " bytes");
            MessageDigest flat = MessageDigest.getInstance("SHA-256");
            assertEquals(size, NarHasher.updateFile(f, flat));
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)), flat.digest(),
                    "flat hash of " + size + " bytes");
        }
    }

    @Test
    void bytesHashAsTheDumpedFileHoldingThem() throws Exception {
        // sizes around the 8-byte padding of a NAR's contents, with and without the executable bit
        for (int size : new int[] {0, 1, 7, 8, 9, 4096, 70_001}) {
            for (boolean executable : new boolean[] {false, true}) {
                Path f = file(tmp.resolve("b" + size + executable), size);
                f.toFile().setExecutable(executable);
                assertEquals(reference(f), NarHasher.hashRegularFile(Files.readAllBytes(f), executable, "sha256"),
                        size + " bytes, executable " + executable);
            }
        }
    }

    @Test
    void treesHashAsDumped() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        for (int i = 0; i < 200; i++) {
            Path dir = Files.createDirectories(tmp.resolve("tree/d" + i % 7));
            file(dir.resolve("f" + i), i == 13 ? 3 << 20 : random.nextInt(70_000));
        }
        Files.createSymbolicLink(tree.resolve("link"), Path.of("../../d1/f1"));
        Files.createDirectories(tmp.resolve("tree/empty"));
        Path root = tmp.resolve("tree");
        NarDigest expected = reference(root);
        assertEquals(expected, NarHasher.hashPath(root, "sha256"));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        assertEquals(expected.narSize(), NarHasher.updatePath(root, md));
        assertArrayEquals(expected.digest(), md.digest());
    }

    @Test
    void missingPathsFailAsWithoutReadAhead() {
        assertThrows(NoSuchFileException.class, () -> NarHasher.hashPath(tmp.resolve("missing"), "sha256"));
        assertThrows(NoSuchFileException.class,
                () -> NarHasher.updateFile(tmp.resolve("missing"), MessageDigest.getInstance("SHA-256")));
    }
}
