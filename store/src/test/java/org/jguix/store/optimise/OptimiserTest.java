package org.jguix.store.optimise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.jguix.hash.NixBase32;
import org.jguix.store.TempRoots;
import org.jguix.store.gc.GcStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deduplication through {@code .links}, laid out and reported as guix-daemon does. */
class OptimiserTest {
    @TempDir
    Path tmp;

    static final String BIG = "0123456789abcdef".repeat(1250); // 20000 bytes, above the 8192 threshold

    /** An item directory with {@code same} (BIG) and {@code own} (small, {@code own}). */
    static String item(GcStore s, String name, String own) throws Exception {
        String path = GcStore.textPath(name, "item " + own);
        s.writer.add(path, t -> {
            Files.createDirectory(t);
            Files.writeString(t.resolve("same"), BIG);
            Files.writeString(t.resolve("own"), own);
        }, List.of(), Optional.empty(), null);
        return path;
    }

    /** The {@code .links} name of a non-executable regular file: nix-base32 SHA-256 of its NAR, built by hand. */
    static String linkName(String contents) throws Exception {
        ByteArrayOutputStream nar = new ByteArrayOutputStream();
        for (String s : List.of("nix-archive-1", "(", "type", "regular", "contents")) {
            str(nar, s.getBytes(StandardCharsets.UTF_8));
        }
        str(nar, contents.getBytes(StandardCharsets.UTF_8));
        str(nar, ")".getBytes(StandardCharsets.UTF_8));
        return NixBase32.encode(MessageDigest.getInstance("SHA-256").digest(nar.toByteArray()));
    }

    private static void str(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(b.length).array());
        out.writeBytes(b);
        out.writeBytes(new byte[(8 - b.length % 8) % 8]);
    }

    static Object ino(Path p) throws Exception {
        return Files.getAttribute(p, "unix:ino");
    }

    @Test
    void newItemsAreDeduplicatedAtRegistration() throws Exception {
        try (GcStore s = new GcStore(tmp)) {
            Path t1 = s.layout.file(item(s, "t1", "one"));
            Path t2 = s.layout.file(item(s, "t2", "two"));
            Path link = s.links.dir().resolve(linkName(BIG));
            assertEquals(ino(link), ino(t1.resolve("same")));
            assertEquals(ino(link), ino(t2.resolve("same")));
            assertEquals(3, Files.getAttribute(link, "unix:nlink"));
            assertNotEquals(ino(t1.resolve("own")), ino(t2.resolve("own")));
            assertEquals(List.of(link.getFileName().toString()), names(s.links.dir()), "small files are not linked");
            for (Path dir : List.of(t1, t2)) {
                assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
                assertEquals(FileTime.fromMillis(1000), Files.getLastModifiedTime(dir));
            }
            assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(t1.resolve("same"))));
        }
    }

    @Test
    void optimiseStoreRelinksWhatWasUnsharedAndThenSavesNothing() throws Exception {
        try (GcStore s = new GcStore(tmp); TempRoots.Session session = s.tempRoots.newSession()) {
            Path t1 = s.layout.file(item(s, "t1", "one"));
            Path t2 = s.layout.file(item(s, "t2", "two"));
            // unshare t2/same behind the daemon's back, as the gc-verify-optimize scenario does
            Path copy = tmp.resolve("copy");
            Files.copy(t2.resolve("same"), copy, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(t2, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(copy, t2.resolve("same"), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(t2, PosixFilePermissions.fromString("r-xr-xr-x"));
            assertNotEquals(ino(t1.resolve("same")), ino(t2.resolve("same")));

            Optimiser.Stats stats = s.optimiser.optimiseStore(s.db, session, s.log);
            assertEquals(1, stats.filesLinked());
            assertEquals(20000, stats.bytesFreed());
            List<String> m = s.takeMessages();
            assertEquals("E   19.53 KiB freed by hard-linking 1 files", m.get(m.size() - 1));
            assertTrue(m.contains("T loaded 1 hash inodes"), m.toString());
            assertEquals(ino(t1.resolve("same")), ino(t2.resolve("same")));
            assertEquals(3, Files.getAttribute(t1.resolve("same"), "unix:nlink"));
            assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(t2)));
            assertEquals(FileTime.fromMillis(1000), Files.getLastModifiedTime(t2));
            assertTrue(session.roots().containsAll(s.db.queryAllValidPaths()), "each path held while optimised");

            s.optimiser.optimiseStore(s.db, session, s.log);
            List<String> again = s.takeMessages();
            assertEquals("E    0  bytes freed by hard-linking 0 files", again.get(again.size() - 1));
        }
    }

    @Test
    void writableFilesAreSkipped() throws Exception {
        try (GcStore s = new GcStore(tmp); TempRoots.Session session = s.tempRoots.newSession()) {
            Path t1 = s.layout.file(item(s, "t1", "one"));
            Path same = t1.resolve("same");
            Files.setPosixFilePermissions(s.links.dir().resolve(linkName(BIG)),
                    PosixFilePermissions.fromString("rw-r--r--")); // same inode: the store file too
            Files.delete(s.links.dir().resolve(linkName(BIG)));
            s.optimiser.optimiseStore(s.db, session, s.log);
            assertTrue(s.takeMessages().contains("E skipping suspicious writable file `" + s.layout.storeDirString()
                    + "/" + t1.getFileName() + "/same'"));
            assertEquals(1, Files.getAttribute(same, "unix:nlink"));
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
