package org.jguix.store.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jguix.store.transfer.TransferTestSupport.Store;
import org.jguix.wire.StderrCodec;
import org.jguix.wire.TunnelInputStream;
import org.jguix.wire.WireReader;
import org.jguix.wire.WireWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImportPaths pulled through {@link TunnelInputStream} as the session will run it: the same
 * STDERR_READ requests as the real daemon in fixtures/wire/import-paths.{c2d,d2c}, and never one
 * after the final marker (the Guix client crashes if asked for data it does not have, spec §4.3).
 */
class ImportTunnelTest {
    static final String IMPORTED = "/gnu/store/f4cgmqkc6baa5yh43hjhq3dwm07w1gz2-imported.txt";

    @TempDir
    Path tmp;
    Store store;
    FakeAuthenticator auth = new FakeAuthenticator();

    @BeforeEach
    void open() throws IOException {
        store = Store.open(Files.createDirectories(tmp.resolve("root")));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    List<String> importThroughTunnel(WireReader client, ByteArrayOutputStream toClient, boolean require) throws IOException {
        return new PathImporter(store.db(), store.writer(), auth)
                .importPaths(new TunnelInputStream(client, new WireWriter(toClient)), require, null);
    }

    @Test
    void pullsLikeTheRealDaemonInTheCapturedSession() throws Exception {
        byte[] c2d = Files.readAllBytes(TransferTestSupport.MAIN.resolve("fixtures/wire/import-paths.c2d"));
        byte[] d2c = Files.readAllBytes(TransferTestSupport.MAIN.resolve("fixtures/wire/import-paths.d2c"));
        Matcher q = Pattern.compile("\\(q #([0-9A-F]+)#\\)").matcher(new String(c2d, StandardCharsets.ISO_8859_1));
        q.find();
        auth.authorise(q.group(1)); // the generator's throw-away key

        // c2d: handshake (4 u64), op 27, the client's answer to READ; then op 27 again (unsigned export).
        WireReader client = new WireReader(new ByteArrayInputStream(c2d, 32, c2d.length - 32));
        assertEquals(27, client.readInt("op"));
        ByteArrayOutputStream toClient = new ByteArrayOutputStream();
        assertEquals(List.of(IMPORTED), importThroughTunnel(client, toClient, true));
        // d2c: handshake (16 bytes), LAST, then exactly one READ 32768 before the daemon's LAST.
        byte[] realRead = Arrays.copyOfRange(d2c, 24, 40);
        assertEquals(StderrCodec.STDERR_READ, (int) PathExporterTest.le(realRead, 0));
        assertArrayEquals(realRead, toClient.toByteArray());
        assertEquals(27, client.readInt("next op"), "the answer was consumed exactly");

        toClient.reset();
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> importThroughTunnel(client, toClient, true));
        assertEquals("imported archive of `" + IMPORTED + "' lacks a signature", e.getMessage());
        assertArrayEquals(realRead, toClient.toByteArray());
    }

    @Test
    void neverAsksForMoreThanTheStreamWhateverTheClientsChunks() throws Exception {
        auth.authorise(TransferTestSupport.fixtureKeyQ());
        byte[] file = TransferTestSupport.fixture("export.nar");
        for (int chunk : new int[] {32768, 8, 1000, 7, 1}) {
            ByteArrayOutputStream answers = new ByteArrayOutputStream();
            int chunks = 0;
            for (int at = 0; at < file.length; at += chunk) {
                answers.writeBytes(TransferTestSupport.str(Arrays.copyOfRange(file, at, Math.min(file.length, at + chunk))));
                chunks++;
            }
            byte[] c2d = answers.toByteArray();
            ByteArrayInputStream in = new ByteArrayInputStream(c2d);
            ByteArrayOutputStream toClient = new ByteArrayOutputStream();
            List<String> imported = importThroughTunnel(new WireReader(in), toClient, true);
            assertEquals(Files.readAllLines(TransferTestSupport.FIXTURES.resolve("export.paths")), imported);
            assertEquals(0, in.available(), "chunk " + chunk + ": all answers consumed");
            assertEquals(16L * chunks, toClient.size(), "chunk " + chunk + ": one READ per answer, none after the end");
        }
        assertEquals(List.of(), store.strayEntries());
    }

    @Test
    void anEmptyAnswerIsAnUnexpectedEndOfFile() throws Exception {
        byte[] file = TransferTestSupport.fixture("export.nar");
        byte[] c2d = TransferTestSupport.concat(TransferTestSupport.str(Arrays.copyOf(file, 100)), TransferTestSupport.u64(0));
        TruncatedExportException e = assertThrows(TruncatedExportException.class,
                () -> importThroughTunnel(new WireReader(new ByteArrayInputStream(c2d)), new ByteArrayOutputStream(), true));
        assertEquals("unexpected end-of-file", e.getMessage());
        assertEquals(List.of(), store.strayEntries());
    }
}
