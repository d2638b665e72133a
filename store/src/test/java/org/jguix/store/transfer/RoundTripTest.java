package org.jguix.store.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.jguix.store.ValidPathInfo;
import org.jguix.store.transfer.TransferTestSupport.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jguix exports, jguix imports into another store: same items, and re-exporting gives the same bytes. */
class RoundTripTest {
    @TempDir
    Path tmp;

    static String path(char c, String name) {
        return "/gnu/store/" + String.valueOf(c).repeat(32) + "-" + name;
    }

    @Test
    void exportThenImportIntoAnotherStore() throws Exception {
        String hello = TransferTestSupport.HELLO;
        String ref = TransferTestSupport.REF;
        String tree = path('a', "tree");
        String out = path('b', "out");
        String drv = path('c', "out.drv");
        String drvText = "Derive([(\"out\",\"" + out + "\",\"\",\"\")],[],[],\"x86_64-linux\",\"/bin/sh\",[],[])";
        byte[] big = new byte[200_000];
        new Random(42).nextBytes(big);
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("signing-key.sec"), "k");
        Files.setPosixFilePermissions(conf.resolve("signing-key.sec"), PosixFilePermissions.fromString("r--------"));
        FakeAuthenticator auth = new FakeAuthenticator().authorise("FAKEKEY");
        List<String> order = List.of(hello, ref, tree, drv, out);

        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        try (Store a = Store.open(Files.createDirectories(tmp.resolve("a")))) {
            a.addText(hello, TransferTestSupport.HELLO_TEXT);
            a.addText(ref, TransferTestSupport.REF_TEXT, hello);
            a.writer().add(tree, t -> {
                Files.createDirectories(t.resolve("bin"));
                Files.createDirectories(t.resolve("empty"));
                Files.writeString(t.resolve("bin/run"), "#!/bin/sh\n");
                Files.setPosixFilePermissions(t.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.write(t.resolve("big"), big);
                Files.write(t.resolve("empty-file"), new byte[0]);
                Files.createSymbolicLink(t.resolve("link"), Path.of(ref));
            }, List.of(ref), Optional.empty(), null);
            a.addText(drv, drvText);
            a.writer().add(out, t -> Files.writeString(t, "out"), List.of(), Optional.of(drv), null);
            new PathExporter(a.db(), conf, auth, null).exportPaths(order, true, exported);

            try (Store b = Store.open(Files.createDirectories(tmp.resolve("b")))) {
                List<String> imported = new PathImporter(b.db(), b.writer(), auth)
                        .importPaths(new ByteArrayInputStream(exported.toByteArray()), true, null);
                assertEquals(order, imported);
                for (String p : order) {
                    ValidPathInfo x = a.db().queryPathInfo(p);
                    ValidPathInfo y = b.db().queryPathInfo(p);
                    assertEquals(x.narHash(), y.narHash(), p);
                    assertEquals(x.narSize(), y.narSize(), p);
                    assertEquals(x.references(), y.references(), p);
                    assertEquals(x.deriver(), y.deriver(), p);
                    assertEquals(x.narHash(), "sha256:" + b.narHex(p), p);
                }
                assertEquals(Optional.of(drv), b.db().queryDeriver(out));
                assertEquals(List.of(), b.strayEntries());

                ByteArrayOutputStream again = new ByteArrayOutputStream();
                new PathExporter(b.db(), conf, auth, null).exportPaths(order, true, again);
                assertArrayEquals(exported.toByteArray(), again.toByteArray());
            }
        }
    }
}
