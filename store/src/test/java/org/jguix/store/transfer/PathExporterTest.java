package org.jguix.store.transfer;

import static org.jguix.store.transfer.TransferTestSupport.HELLO;
import static org.jguix.store.transfer.TransferTestSupport.HELLO_TEXT;
import static org.jguix.store.transfer.TransferTestSupport.REF;
import static org.jguix.store.transfer.TransferTestSupport.REF_TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jguix.nar.NarDumper;
import org.jguix.nar.NarRestorer;
import org.jguix.store.StoreException;
import org.jguix.store.ValidPathInfo;
import org.jguix.store.transfer.TransferTestSupport.Item;
import org.jguix.store.transfer.TransferTestSupport.Store;
import org.jguix.wire.StderrCodec;
import org.jguix.wire.TunnelOutputStream;
import org.jguix.wire.WireWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExportPath against the real daemon's bytes: fixtures/wire/export-path.d2c (what guix-daemon 1.5.0
 * sent for ref.txt signed and hello.txt unsigned, STDERR_WRITE frames included) and
 * fixtures/transfer/export.nar (`guix archive --export` with the fixture key).
 */
class PathExporterTest {
    @TempDir
    Path tmp;
    Store store;
    Path conf;
    FakeAuthenticator auth = new FakeAuthenticator();
    List<String> messages = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        store = Store.open(Files.createDirectories(tmp.resolve("root")));
        store.addText(HELLO, HELLO_TEXT);
        store.addText(REF, REF_TEXT, HELLO);
        conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("signing-key.sec"), "(private-key)");
        Files.setPosixFilePermissions(conf.resolve("signing-key.sec"), PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    PathExporter exporter() {
        return new PathExporter(store.db(), conf, auth, messages::add);
    }

    /** The STDERR_WRITE frames (header, payload, padding) of a daemon→client transcript, in order. */
    static List<byte[]> writeFrames(byte[] d2c) {
        List<byte[]> frames = new ArrayList<>();
        int pos = 16; // WORKER_MAGIC_2, protocol version
        while (pos < d2c.length) {
            long code = le(d2c, pos);
            if (code == StderrCodec.STDERR_NEXT || code == StderrCodec.STDERR_WRITE) {
                int len = (int) le(d2c, pos + 8);
                int end = pos + 16 + len + (8 - len % 8) % 8;
                if (code == StderrCodec.STDERR_WRITE) {
                    frames.add(Arrays.copyOfRange(d2c, pos, end));
                }
                pos = end;
            } else {
                pos += 8; // LAST, or an op's int result
            }
        }
        return frames;
    }

    static long le(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    byte[] framesOf(String path, boolean sign) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        TunnelOutputStream tunnel = new TunnelOutputStream(new WireWriter(wire));
        exporter().export(path, sign, tunnel);
        tunnel.flush();
        return wire.toByteArray();
    }

    @Test
    void unsignedExportIsByteIdenticalToTheDaemonsIncludingFrames() throws Exception {
        List<byte[]> real = writeFrames(Files.readAllBytes(TransferTestSupport.MAIN.resolve("fixtures/wire/export-path.d2c")));
        assertEquals(2, real.size());
        assertArrayEquals(real.get(1), framesOf(HELLO, false));
        assertEquals(List.of("exporting path `" + HELLO + "'"), messages);
        assertEquals(List.of(), auth.requests, "no agent for unsigned exports");
    }

    @Test
    void signedExportSignsTheDaemonsHashAndFramesTheSameBytes() throws Exception {
        byte[] realFrame = writeFrames(Files.readAllBytes(TransferTestSupport.MAIN.resolve("fixtures/wire/export-path.d2c"))).get(0);
        byte[] realStream = Arrays.copyOfRange(realFrame, 16, 16 + (int) le(realFrame, 8));
        Item item = TransferTestSupport.item(realStream, 0);
        // The hash inside the daemon's signature is what the agent was asked to sign.
        Matcher m = Pattern.compile("\\(hash sha256 #([0-9A-F]{64})#\\)")
                .matcher(new String(item.signature(), StandardCharsets.ISO_8859_1));
        assertTrue(m.find());
        String signedHash = m.group(1).toLowerCase(java.util.Locale.ROOT);
        assertEquals(signedHash, item.hashHex());
        auth.recorded.put(signedHash, item.signature());

        assertArrayEquals(realFrame, framesOf(REF, true));
        assertEquals(List.of("sign " + conf.resolve("signing-key.sec") + " " + signedHash), auth.requests);
    }

    @Test
    void exportOfTheClientsFileItemsIsByteIdentical() throws Exception {
        byte[] file = TransferTestSupport.fixture("export.nar");
        List<Item> items = TransferTestSupport.items(file);
        try (Store s = Store.open(Files.createDirectories(tmp.resolve("other")))) {
            for (Item i : items) {
                s.writer().add(i.path(), t -> NarRestorer.restore(
                        new ByteArrayInputStream(file, i.start(), i.narEnd() - i.start()), t),
                        i.references(), i.deriver().isEmpty() ? Optional.empty() : Optional.of(i.deriver()), null);
                auth.recorded.put(i.hashHex(), i.signature());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PathExporter(s.db(), conf, auth, null).exportPaths(items.stream().map(Item::path).toList(), true, out);
            assertArrayEquals(file, out.toByteArray());
        }
    }

    @Test
    void invalidAndForeignPathsAreRefused() {
        String invalid = "/gnu/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StoreException e = assertThrows(StoreException.class, () -> exporter().export(invalid, false, out));
        assertEquals("path `" + invalid + "' is not valid", e.getMessage());
        assertEquals(List.of("exporting path `" + invalid + "'"), messages, "the message comes first");
        e = assertThrows(StoreException.class, () -> exporter().export("/tmp/x", false, out));
        assertEquals("path `/tmp/x' is not in the store", e.getMessage());
        assertEquals(1, messages.size());
        assertEquals(0, out.size());
    }

    @Test
    void changedContentIsReportedAfterTheWholeNar() throws Exception {
        Path file = store.layout().file(HELLO);
        String before = store.narHex(HELLO);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(file, "HELLO world\n");
        String after = store.narHex(HELLO);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StoreException e = assertThrows(StoreException.class, () -> exporter().export(HELLO, true, out));
        assertEquals("hash of path `" + HELLO + "' has changed from `" + before + "' to `" + after + "'!", e.getMessage());
        ByteArrayOutputStream nar = new ByteArrayOutputStream();
        NarDumper.dump(file, nar);
        assertArrayEquals(nar.toByteArray(), out.toByteArray(), "exactly the NAR went out before the error");
        assertEquals(List.of(), auth.requests);
    }

    @Test
    void anAllZeroStoredHashIsNotChecked() throws Exception {
        ValidPathInfo info = store.db().queryPathInfo(HELLO);
        store.db().registerValidPaths(List.of(ValidPathInfo.of(HELLO, new byte[32], info.narSize(), List.of())));
        Files.setPosixFilePermissions(store.layout().file(HELLO), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(store.layout().file(HELLO), "changed\n");
        exporter().export(HELLO, false, new ByteArrayOutputStream());
    }

    @Test
    void aReadableSecretKeyIsRefusedAfterTheSignatureFlag() throws Exception {
        Path key = conf.resolve("signing-key.sec");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StoreException e = assertThrows(StoreException.class, () -> exporter().export(HELLO, true, out));
        assertEquals("file `" + key + "' should be secret (inaccessible to everybody else)!", e.getMessage());
        ByteArrayOutputStream unsigned = new ByteArrayOutputStream();
        exporter().export(HELLO, false, unsigned);
        byte[] expected = unsigned.toByteArray();
        expected[expected.length - 8] = 1; // the daemon writes "int 1" before checking the key
        assertArrayEquals(expected, out.toByteArray());
        assertEquals(List.of(), auth.requests);

        Files.delete(key);
        e = assertThrows(StoreException.class, () -> exporter().export(HELLO, true, new ByteArrayOutputStream()));
        assertEquals("getting status of `" + key + "': No such file or directory", e.getMessage());
    }

    @Test
    void agentErrorsPassThrough() {
        Authenticator failing = new Authenticator() {
            @Override
            public byte[] sign(Path secretKey, String hexHash) throws AuthenticationException {
                throw new AuthenticationException("failed to load key pair at '" + secretKey + "': Permission denied", 500, -1);
            }

            @Override
            public String verify(byte[] signature) {
                throw new AssertionError();
            }
        };
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> new PathExporter(store.db(), conf, failing, null).export(HELLO, true, new ByteArrayOutputStream()));
        assertEquals("failed to load key pair at '" + conf.resolve("signing-key.sec") + "': Permission denied", e.getMessage());
        assertEquals(500, e.agentCode());
    }
}
