package org.jguix.daemon.session;

import static org.jguix.daemon.session.ClientView.error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jguix.store.StoreException;
import org.jguix.store.transfer.Authenticator;
import org.jguix.store.transfer.PathExporter;
import org.jguix.store.transfer.internal.TransferErrors;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;
import org.jguix.wire.WireWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExportPath and ImportPaths through a session (spec §5.14, §5.24, §4.3, §4.4), with the
 * {@link FakeAuthenticator} for {@code guix authenticate}. The client's answers to {@code STDERR_READ}
 * are in the replayed input; a daemon asking for more than the export stream would take the next
 * request's bytes for an answer, so every test ends with a request that must still be answered.
 */
class TransferSessionTest {
    @TempDir
    Path tmp;
    /** Holds hello.txt and ref.txt; the source of export streams. */
    TestDaemon src;
    /** Empty; where the streams are imported. */
    TestDaemon dst;
    String hello;
    String ref;

    @BeforeEach
    void open() throws IOException {
        src = new TestDaemon(tmp.resolve("src"));
        String[] items = src.addHelloAndRef();
        hello = items[0];
        ref = items[1];
        dst = new TestDaemon(tmp.resolve("dst"));
    }

    @AfterEach
    void close() throws IOException {
        src.close();
        dst.close();
    }

    // ---- ImportPaths ----

    @Test
    void importsASignedStreamPulledLazily() throws IOException {
        byte[] stream = exportStream(true, hello, ref);
        for (int chunk : new int[] {1, 7, 100, stream.length, 32768}) {
            try (TestDaemon d = new TestDaemon(tmp.resolve("chunk" + chunk))) {
                ClientView v = new ClientView(d.replay(importClient(stream, chunk, new Request.IsValidPath(ref))));
                assertEquals(List.of(hello, ref), v.answer(Operation.IMPORT_PATHS), "chunk " + chunk);
                assertEquals((stream.length + Math.min(chunk, 32768) - 1) / Math.min(chunk, 32768), v.reads,
                        "one STDERR_READ per answer, none after the final 0 (chunk " + chunk + ")");
                assertEquals(true, v.answer(Operation.IS_VALID_PATH));
                assertTrue(v.atEnd());
                assertEquals(Set.of(hello), d.store.db().queryReferences(ref));
                assertEquals(src.store.db().queryPathInfo(ref).narHash(), d.store.db().queryPathInfo(ref).narHash());
                assertEquals(List.of("verify", "verify"), d.authenticator.requests);
                assertEquals(List.of(), tempEntries(d));
            }
        }
    }

    @Test
    void importingValidPathsAgainReturnsThem() throws IOException {
        byte[] stream = exportStream(true, hello);
        byte[] once = importClient(stream, stream.length);
        byte[] twice = SessionFaultTest.concat(once, Arrays.copyOfRange(once, 32, once.length));
        ClientView v = new ClientView(dst.replay(twice));
        assertEquals(List.of(hello), v.answer(Operation.IMPORT_PATHS));
        assertEquals(List.of(hello), v.answer(Operation.IMPORT_PATHS));
        assertTrue(v.atEnd());
    }

    @Test
    void anUnsignedItemIsRefusedEvenForATrustedClient() throws IOException {
        // hello signed, then ref unsigned: the daemon registers each item as soon as it has read it.
        byte[] stream = stream(item(hello, true), item(ref, false));
        ClientView v = new ClientView(dst.replay(importClient(stream, stream.length, new Request.IsValidPath(hello))));
        assertEquals(error(TransferErrors.lacksSignature(ref)), v.answer(Operation.IMPORT_PATHS));
        assertEquals(true, v.answer(Operation.IS_VALID_PATH), "the session goes on; the first item stays");
        assertTrue(v.atEnd(), "the unread rest of the answer (the final 0) is not taken for a request");
        assertFalse(dst.store.db().isValidPath(ref));
        assertEquals(List.of(), tempEntries(dst));
    }

