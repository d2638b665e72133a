package org.jguix.build.substitute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.jguix.hash.NixBase32;
import org.jguix.nar.NarDigest;
import org.jguix.nar.NarHasher;
import org.jguix.store.StoreException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code SubstitutionGoal::finished}'s reading of the status line, texts verbatim. */
class StatusLineTest {
    private static final String P = "/gnu/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a";
    private static final String HEX = "3f".repeat(32);

    @TempDir
    Path dir;
    private Path dest;

    @BeforeEach
    void unpacked() throws IOException {
        dest = Files.writeString(dir.resolve("a"), "a\n");
    }

    @Test
    void successWithBase16OrNixBase32() throws IOException, StatusLine.Failed {
        byte[] digest = HexFormat.of().parseHex(HEX);
        NarDigest d = StatusLine.judge("success sha256:" + HEX + " 120", P, dest);
        assertArrayEquals(digest, d.digest());
        assertEquals(120, d.narSize());
        NarDigest d32 = StatusLine.judge("success sha256:" + NixBase32.encode(digest) + " 120", P, dest);
        assertArrayEquals(digest, d32.digest());
    }

    @Test
    void otherAlgorithmsAreRehashedAsSha256() throws IOException, StatusLine.Failed {
        NarDigest d = StatusLine.judge("success sha512:whatever 1", P, dest);
        assertEquals(NarHasher.hashPath(dest, "sha256"), d);
    }

    @Test
    void failures() {
        assertEquals("fetching path `" + P + "' (empty status)", failed("", dest).getMessage());
        assertEquals("fetching path `" + P + "' (status: 'not-found')", failed("not-found", dest).getMessage());
        StatusLine.Failed m = failed("hash-mismatch sha256 aaa bbb", dest);
        assertEquals("hash mismatch for substituted item `" + P + "'", m.getMessage());
        assertEquals("@ hash-mismatch " + P + " sha256 aaa bbb", m.hashMismatchTrace());
        Path missing = dir.resolve("missing");
        assertEquals("substitute did not produce path `" + missing + "'",
                failed("success sha256:" + HEX + " 1", missing).getMessage());
    }

    @Test
    void malformedSuccessIsAnError() {
        assertEquals("bad hash from substituter: " + HEX, error("success " + HEX + " 1"));
        assertEquals("unknown hash algorithm in `crc32:00'", error("success crc32:00 1"));
        assertEquals("invalid nar size for '" + P + "' substitute", error("success sha256:" + HEX + " big"));
        assertEquals("hash `zz' has wrong length for hash type `sha256'", error("success sha256:zz 1"));
        assertEquals("invalid hash `" + "g".repeat(64) + "'", error("success sha256:" + "g".repeat(64) + " 1"));
        assertEquals("invalid base-32 hash '" + "e".repeat(52) + "'", error("success sha256:" + "e".repeat(52) + " 1"));
    }

    private StatusLine.Failed failed(String status, Path at) {
        return assertThrows(StatusLine.Failed.class, () -> StatusLine.judge(status, P, at));
    }

    private String error(String status) {
        return assertThrows(StoreException.class, () -> StatusLine.judge(status, P, dest)).getMessage();
    }
}
