package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoder tests from literal bytes. */
class NarReaderTest {
    /**
     * nar-format.md §3.1: {@code nix-store --dump} of a 0644 file containing "hello", 120 bytes,
     * SHA-256 0a430879…e969 (RUN there with nix-store, guix hash and nix hash path).
     */
    static final byte[] HELLO = HexFormat.of().parseHex(
            "0d00000000000000" + "6e69782d61726368" + "6976652d31000000"
            + "0100000000000000" + "2800000000000000" + "0400000000000000" + "7479706500000000"
            + "0700000000000000" + "726567756c617200" + "0800000000000000" + "636f6e74656e7473"
            + "0500000000000000" + "68656c6c6f000000" + "0100000000000000" + "2900000000000000");

    @Test
    void helloFromSpec() throws IOException {
        NarReader r = new NarReader(new ByteArrayInputStream(HELLO));
        assertEquals(new NarEvent.RegularStart(false, 5), r.next());
        byte[] buf = new byte[16];
        assertEquals(5, r.readContents(buf, 0, 16));
        assertEquals("hello", new String(buf, 0, 5, StandardCharsets.US_ASCII));
        assertEquals(-1, r.readContents(buf, 0, 16));
        assertSame(NarEvent.REGULAR_END, r.next());
        assertNull(r.next());
        assertEquals(120, r.offset());
        assertEquals("0a430879c266f8b57f4092a0f935cf3facd48bbccde5760d4748ca405171e969",
                NarHasher.hashNar(new ByteArrayInputStream(HELLO), "sha256").hex());
    }

    @Test
    void stopsAtTheEndOfTheNarInALongerStream() throws IOException {
        byte[] longer = Arrays.copyOf(HELLO, HELLO.length + 5);
        ByteArrayInputStream in = new ByteArrayInputStream(longer);
        new NarReader(in).transferTo(new NarWriter(new ByteArrayOutputStream()));
        assertEquals(5, in.available());
    }

    @Test
    void unreadContentsAreSkipped() throws IOException {
        NarReader r = new NarReader(new ByteArrayInputStream(HELLO));
        List<NarEvent> events = new ArrayList<>();
        for (NarEvent e; (e = r.next()) != null; ) {
            events.add(e);
        }
        assertEquals(List.of(new NarEvent.RegularStart(false, 5), NarEvent.REGULAR_END), events);
    }

    @Test
    void byteByByteGivesTheSameResult() throws IOException {
        for (String name : Fixtures.valid()) {
            byte[] nar = Fixtures.nar(name);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new NarReader(new OneByteAtATime(nar)).transferTo(new NarWriter(out));
            assertArrayEquals(nar, out.toByteArray(), name);
        }
    }

    /** Every proper prefix of a valid NAR is a truncation, never a success or a format error. */
    @Test
    void cutAtEveryOffsetIsTruncation() throws IOException {
        for (String name : List.of("tree", "executable", "symlink", "odd-names", "empty-dir")) {
            byte[] nar = Fixtures.nar(name);
            for (int cut = 0; cut < nar.length; cut++) {
                byte[] prefix = Arrays.copyOf(nar, cut);
                NarTruncatedException e = assertThrows(NarTruncatedException.class,
                        () -> new NarReader(new ByteArrayInputStream(prefix)).transferTo(new NarWriter(new ByteArrayOutputStream())),
                        name + " cut at " + cut);
                assertEquals(cut, e.offset(), name + " cut at " + cut);
            }
        }
    }

    @Test
    void readerIsDeadAfterAnError() throws IOException {
        byte[] bad = HELLO.clone();
        bad[0] = 0x0e;
        NarReader r = new NarReader(new ByteArrayInputStream(bad));
        NarFormatException first = assertThrows(NarFormatException.class, r::next);
        assertSame(first, assertThrows(NarFormatException.class, r::next));
        assertEquals(0, first.offset());
        assertEquals("bad archive: input doesn't look like a normalized archive: header `nix-archive-1\\x00'",
                first.reason());
    }

    @Test
    void contentsLengthOver2To63IsRefused() {
        byte[] bad = HELLO.clone();
        bad[88 + 7] = (byte) 0x80; // the contents length field starts at byte 88
        NarFormatException e = assertThrows(NarFormatException.class, () -> drain(bad));
        assertEquals(88, e.offset());
        assertTrue(e.reason().startsWith("contents length: 9223372036854775813 (expected ≤ "), e.reason());
    }

    @Test
    void depthLimit() throws IOException {
        NarLimits limits = new NarLimits(255, 4095, 50);
        drain(deep(50), limits);
        NarFormatException e = assertThrows(NarFormatException.class, () -> drain(deep(51), limits));
        assertEquals("nesting depth: 51 (expected ≤ 50)", e.reason());
        // Far deeper than any Java stack would survive with a recursive parser.
        assertThrows(NarFormatException.class, () -> drain(deep(200_000), NarLimits.DEFAULT));
    }

    @Test
    void nameLengthLimit() throws IOException {
        NarLimits limits = new NarLimits(3, 4095, 10);
        drain(dirWith("abc"), limits);
        NarFormatException e = assertThrows(NarFormatException.class, () -> drain(dirWith("abcd"), limits));
        assertEquals("entry name length: 4 (expected ≤ 3)", e.reason());
    }

    @Test
    void targetLengthLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NarWriter(out).accept(new NarEvent.Symlink("x".repeat(100).getBytes(StandardCharsets.US_ASCII)));
        NarFormatException e = assertThrows(NarFormatException.class,
                () -> drain(out.toByteArray(), new NarLimits(255, 99, 10)));
        assertEquals("symlink target length: 100 (expected ≤ 99)", e.reason());
    }

    static byte[] deep(int depth) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NarWriter w = new NarWriter(out);
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                w.accept(new NarEvent.EntryStart(NarName.of("d")));
            }
            w.accept(NarEvent.DIRECTORY_START);
        }
        for (int i = 0; i < depth; i++) {
            w.accept(NarEvent.DIRECTORY_END);
            if (i < depth - 1) {
                w.accept(NarEvent.ENTRY_END);
            }
        }
        return out.toByteArray();
    }

    static byte[] dirWith(String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NarWriter w = new NarWriter(out);
        w.accept(NarEvent.DIRECTORY_START);
        w.accept(new NarEvent.EntryStart(NarName.of(name)));
        w.accept(NarEvent.DIRECTORY_START);
        w.accept(NarEvent.DIRECTORY_END);
        w.accept(NarEvent.ENTRY_END);
        w.accept(NarEvent.DIRECTORY_END);
        return out.toByteArray();
    }

    static void drain(byte[] nar) throws IOException {
        drain(nar, NarLimits.DEFAULT);
    }

    static void drain(byte[] nar, NarLimits limits) throws IOException {
        new NarReader(new ByteArrayInputStream(nar), limits).transferTo(new NarWriter(OutputStreamNull.INSTANCE));
    }

    /** Hands out at most one byte per read, as a slow socket may. */
    static final class OneByteAtATime extends InputStream {
        private final byte[] data;
        private int pos;

        OneByteAtATime(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }

    static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
