package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dumper's two ways of reading a file: small ones into a heap buffer of about their size, large ones
 * through the aligned direct buffer; one dumper switching between them in a tree, and no direct buffer
 * per dump of a small file (the daemon dumps one per AddTextToStore).
 */
class NarDumperBufferTest {
    @TempDir
    Path tmp;

    private final Random random = new Random(5);

    private byte[] bytes(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    @Test
    void oneDumperReadsSmallAndLargeFilesAlike() throws IOException {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        int[] sizes = {0, 1, 4095, 4097, NarDumper.SMALL_FILE - 1, NarDumper.SMALL_FILE, 300_000, 10, 70_000, 5};
        byte[][] contents = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            contents[i] = bytes(sizes[i]);
            Files.write(tree.resolve(String.format("f%02d", i)), contents[i]);
        }
        ByteArrayOutputStream nar = new ByteArrayOutputStream();
        NarDumper.dump(tree, nar);
        Path back = tmp.resolve("back");
        NarRestorer.restore(new ByteArrayInputStream(nar.toByteArray()), back);
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(contents[i], Files.readAllBytes(back.resolve(String.format("f%02d", i))), "f" + i);
        }
        // a dumper with a buffer smaller than SMALL_FILE reads everything through the aligned reader
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new NarDumper(8192).dump(tree, new NarWriter(again));
        assertArrayEquals(nar.toByteArray(), again.toByteArray());
    }

    @Test
    void dumpingSmallFilesAllocatesNoDirectBuffers() throws IOException {
        Path f = Files.write(tmp.resolve("small"), bytes(3000));
        NarHasher.hashPath(f, "sha256"); // the JDK's per-thread temporary buffer, once
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        long before = direct.getCount();
        for (int i = 0; i < 50; i++) {
            NarHasher.hashPath(f, "sha256");
        }
        long grown = direct.getCount() - before;
        assertTrue(grown <= 1, "direct buffers allocated by 50 dumps of a small file: " + grown);
    }
}