    @Test
    void signatureErrorsAreRecoverable() throws IOException {
        byte[] unsigned = item(hello, false);
        byte[] hashed = Arrays.copyOf(unsigned, unsigned.length - 8); // up to the signature flag
        String hash = sha256(hashed);
        String other = sha256(unsigned);
        byte[] unauthorised = signed(hashed, FakeAuthenticator.synthetic(hash, FakeAuthenticator.UNAUTHORISED));
        byte[] mismatch = signed(hashed, FakeAuthenticator.synthetic(other, "(sig-val fake)"));
        byte[] c2d = SessionFaultTest.concat(importClient(stream(unauthorised), 32768),
                withoutHandshake(importClient(stream(mismatch), 32768, new Request.IsValidPath(hello))));
        ClientView v = new ClientView(dst.replay(c2d));
        assertEquals(error("unauthorized public key: " + FakeAuthenticator.UNAUTHORISED),
                v.answer(Operation.IMPORT_PATHS));
        assertEquals(error(TransferErrors.HASH_MISMATCH), v.answer(Operation.IMPORT_PATHS));
        assertEquals(false, v.answer(Operation.IS_VALID_PATH));
        assertTrue(v.atEnd());
        assertEquals(List.of(), tempEntries(dst));
    }

    @Test
    void anEmptyAnswerIsARecoverableEndOfFile() throws IOException {
        ClientView v = new ClientView(dst.replay(importClient(new byte[0], 1, new Request.IsValidPath(hello))));
        assertEquals(error("unexpected end-of-file"), v.answer(Operation.IMPORT_PATHS));
        assertEquals(false, v.answer(Operation.IS_VALID_PATH));
        assertTrue(v.atEnd());
    }

    @Test
    void aMalformedAnswerIsFatal() throws IOException {
        byte[] head = importClient(new byte[0], 1);
        head = Arrays.copyOf(head, head.length - 8); // handshake and opcode, no answer yet
        byte[] next = withoutHandshake(TestDaemon.client(new Request.IsValidPath(hello)));
        // The daemon's readString fails while it is out of work (canSendStderr = false): ERROR, then EOF.
        byte[] tooLong = answer(w -> w.writeU64(32769));
        byte[] badPadding = answer(w -> {
            w.writeU64(5);
            w.writeRaw(new byte[] {1, 0, 0, 0, 0, 0, 0, 1}, 0, 8);
        });
        byte[] highBits = answer(w -> w.writeU64(1L << 32));
        record Case(byte[] answer, String error) { }
        for (Case c : List.of(new Case(tooLong, "string is too long"), new Case(badPadding, "non-zero padding"),
                new Case(highBits, "implementation cannot deal with > 32-bit integers"))) {
            ClientView v = new ClientView(dst.replay(SessionFaultTest.concat(head, c.answer(), next)));
            assertEquals(error(c.error()), v.answer(Operation.IMPORT_PATHS));
            assertTrue(v.atEnd(), "nothing after a fatal error: " + c.error());
        }
    }

    @Test
    void aClientLeavingMidImportLeavesNothingOfTheItemBeingRead() throws IOException {
        byte[] stream = exportStream(true, hello, ref);
        byte[] full = importClient(stream, stream.length);
        int dataStart = full.length - pad(stream.length); // the answer's bytes start here
        int firstItemEnd = dataStart + 8 + item(hello, true).length;
        for (int cut = dataStart - 8; cut < dataStart + stream.length - 8; cut += 37) {
            try (TestDaemon d = new TestDaemon(tmp.resolve("cut" + cut))) {
                ClientView v = new ClientView(d.replay(Arrays.copyOf(full, cut)));
                assertEquals(error("unexpected end-of-file"), v.answer(Operation.IMPORT_PATHS), "cut " + cut);
                assertTrue(v.atEnd(), "the connection ends (cut " + cut + ")");
                assertEquals(cut >= firstItemEnd, d.store.db().isValidPath(hello), "cut " + cut);
                assertFalse(d.store.db().isValidPath(ref), "cut " + cut);
                assertEquals(List.of(), tempEntries(d), "cut " + cut);
            }
        }
    }

