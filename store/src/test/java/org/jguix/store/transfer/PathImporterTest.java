package org.jguix.store.transfer;

import static org.jguix.store.transfer.TransferTestSupport.HELLO;
import static org.jguix.store.transfer.TransferTestSupport.REF;
import static org.jguix.store.transfer.TransferTestSupport.concat;
import static org.jguix.store.transfer.TransferTestSupport.framed;
import static org.jguix.store.transfer.TransferTestSupport.str;
import static org.jguix.store.transfer.TransferTestSupport.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jguix.store.GcLock;
import org.jguix.store.StoreException;
import org.jguix.store.TempRoots;
import org.jguix.store.ValidPathInfo;
import org.jguix.store.transfer.TransferTestSupport.Item;
import org.jguix.store.transfer.TransferTestSupport.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImportPaths on the real client's export file (fixtures/transfer/export.nar, `guix archive --export`
 * by guix 1.5.0 with the fixture key) and on broken siblings synthesised from it in-test; the
 * expected results are the real daemon's (fixtures/transfer/import.expected, export.paths).
 */
class PathImporterTest {
    @TempDir
    Path tmp;
    Store store;
    FakeAuthenticator auth = new FakeAuthenticator();
    byte[] file;
    List<Item> items;

    @BeforeEach
    void open() throws IOException {
        store = Store.open(Files.createDirectories(tmp.resolve("root")));
        auth.authorise(TransferTestSupport.fixtureKeyQ());
        file = TransferTestSupport.fixture("export.nar");
        items = TransferTestSupport.items(file);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    List<String> importBytes(byte[] stream, boolean requireSignature) throws IOException {
        return new PathImporter(store.db(), store.writer(), auth).importPaths(new ByteArrayInputStream(stream),
                requireSignature, null);
    }

    /** Bytes {@code [start, end)} of the fixture: an item without its marker. */
    byte[] itemBytes(Item i) {
        return Arrays.copyOfRange(file, i.start(), i.end());
    }

    /** An item's bytes with the signature part replaced. */
    byte[] withSignaturePart(Item i, byte[] part) {
        return concat(Arrays.copyOfRange(file, i.start(), i.trailerEnd()), part);
    }

    /** A stream that fails the test if anything reads from it. */
    static InputStream forbidden() {
        return new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read past the end of the export stream");
            }
        };
    }

    void assertNothingLeft(String... paths) throws IOException {
        for (String p : paths) {
            assertFalse(store.db().isValidPath(p), p);
            assertFalse(Files.exists(store.layout().file(p)), p);
        }
        assertEquals(List.of(), store.strayEntries());
    }

    void assertLikeTheRealDaemon(List<String> imported) throws IOException {
        assertEquals(Files.readAllLines(TransferTestSupport.FIXTURES.resolve("export.paths")), imported);
        for (String row : Files.readAllLines(TransferTestSupport.FIXTURES.resolve("import.expected"))) {
            String[] f = row.split("\t", -1);
            ValidPathInfo info = store.db().queryPathInfo(f[0]);
            assertEquals("sha256:" + f[1], info.narHash(), row);
            assertEquals(Long.parseLong(f[2]), info.narSize(), row);
            assertEquals(f[3].equals("-") ? Optional.empty() : Optional.of(f[3]), info.deriver(), row);
            assertEquals(f[4].isEmpty() ? List.of() : List.of(f[4].split(" ")), List.copyOf(info.references()), row);
            assertEquals(f[1], store.narHex(f[0]), "content on disk: " + row);
        }
        assertEquals(List.of(), store.strayEntries());
    }

    @Test
    void importsTheRealClientsFileLikeTheRealDaemonWithoutReadingPastTheEnd() throws Exception {
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(file), forbidden());
        List<String> imported = new PathImporter(store.db(), store.writer(), auth).importPaths(in, true, null);
        assertLikeTheRealDaemon(imported);
        assertEquals(4, auth.requests.size());
    }

    @Test
    void rootsTheTemporaryAndEveryImportedPath() throws Exception {
        try (TempRoots roots = TempRoots.open(store.layout(), new GcLock(store.layout(), null));
                TempRoots.Session session = roots.newSession()) {
            List<String> imported = new PathImporter(store.db(), store.writer(), auth)
                    .importPaths(new ByteArrayInputStream(file), true, session);
            assertTrue(session.roots().containsAll(imported));
            assertEquals(imported.size(), session.roots().stream().filter(r -> r.startsWith("/gnu/store/.jguix-tmp-")).count(),
                    session.roots().toString());
        }
    }

    @Test
    void importsFromOneByteReads() throws Exception {
        InputStream trickle = new ByteArrayInputStream(file) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        assertLikeTheRealDaemon(new PathImporter(store.db(), store.writer(), auth).importPaths(trickle, true, null));
    }

    @Test
    void importingAgainChangesNothing() throws Exception {
        List<String> first = importBytes(file, true);
        ValidPathInfo before = store.db().queryPathInfo(first.get(2));
        assertEquals(first, importBytes(file, true));
        assertEquals(before, store.db().queryPathInfo(first.get(2)));
        assertEquals(List.of(), store.strayEntries());
    }

    @Test
    void aMissingSignatureIsRefusedUnlessNotRequired() throws Exception {
        byte[] unsigned = framed(withSignaturePart(items.get(0), u64(0)));
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> importBytes(unsigned, true));
        assertEquals("imported archive of `" + HELLO + "' lacks a signature", e.getMessage());
        assertNothingLeft(HELLO);
        // Like the daemon, any value other than 1 means "no signature".
        byte[] two = framed(withSignaturePart(items.get(0), u64(2)));
        assertThrows(AuthenticationException.class, () -> importBytes(two, true));
        assertEquals(List.of(), auth.requests);

        assertEquals(List.of(HELLO), importBytes(unsigned, false));
        assertTrue(store.db().isValidPath(HELLO));
    }

    @Test
    void anUnauthorisedKeyIsRefusedWithTheAgentsMessage() throws Exception {
        auth.authorised.clear();
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> importBytes(file, true));
        assertEquals("unauthorized public key: (public-key (q #" + TransferTestSupport.fixtureKeyQ() + "#))",
                e.getMessage());
        assertEquals(500, e.agentCode());
        assertNothingLeft(HELLO);
    }

    @Test
    void aSignatureOfAnotherItemIsATrojanHorse() throws Exception {
        byte[] forged = framed(withSignaturePart(items.get(0), concat(u64(1), str(items.get(1).signature()))));
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> importBytes(forged, true));
        assertEquals("signed hash doesn't match actual contents of imported archive; archive could be corrupt, "
                + "or someone is trying to import a Trojan horse", e.getMessage());
        assertNothingLeft(HELLO);
    }

    @Test
    void corruptSignatureDataComesFromTheAgent() throws Exception {
        byte[] garbage = framed(withSignaturePart(items.get(0), concat(u64(1), str("(signature)"))));
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> importBytes(garbage, true));
        assertEquals("corrupt signature data: (signature)", e.getMessage());
        assertNothingLeft(HELLO);
    }

    @Test
    void aBadMarkerIsNotAnExport() {
        CorruptExportException e = assertThrows(CorruptExportException.class,
                () -> importBytes(concat(u64(2), itemBytes(items.get(0)), u64(0)), true));
        assertEquals("input doesn't look like something created by `nix-store --export'", e.getMessage());
        assertEquals(0, e.offset());
        // A bare NAR (what `guix archive --export` users sometimes confuse it with) is refused the same way.
        assertThrows(CorruptExportException.class, () -> importBytes(itemBytes(items.get(0)), true));
    }

    @Test
    void aWrongMagicIsTheWrongFormat() throws Exception {
        Item i = items.get(0);
        byte[] bad = framed(itemBytes(i));
        bad[8 + i.narEnd() - i.start()] ^= 1;
        CorruptExportException e = assertThrows(CorruptExportException.class, () -> importBytes(bad, true));
        assertEquals("normalized archive cannot be imported; wrong format", e.getMessage());
        assertEquals(8 + i.narEnd() - i.start(), e.offset());
        assertNothingLeft(HELLO);
    }

    @Test
    void aCorruptNarIsABadArchive() throws Exception {
        byte[] bad = framed(itemBytes(items.get(0)));
        String s = new String(bad, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("regular");
        bad[at + 6] = 'X';
        CorruptExportException e = assertThrows(CorruptExportException.class, () -> importBytes(bad, true));
        assertTrue(e.getMessage().startsWith("bad archive: "), e.getMessage());
        assertTrue(e.offset() > 8 && e.offset() <= at, e.detail());
        assertNothingLeft(HELLO);
    }

    @Test
    void trailerPathsMustBeInTheStore() throws Exception {
        Item i = items.get(1);
        byte[] nar = Arrays.copyOfRange(file, i.start(), i.narEnd());
        byte[] badPath = framed(concat(nar, u64(ExportFormat.EXPORT_MAGIC), str("/tmp/ref.txt"), u64(0), str(""), u64(0)));
        CorruptExportException e = assertThrows(CorruptExportException.class, () -> importBytes(badPath, false));
        assertEquals("path `/tmp/ref.txt' is not in the store", e.getMessage());
        byte[] badRef = framed(concat(nar, u64(ExportFormat.EXPORT_MAGIC), str(REF), u64(1), str("/tmp/h"), str(""), u64(0)));
        e = assertThrows(CorruptExportException.class, () -> importBytes(badRef, false));
        assertEquals("path `/tmp/h' is not in the store", e.getMessage());
        byte[] badDrv = framed(concat(nar, u64(ExportFormat.EXPORT_MAGIC), str(REF), u64(0), str("x.drv"), u64(0)));
        e = assertThrows(CorruptExportException.class, () -> importBytes(badDrv, false));
        assertEquals("path `x.drv' is not in the store", e.getMessage());
        assertNothingLeft(REF);
    }

    @Test
    void referencesMustBeValidByTheTimeTheItemIsRegistered() throws Exception {
        StoreException e = assertThrows(StoreException.class, () -> importBytes(framed(itemBytes(items.get(1))), true));
        assertTrue(e.getMessage().endsWith("' is not valid"), e.getMessage());
        assertNothingLeft(REF);
    }

    @Test
    void aValidDeriverIsRecorded() throws Exception {
        Item built = items.get(3);
        String drvText = "Derive([(\"out\",\"" + built.path() + "\",\"\",\"\")],[],[],\"x86_64-linux\",\"/bin/sh\",[],[])";
        store.writer().add(built.deriver(), t -> Files.writeString(t, drvText), List.of(), Optional.empty(), null);
        assertEquals(List.of(built.path()), importBytes(framed(itemBytes(built)), true));
        assertEquals(Optional.of(built.deriver()), store.db().queryDeriver(built.path()));
    }

    @Test
    void aStreamCutAnywhereIsTruncatedAndLeavesNothing() throws Exception {
        Item hello = items.get(0);
        for (int cut = 0; cut < hello.end(); cut++) {
            byte[] prefix = Arrays.copyOf(file, cut);
            TruncatedExportException e = assertThrows(TruncatedExportException.class, () -> importBytes(prefix, true),
                    "cut at " + cut);
            assertEquals("unexpected end-of-file", e.getMessage());
        }
        assertNothingLeft(HELLO);
        // Later cuts: the items before the cut stay imported, as with the daemon (it registers each
        // item as soon as it is read); the item being read leaves nothing.
        Item tree = items.get(2);
        for (int cut : new int[] {hello.end(), tree.start(), tree.start() + 1000, tree.narEnd() - 3, tree.trailerEnd() + 9,
            tree.end(), file.length - 1}) {
            byte[] prefix = Arrays.copyOf(file, cut);
            assertThrows(TruncatedExportException.class, () -> importBytes(prefix, true), "cut at " + cut);
            assertTrue(store.db().isValidPath(HELLO));
            assertEquals(List.of(), store.strayEntries(), "cut at " + cut);
        }
        assertTrue(store.db().isValidPath(tree.path()), "cut after the tree item");
        assertTrue(store.db().isValidPath(items.get(3).path()), "cut inside the final marker");
    }
}
