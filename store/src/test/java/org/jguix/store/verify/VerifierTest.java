package org.jguix.store.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.jguix.nar.NarHasher;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.gc.GcStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code LocalStore::verifyStore}: its phases, messages and repairs, as guix-daemon 1.5.0 prints them. */
class VerifierTest {
    @TempDir
    Path tmp;

    @Test
    void aHealthyStoreVerifiesCleanly() throws Exception {
        try (GcStore s = new GcStore(tmp)) {
            s.text("a", "alpha\n");
            Verifier v = new Verifier(s.db, s.gcLock, Verifier.withoutSubstitutes(s.db));
            assertFalse(v.verifyStore(false, false, s.log));
            assertEquals(List.of("E reading the store...", "I checking path existence..."), s.takeMessages());
            assertFalse(v.verifyStore(true, false, s.log));
            assertEquals(List.of("E reading the store...", "I checking path existence...", "I checking hashes...",
                    "T checking contents of `" + GcStore.textPath("a", "alpha\n") + "'"), s.takeMessages());
        }
    }

    @Test
    void modifiedContentsAreReportedWithBothHashes() throws Exception {
        try (GcStore s = new GcStore(tmp)) {
            String victim = s.text("victim", "original contents\n");
            Path f = s.layout.file(victim);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(f, "tampered\n");
            Verifier v = new Verifier(s.db, s.gcLock, Verifier.withoutSubstitutes(s.db));
            assertFalse(v.verifyStore(false, false, s.log), "without contents nothing is noticed");
            s.takeMessages();
            assertTrue(v.verifyStore(true, false, s.log));
            String expected = HexFormat.of().formatHex(s.db.queryPathInfo(victim).narDigest());
            String got = HexFormat.of().formatHex(NarHasher.hashPath(f, "sha256").digest());
            assertTrue(s.takeMessages().contains("E path `" + victim + "' was modified! expected hash `" + expected
                    + "', got `" + got + "'"));
            assertTrue(v.verifyStore(true, true, s.log), "no substitute, no deriver: cannot repair");
            assertTrue(s.takeMessages().contains("E error: cannot repair path `" + victim + "'"));
        }
    }

    @Test
    void disappearedPathsLeaveTheDatabaseUnlessAReferrerRemains() throws Exception {
        try (GcStore s = new GcStore(tmp)) {
            String base = s.text("base", "base\n");
            String top = s.text("top", "on " + base, base);
            String lone = s.dir("lone", "lone\n");
            TreeDeleter.delete(s.layout.file(lone));
            Files.setPosixFilePermissions(s.layout.storeDirectory(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.delete(s.layout.file(base));
            Verifier v = new Verifier(s.db, s.gcLock, Verifier.withoutSubstitutes(s.db));
            assertTrue(v.verifyStore(false, false, s.log));
            List<String> m = s.takeMessages();
            assertTrue(m.contains("E path `" + lone + "' disappeared, removing from database..."), m.toString());
            assertTrue(m.contains("E path `" + base + "' disappeared, but it still has valid referrers!"),
                    m.toString());
            assertFalse(s.valid(lone));
            assertTrue(s.valid(base) && s.valid(top));

            Files.delete(s.layout.file(top));
            assertFalse(v.verifyStore(false, false, s.log), "both gone now, referrer first");
            assertEquals(List.of("E reading the store...", "I checking path existence...",
                    "E path `" + top + "' disappeared, removing from database...",
                    "E path `" + base + "' disappeared, removing from database..."), s.takeMessages());
            assertEquals(0, s.db.queryAllValidPaths().size());
        }
    }

    @Test
    void aModifiedPathWithAValidDeriverIsRebuiltInRepairMode() throws Exception {
        try (GcStore s = new GcStore(tmp)) {
            String drv = s.drv("built");
            String out = s.output("built", drv, "built contents\n");
            String base = s.text("base", "base\n");
            String top = s.output("top", s.drv("top"), "on " + base, base);
            Path f = s.layout.file(out);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(f, "tampered\n");
            Files.setPosixFilePermissions(s.layout.storeDirectory(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.delete(s.layout.file(base));
            List<String> rebuilt = new java.util.ArrayList<>();
            Verifier v = new Verifier(s.db, s.gcLock, Verifier.withoutSubstitutes(s.db));
            boolean errors = v.verifyStore(true, true, s.log, Verifier.withoutSubstitutes(s.db, d -> {
                rebuilt.add(d);
                s.log.error("rebuilt " + d);
            }));
            assertEquals(List.of(drv), rebuilt, "the deriver of the modified path; base has none");
            assertTrue(errors, "base (no deriver) cannot be repaired");
            List<String> m = s.takeMessages();
            assertTrue(m.indexOf("E warning: cannot repair path `" + base + "'") > m.indexOf("I checking path existence...")
                    && m.indexOf("E warning: cannot repair path `" + base + "'") < m.indexOf("I checking hashes..."),
                    "a disappeared path is repaired after the existence check, before the hashes: " + m);
            assertTrue(m.indexOf("E rebuilt " + drv) == m.indexOf("E path `" + out + "' was modified! expected hash `"
                    + HexFormat.of().formatHex(s.db.queryPathInfo(out).narDigest()) + "', got `"
                    + HexFormat.of().formatHex(NarHasher.hashPath(f, "sha256").digest()) + "'") + 1, m.toString());
            assertTrue(s.valid(top));
        }
    }
}