    // ---- ExportPath ----

    @Test
    void exportPathStreamsWhatTheExporterWrites() throws IOException {
        ClientView v = new ClientView(src.replay(TestDaemon.client(new Request.ExportPath(ref, true),
                new Request.ExportPath(hello, false))));
        assertEquals(true, v.answer(Operation.EXPORT_PATH));
        byte[] signed = v.written.toByteArray();
        v.written.reset();
        assertEquals(true, v.answer(Operation.EXPORT_PATH));
        assertTrue(v.atEnd());
        assertEquals(List.of("exporting path `" + ref + "'\n", "exporting path `" + hello + "'\n"), v.messages);
        assertArrayEquals(item(ref, true), signed);
        assertArrayEquals(item(hello, false), v.written.toByteArray());
        byte[] hashed = item(ref, false);
        hashed = Arrays.copyOf(hashed, hashed.length - 8); // the signed part: all but the signature flag
        String key = src.configDir.resolve("signing-key.sec").toString();
        // Two by item() above, one by the session; the unsigned export asked the agent nothing.
        assertEquals(List.of("sign " + key + " " + sha256(hashed)), Set.copyOf(src.authenticator.requests).stream()
                .toList());
        assertEquals(2, src.authenticator.requests.size());
    }

    @Test
    void exportErrorsAfterTheStreamStartedAreRecoverable() throws IOException {
        String missing = "/gnu/store/00000000000000000000000000000000-missing";
        Files.setPosixFilePermissions(src.configDir.resolve("signing-key.sec"),
                PosixFilePermissions.fromString("rw-r-----"));
        ClientView v = new ClientView(src.replay(TestDaemon.client(new Request.ExportPath(missing, false),
                new Request.ExportPath(hello, true), new Request.IsValidPath(hello))));
        assertEquals(error("path `" + missing + "' is not valid"), v.answer(Operation.EXPORT_PATH));
        assertEquals(error("file `" + src.configDir.resolve("signing-key.sec")
                + "' should be secret (inaccessible to everybody else)!"), v.answer(Operation.EXPORT_PATH));
        byte[] unsigned = item(hello, false);
        byte[] flushed = v.written.toByteArray();
        assertArrayEquals(Arrays.copyOf(unsigned, unsigned.length - 8), Arrays.copyOf(flushed, flushed.length - 8),
                "what was written before the error reaches the client first");
        assertEquals(1, flushed[flushed.length - 8], "the signature flag went out before the key check");
        assertEquals(true, v.answer(Operation.IS_VALID_PATH));
        assertTrue(v.atEnd());
        assertEquals(List.of(), src.authenticator.requests);
    }

    // ---- the agents ----

    @Test
    void eachSessionOpensItsOwnAgentOnFirstUseAndEndsIt() throws IOException {
        List<ClosingAgent> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        Authentication auth = new Authentication(src.configDir, () -> {
            ClosingAgent a = new ClosingAgent();
            made.add(a);
            return a;
        });
        SessionServer server = new SessionServer(src.store, new SessionServer.Config(
                org.jguix.daemon.config.Settings.DEFAULTS, Verbosity.INFO, true, TestDaemon.UID), OpTable.standard(),
                Substituter.NONE, (UserDirectory) new UserDirectory() {
                    @Override
                    public java.util.Optional<String> nameOf(long uid) {
                        return java.util.Optional.empty();
                    }

                    @Override
                    public java.util.OptionalLong uidOf(String name) {
                        return java.util.OptionalLong.empty();
                    }
                }, auth, src.log::add);
        byte[] unsigned = TestDaemon.client(new Request.ExportPath(hello, false));
        byte[] signedTwice = TestDaemon.client(new Request.ExportPath(hello, true), new Request.ExportPath(ref, true));
        for (byte[] c2d : List.of(unsigned, signedTwice, signedTwice)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            server.serve(TestDaemon.trustedPeer(), new java.io.ByteArrayInputStream(c2d), out);
        }
        assertEquals(2, made.size(), "none for the unsigned export, one per signing session");
        assertEquals(2, made.get(0).signs);
        assertTrue(made.stream().allMatch(a -> a.closed), "each ended with its session");

        Authenticator running = auth.open();
        auth.close();
        assertTrue(((ClosingAgent) running).closed, "shutdown ends the agents of running sessions");
        assertThrows(StoreException.class, auth::open);
    }

