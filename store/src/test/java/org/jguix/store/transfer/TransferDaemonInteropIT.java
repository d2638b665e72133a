package org.jguix.store.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jguix.nar.NarRestorer;
import org.jguix.store.transfer.TransferTestSupport.Item;
import org.jguix.store.transfer.TransferTestSupport.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExportPath/ImportPaths against the real guix 1.5.0 in the Debian sid root: the real
 * {@code guix authenticate} as jguix's agent (signing and verifying, the real ACL), the real daemon
 * importing what jguix exported and exporting what jguix imports.
 */
class TransferDaemonInteropIT {
    static final Path SID_ROOT = Path.of(System.getenv().getOrDefault("JGUIX_SIDROOT", "/var/cache/jguix/sid-root"));
    static final Path IN_SID_ROOT = TransferTestSupport.MAIN.resolve("compat-tests/scripts/in-sid-root.sh");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsRootAndSidRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: needs root (bwrap into the sid root, guix-daemon with build users)");
        assumeTrue(Files.exists(SID_ROOT.resolve(".jguix-root-ready")),
                "skipped: no Debian sid root with guix 1.5.0 at " + SID_ROOT + " (compat-tests/scripts/make-sid-root.sh)");
    }

    /**
     * A scratch root whose /etc/guix holds the fixture key pair (if {@code keys}) and, if
     * {@code authorise}, an ACL made by {@code guix archive --authorize}; and the real agent running
     * in it. The config directory is also bound at its host path, so the key path the exporter names
     * is valid inside. Note guix's {@code ensure-acl}: with no ACL file but a signing-key.pub, the
     * agent creates an ACL authorising that key — so "unauthorised" needs no key pair at all.
     */
    record Sid(Path scratch, Path conf, AuthenticateAgent agent) implements AutoCloseable {
        @Override
        public void close() {
            agent.close();
        }
    }

    Sid sid(String name, boolean keys, boolean authorise) throws Exception {
        Path scratch = Files.createDirectories(tmp.resolve(name));
        Path conf = Files.createDirectories(scratch.resolve("etc/guix"));
        if (keys) {
            installKeys(conf);
        }
        if (authorise) {
            inSid(scratch, "guix archive --authorize < /k/signing-key.pub", TransferTestSupport.FIXTURES + ":/k");
        }
        List<String> cmd = List.of(IN_SID_ROOT.toString(), "--scratch", scratch.toString(), "--bind", conf + ":" + conf,
                "--", "guix", "authenticate");
        return new Sid(scratch, conf, new AuthenticateAgent(cmd, Map.of()));
    }

    static void installKeys(Path conf) throws Exception {
        Files.copy(TransferTestSupport.FIXTURES.resolve("signing-key.sec"), conf.resolve("signing-key.sec"));
        Files.setPosixFilePermissions(conf.resolve("signing-key.sec"), PosixFilePermissions.fromString("rw-------"));
        Files.copy(TransferTestSupport.FIXTURES.resolve("signing-key.pub"), conf.resolve("signing-key.pub"));
    }

    List<String> inSid(Path scratch, String script, String... binds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(IN_SID_ROOT.toString(), "--scratch", scratch.toString()));
        for (String b : binds) {
            cmd.addAll(List.of("--bind", b));
        }
        cmd.addAll(List.of("--", "bash", "-c", "set -e; " + script));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + script);
        assertEquals(0, p.exitValue(), script + "\n" + out);
        return List.of(out.split("\n"));
    }

    @Test
    void theRealAgentAcceptsTheFixtureAndRefusesAnUnauthorisedKey() throws Exception {
        byte[] file = TransferTestSupport.fixture("export.nar");
        try (Sid s = sid("authorised", false, true); Store store = Store.open(Files.createDirectories(tmp.resolve("a")))) {
            List<String> imported = new PathImporter(store.db(), store.writer(), s.agent())
                    .importPaths(new ByteArrayInputStream(file), true, null);
            assertEquals(Files.readAllLines(TransferTestSupport.FIXTURES.resolve("export.paths")), imported);
            for (String row : Files.readAllLines(TransferTestSupport.FIXTURES.resolve("import.expected"))) {
                String[] f = row.split("\t", -1);
                assertEquals("sha256:" + f[1], store.db().queryPathInfo(f[0]).narHash());
            }
        }
        try (Sid s = sid("unauthorised", false, false); Store store = Store.open(Files.createDirectories(tmp.resolve("b")))) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> new PathImporter(store.db(), store.writer(), s.agent()).importPaths(new ByteArrayInputStream(file), true, null));
            assertEquals(Files.readString(TransferTestSupport.FIXTURES.resolve("import-unauthorized.txt")), e.getMessage());
            assertEquals(List.of(), store.strayEntries());
        }
    }

    @Test
    void signedWithTheRealAgentOurExportIsTheRealClientsFileByteForByte() throws Exception {
        byte[] file = TransferTestSupport.fixture("export.nar");
        List<Item> items = TransferTestSupport.items(file);
        try (Sid s = sid("sign", true, false); Store store = Store.open(Files.createDirectories(tmp.resolve("s")))) {
            for (Item i : items) {
                store.writer().add(i.path(), t -> NarRestorer.restore(
                        new ByteArrayInputStream(file, i.start(), i.narEnd() - i.start()), t),
                        i.references(), i.deriver().isEmpty() ? Optional.empty() : Optional.of(i.deriver()), null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PathExporter(store.db(), s.conf(), s.agent(), null).exportPaths(items.stream().map(Item::path).toList(), true, out);
            assertArrayEquals(file, out.toByteArray());
        }
    }

    @Test
    void theRealDaemonImportsOursAndWeImportTheirs() throws Exception {
        String ours = RoundTripTest.path('j', "from-jguix");
        String hello = TransferTestSupport.HELLO;
        Path x = Files.createDirectories(tmp.resolve("x"));
        try (Sid s = sid("agent", true, true); Store store = Store.open(Files.createDirectories(tmp.resolve("ours")))) {
            store.addText(hello, TransferTestSupport.HELLO_TEXT);
            store.addText(ours, "made by jguix, see " + hello + "\n", hello);
            try (var out = Files.newOutputStream(x.resolve("ours.nar"))) {
                new PathExporter(store.db(), s.conf(), s.agent(), null).exportPaths(List.of(hello, ours), true, out);
            }
            Files.writeString(x.resolve("check.scm"), """
                    (use-modules (guix store) (guix base16))
                    (with-store s
                      (for-each (lambda (p)
                                  (let ((i (query-path-info s p)))
                                    (format #t "ours\\t~a\\t~a\\t~a\\t~a~%" p (bytevector->base16-string (path-info-hash i))
                                            (path-info-nar-size i) (string-join (path-info-references i) " "))))
                                (cdr (command-line)))
                      (let ((theirs (add-text-to-store s "from-guix.txt" "made by guix\\n" '())))
                        (call-with-output-file "/x/theirs.nar"
                          (lambda (port) (export-paths s (list theirs) port #:sign? #t)))
                        (format #t "theirs\\t~a\\t~a~%" theirs
                                (bytevector->base16-string (path-info-hash (query-path-info s theirs))))))
                    """);
            List<String> lines = inSid(Files.createDirectories(tmp.resolve("daemon")),
                    "install -m 600 /k/signing-key.sec /etc/guix/signing-key.sec; "
                            + "install -m 644 /k/signing-key.pub /etc/guix/signing-key.pub; "
                            + "guix archive --authorize < /k/signing-key.pub; "
                            + "guix-daemon --build-users-group=guixbuild --no-substitutes 2>/dev/null & "
                            + "for i in $(seq 100); do [ -S /var/guix/daemon-socket/socket ] && break; sleep 0.1; done; "
                            + "guix archive --import < /x/ours.nar; "
                            + "guix repl -q -- /x/check.scm " + hello + " " + ours,
                    TransferTestSupport.FIXTURES + ":/k", x + ":/x");
            List<String> rows = lines.stream().filter(l -> l.startsWith("ours\t") || l.startsWith("theirs\t")).toList();
            assertEquals(List.of(
                    "ours\t" + hello + "\t" + store.narHex(hello) + "\t" + store.db().queryPathInfo(hello).narSize() + "\t",
                    "ours\t" + ours + "\t" + store.narHex(ours) + "\t" + store.db().queryPathInfo(ours).narSize() + "\t" + hello),
                    rows.subList(0, 2), String.join("\n", lines));

            String[] theirs = rows.get(2).split("\t");
            try (InputStream in = Files.newInputStream(x.resolve("theirs.nar"))) {
                assertEquals(List.of(theirs[1]), new PathImporter(store.db(), store.writer(), s.agent()).importPaths(in, true, null));
            }
            assertEquals("sha256:" + theirs[2], store.db().queryPathInfo(theirs[1]).narHash());
            assertEquals("made by guix\n", Files.readString(store.layout().file(theirs[1])));
        }
    }
}
