package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #3's "a NAR of a 4 GB file is written and hashed with a small constant heap": a sparse file
 * just over 4 GiB (with marker bytes on both sides of 2^31 and 2^32, where an int or a u32 would wrap)
 * is hashed by the dumper and its NAR parsed back by the reader, in a JVM whose heap Failsafe caps at
 * 48 MiB (nar/pom.xml), so holding any sizeable part of the file would fail with OutOfMemoryError.
 * The expected digest is computed here from the NAR grammar directly, not by our writer.
 */
class NarLargeFileIT {
    private static final long SIZE = (4L << 30) + 5; // NAR padding 3
    private static final long[] MARKS = {0, (1L << 31) - 1, 1L << 31, (1L << 32) - 1, 1L << 32, SIZE - 1};

    @TempDir
    Path tmp;

    @Test
    void fourGibFileHashesAndParsesInConstantMemory() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertTrue(maxHeap < 64L << 20, "the IT must run with a small heap, has " + (maxHeap >> 20) + " MiB");
        Path file = tmp.resolve("big");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(SIZE);
            for (long at : MARKS) {
                raf.seek(at);
                raf.write((int) (at % 251) + 1);
            }
        }

        byte[] expected = expectedDigest(file);

        NarDigest dumped = NarHasher.hashPath(file, "sha256");
        assertEquals(header().length + SIZE + 3 + trailer().length, dumped.narSize());
        assertArrayEquals(expected, dumped.digest(), "dumper's NAR hash");

        try (InputStream nar = narStream(file)) {
            NarDigest parsed = NarHasher.hashNar(nar, "sha256");
            assertEquals(dumped.narSize(), parsed.narSize());
            assertArrayEquals(expected, parsed.digest(), "reader's NAR hash");
        }
    }

    /** The NAR of a non-executable regular file, by its grammar: header, the bytes, padding, trailer. */
    private static byte[] expectedDigest(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(header());
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        md.update(new byte[3]);
        md.update(trailer());
        return md.digest();
    }

    private static InputStream narStream(Path file) throws IOException {
        List<InputStream> parts = List.of(new ByteArrayInputStream(header()), Files.newInputStream(file),
                new ByteArrayInputStream(new byte[3]), new ByteArrayInputStream(trailer()));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    private static byte[] header() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : List.of("nix-archive-1", "(", "type", "regular", "contents")) {
            str(b, s);
        }
        b.writeBytes(u64(SIZE));
        return b.toByteArray();
    }

    private static byte[] trailer() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        str(b, ")");
        return b.toByteArray();
    }

    private static void str(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        b.writeBytes(u64(bytes.length));
        b.writeBytes(bytes);
        b.writeBytes(new byte[(8 - bytes.length % 8) % 8]);
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