    /** An agent that counts its requests and knows whether it was closed. */
    static final class ClosingAgent implements Authenticator, AutoCloseable {
        int signs;
        volatile boolean closed;

        @Override
        public byte[] sign(Path secretKey, String hexHash) {
            signs++;
            return FakeAuthenticator.synthetic(hexHash, "(sig-val fake)");
        }

        @Override
        public String verify(byte[] signature) {
            return FakeAuthenticator.signedHash(signature);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    // ---- helpers ----

    /** What {@code export-paths} writes: {@code u64 1} + item per path, {@code u64 0}. */
    byte[] exportStream(boolean sign, String... paths) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter().exportPaths(List.of(paths), sign, out);
        return out.toByteArray();
    }

    /** One item as ExportPath sends it (through jguix's exporter, checked against the real daemon elsewhere). */
    byte[] item(String path, boolean sign) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter().export(path, sign, out);
        return out.toByteArray();
    }

    private PathExporter exporter() {
        return new PathExporter(src.store.db(), src.configDir, src.authenticator, null);
    }

    static byte[] stream(byte[]... items) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireWriter w = new WireWriter(out);
        for (byte[] item : items) {
            w.writeU64(1);
            w.writeRaw(item, 0, item.length);
        }
        w.writeU64(0);
        w.flush();
        return out.toByteArray();
    }

    /** {@code hashed} (an item up to its signature flag) with flag 1 and {@code signature}. */
    static byte[] signed(byte[] hashed, byte[] signature) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(hashed);
        WireWriter w = new WireWriter(out);
        w.writeInt(1);
        w.writeBytes(signature, 0, signature.length);
        w.flush();
        return out.toByteArray();
    }

    /**
     * Client bytes: handshake, ImportPaths, then {@code stream} as the answers to successive
     * {@code STDERR_READ 32768} (each at most {@code chunk} bytes), then {@code after}.
     */
    static byte[] importClient(byte[] stream, int chunk, Request... after) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TestDaemon.client(new Request.ImportPaths()));
        WireWriter w = new WireWriter(out);
        int step = Math.min(chunk, 32768);
        int at = 0;
        do {
            int n = Math.min(step, stream.length - at);
            w.writeBytes(stream, at, n);
            at += n;
        } while (at < stream.length);
        w.flush();
        out.writeBytes(withoutHandshake(TestDaemon.client(after)));
        return out.toByteArray();
    }

    @FunctionalInterface
    interface Body {
        void write(WireWriter w) throws IOException;
    }

    static byte[] answer(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireWriter w = new WireWriter(out);
        body.write(w);
        w.flush();
        return out.toByteArray();
    }

    static byte[] withoutHandshake(byte[] c2d) {
        return Arrays.copyOfRange(c2d, 32, c2d.length);
    }

    /** A string's padded length. */
    static int pad(int len) {
        return (len + 7) / 8 * 8;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> tempEntries(TestDaemon d) throws IOException {
        try (Stream<Path> s = Files.list(d.store.layout().storeDirectory())) {
            // Anything but store items and their locks: temporaries, half-moved trees.
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")
                    && !d.store.layout().isStorePath(d.store.layout().storeDirString() + "/" + n)).sorted().toList();
        }
    }
}
