package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential tests against the real guix 1.5.0 daemon in the Debian sid root, both directions:
 * (a) the real daemon fills a store, jguix's {@link StoreDatabase} reads it; (b) jguix's
 * {@link StoreWriter} fills a store, the real daemon serves it to the real client (including a full
 * {@code verify-store} with content check, which recomputes every NAR hash we registered).
 */
class StoreDaemonInteropIT {
    static final Path MAIN = Path.of(System.getProperty("user.dir")).getParent();
    static final Path SID_ROOT = Path.of(System.getenv().getOrDefault("JGUIX_SIDROOT", "/var/cache/jguix/sid-root"));

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsRootAndSidRoot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: needs root (bwrap into the sid root and guix-daemon with build users)");
        assumeTrue(Files.exists(SID_ROOT.resolve(".jguix-root-ready")),
                "skipped: no Debian sid root with guix 1.5.0 at " + SID_ROOT + " (compat-tests/scripts/make-sid-root.sh)");
    }

    @Test
    void theyWriteWeRead() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("expected"));
        run(List.of(MAIN.resolve("fixtures/generate-db-fixtures.sh").toString(), out.toString()));
        DaemonDbFixtureTest.checkAgainstExpected(out, Files.createDirectories(tmp.resolve("read")));
    }

    @Test
    void weWriteTheyRead() throws Exception {
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        StoreLayout l = StoreLayout.under(scratch);
        String hello = TestStores.textPath("/gnu/store", "hello.txt", "hello", List.of());
        String usesContent = "see " + hello;
        String uses = TestStores.textPath("/gnu/store", "uses-hello", usesContent, List.of(hello));
        String out = TestStores.textPath("/gnu/store", "x", "x", List.of()); // any store path; need not exist
        String drvText = "Derive([(\"out\",\"" + out + "\",\"\",\"\")],[],[],\"x86_64-linux\",\"/bin/sh\",[],"
                + "[(\"out\",\"" + out + "\")])";
        String drv = TestStores.textPath("/gnu/store", "x.drv", drvText, List.of());
        try (StoreDatabase db = StoreDatabase.open(l, TestStores.options().withClock(java.time.Clock.systemUTC()))) {
            StoreWriter w = new StoreWriter(db, TestStores.canonicaliser(scratch), null);
            w.add(hello, t -> Files.writeString(t, "hello"), List.of(), Optional.empty(), null);
            w.add(uses, t -> Files.writeString(t, usesContent), List.of(hello), Optional.empty(), null);
            w.add(drv, t -> Files.writeString(t, drvText), List.of(), Optional.empty(), null);
        }
        Path check = Files.createDirectories(tmp.resolve("check"));
        Files.writeString(check.resolve("check.scm"), """
                (use-modules (guix store) (guix base16))
                (define (show . xs) (display (string-join xs "\\t")) (newline))
                (with-store s
                  (for-each (lambda (p)
                              (let ((i (query-path-info s p)))
                                (show "path" p (if (valid-path? s p) "valid" "invalid")
                                      (bytevector->base16-string (path-info-hash i))
                                      (number->string (path-info-nar-size i))
                                      (string-join (references s p) " "))))
                            (cdr (command-line)))
                  (show "readd" (add-text-to-store s "hello.txt" "hello" '()))
                  (show "outputs" (string-join (query-derivation-outputs s (cadddr (command-line))) " "))
                  (show "derivers" (string-join (valid-derivers s (car (query-derivation-outputs s (cadddr (command-line))))) " "))
                  (show "verify" (if (verify-store s #:check-contents? #t) "ok" "errors")))
                """);
        List<String> lines = run(List.of(MAIN.resolve("compat-tests/scripts/in-sid-root.sh").toString(),
                "--scratch", scratch.toString(), "--bind", check + ":/check", "--", "bash", "-c",
                "guix-daemon --build-users-group=guixbuild --no-substitutes 2>/dev/null & "
                        + "for i in $(seq 100); do [ -S /var/guix/daemon-socket/socket ] && break; sleep 0.1; done; "
                        + "guix repl -q -- /check/check.scm " + hello + " " + uses + " " + drv));
        String helloHash = hex(scratch, hello);
        assertEquals(List.of(
                "path\t" + hello + "\tvalid\t" + helloHash + "\t120\t",
                "path\t" + uses + "\tvalid\t" + hex(scratch, uses) + "\t" + narSize(scratch, uses) + "\t" + hello,
                "path\t" + drv + "\tvalid\t" + hex(scratch, drv) + "\t" + narSize(scratch, drv) + "\t",
                "readd\t" + hello,
                "outputs\t" + out,
                "derivers\t" + drv,
                "verify\tok"), lines.stream().filter(s -> s.matches("(path|readd|outputs|derivers|verify)\t.*")).toList(),
                String.join("\n", lines));
        // and what the real daemon left behind still opens
        try (StoreDatabase db = StoreDatabase.open(l, TestStores.options())) {
            assertEquals(3, db.queryAllValidPaths().size());
        }
    }

    private static String hex(Path scratch, String p) throws Exception {
        return org.jguix.nar.NarHasher.hashPath(StoreLayout.under(scratch).file(p), "sha256").hex();
    }

    private static String narSize(Path scratch, String p) throws Exception {
        return Long.toString(org.jguix.nar.NarHasher.hashPath(StoreLayout.under(scratch).file(p), "sha256").narSize());
    }

    private static List<String> run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>(List.of(new String(p.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).split("\n")));
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + String.join("\n", lines));
        return lines;
    }
}
