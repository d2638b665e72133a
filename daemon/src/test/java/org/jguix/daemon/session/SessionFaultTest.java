package org.jguix.daemon.session;

import static org.jguix.daemon.session.ClientView.error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jguix.nar.NarDumper;
import org.jguix.wire.ByteString;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;
import org.jguix.wire.StringPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken clients, each getting guix-daemon's reaction (§4.4 of the protocol spec):
 * errors while reading arguments are an ERROR frame and the end of the connection; errors in work
 * are an ERROR frame and the session goes on. A client leaving in the middle of an upload leaves
 * the store as it was: no new valid path, no temporary file.
 */
class SessionFaultTest {
    @TempDir
    Path tmp;
    TestDaemon d;
    String hello;

    @BeforeEach
    void open() throws IOException {
        d = new TestDaemon(tmp);
        hello = d.addHelloAndRef()[0];
    }

    @AfterEach
    void close() throws IOException {
        d.close();
    }

    @Test
    void aClientLeavingMidUploadLeavesTheStoreUntouched() throws IOException {
        byte[] c2d = Files.readAllBytes(TranscriptSessionTest.DIR.resolve("add-to-store-recursive.c2d"));
        int narStart = 32 + 8 + 16 + 8 + 8 + 16; // handshake, opcode, "tree", fixed, recursive, "sha256"
        Set<String> before = storeEntries();
        for (int cut = narStart; cut < narStart + 700; cut += 13) {
            ClientView v = new ClientView(d.replay(Arrays.copyOf(c2d, cut)));
            Object answer = v.answer(Operation.ADD_TO_STORE);
            assertEquals(error("unexpected end-of-file"), answer, "cut at " + cut);
            assertTrue(v.atEnd());
        }
        assertEquals(before, storeEntries());
        assertEquals(2, d.store.db().queryAllValidPaths().size());
    }

    @Test
    void aMalformedNarIsFatalAndLeavesNothing() throws IOException {
        byte[] c2d = Files.readAllBytes(TranscriptSessionTest.DIR.resolve("add-to-store-recursive.c2d"));
        byte[] bad = c2d.clone();
        int type = indexOf(bad, "directory".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        System.arraycopy("bogus\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bad, type, 9);
        bad[type - 8] = 5; // the token's length
        Set<String> before = storeEntries();
        ClientView v = new ClientView(d.replay(bad));
        assertEquals(error("bad archive: unknown file type bogus"), v.answer(Operation.ADD_TO_STORE));
        assertTrue(v.atEnd(), "the connection ends");
        assertEquals(before, storeEntries());
    }

    @Test
    void recoverableErrorsLetTheSessionGoOn() throws IOException {
        byte[] tree = nar(Files.createDirectories(tmp.resolve("in/dir")));
        byte[] file = nar(Files.writeString(tmp.resolve("in/file"), "x\n"));
        ClientView v = new ClientView(d.replay(concat(TestDaemon.client(
                new Request.AddToStore("flat-dir", true, false, "sha256")), tree,
                withoutHandshake(new Request.AddToStore("a/b", true, false, "sha256")), file,
                withoutHandshake(new Request.AddToStore("x", true, false, "sha257")), file,
                withoutHandshake(new Request.BuildPaths(List.of(hello), 0),
                        new Request.CollectGarbage(1, List.of(), true, -1L), new Request.IsValidPath(hello)))));
        assertEquals(error("regular file expected"), v.answer(Operation.ADD_TO_STORE));
        assertEquals(error("invalid character `/' in name `a/b'"), v.answer(Operation.ADD_TO_STORE));
        assertEquals(error("unknown hash type"), v.answer(Operation.ADD_TO_STORE));
        assertEquals(error("operation BuildPaths is not supported yet by jguix"), v.answer(Operation.BUILD_PATHS));
        assertEquals(error("you are not allowed to ignore liveness"), v.answer(Operation.COLLECT_GARBAGE));
        assertEquals(true, v.answer(Operation.IS_VALID_PATH));
        assertTrue(v.atEnd());
        assertEquals(List.of(), tempEntries());
    }

    @Test
    void argumentErrorsAreFatal() throws IOException {
        for (Request q : List.of(new Request.QueryPathInfo("/tmp/x"), new Request.BuildPaths(List.of("/tmp/x"), 0),
                new Request.AddTextToStore("t", ByteString.utf8("t"), List.of("/tmp/x")),
                new Request.ExportPath("/tmp/x", false), new Request.QueryValidPaths(List.of(hello, "/tmp/x")))) {
            ClientView v = new ClientView(d.replay(TestDaemon.client(q, new Request.IsValidPath(hello))));
            assertEquals(error("path `/tmp/x' is not in the store"), v.answer(q.operation()), q.toString());
            assertTrue(v.atEnd(), "nothing after a fatal error: " + q);
        }
        Request bad = Request.SetOptions.current(false, false, false, 0, true, 0, 0, true, true,
                List.of(new StringPair("build-max-jobs", "abc")));
        ClientView v = new ClientView(d.replay(TestDaemon.client(bad, new Request.IsValidPath(hello))));
        assertEquals(error("configuration setting `build-max-jobs' should have an integer value"),
                v.answer(Operation.SET_OPTIONS));
        assertTrue(v.atEnd());
    }

    @Test
    void garbageNeverEscapesTheSession() throws IOException {
        Random random = new Random(42);
        byte[] handshake = TestDaemon.client();
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            if (junk.length >= 8 && random.nextBoolean()) {
                junk[0] = (byte) (1 + random.nextInt(40)); // a plausible opcode, then garbage
                Arrays.fill(junk, 1, 8, (byte) 0);
            }
            byte[] out = d.replay(concat(handshake, junk));
            assertTrue(out.length >= 24, "greeting and LAST at least");
        }
        assertEquals(2, d.store.db().queryAllValidPaths().size());
        assertEquals(List.of(), tempEntries());
    }

    /**
     * An opcode that is not a valid int, or is cut short, ends the connection without an error frame
     * (guix-daemon reads it outside the op's error handling; scenario bad-input), while a well-formed
     * unknown opcode gets "invalid operation N" first.
     */
    @Test
    void aBadOpcodeClosesWithoutAFrame() throws IOException {
        byte[] handshake = TestDaemon.client();
        byte[] opened = d.replay(handshake);
        byte[] highBytes = {1, 0, 0, 0, 0, 1, 0, 0};
        assertArrayEquals(opened, d.replay(concat(handshake, highBytes)));
        assertArrayEquals(opened, d.replay(concat(handshake, new byte[] {1, 0, 0})));
        byte[] unknown = {(byte) 0x0f, 0x27, 0, 0, 0, 0, 0, 0}; // 9999
        ClientView v = new ClientView(d.replay(concat(handshake, unknown)));
        assertEquals(error("invalid operation 9999"), v.answer(Operation.IS_VALID_PATH));
        assertTrue(v.atEnd());
    }

    @Test
    void badMagicClosesWithoutAByte() throws IOException {
        assertArrayEquals(new byte[0], d.replay("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertTrue(d.log.stream().anyMatch(l -> l.contains("implementation cannot deal with > 32-bit integers")));
    }

    private Set<String> storeEntries() throws IOException {
        try (Stream<Path> s = Files.list(d.store.layout().storeDirectory())) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).toList());
        }
    }

    private List<String> tempEntries() throws IOException {
        return storeEntries().stream().filter(n -> n.startsWith(".jguix-tmp")).toList();
    }

    static byte[] nar(Path p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NarDumper.dump(p, out);
        return out.toByteArray();
    }

    static byte[] withoutHandshake(Request... requests) throws IOException {
        byte[] all = TestDaemon.client(requests);
        return Arrays.copyOfRange(all, 32, all.length);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] needle) {
        for (int i = 0; i + needle.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
