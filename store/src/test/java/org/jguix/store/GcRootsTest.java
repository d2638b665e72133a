package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jguix.hash.NixBase32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcRootsTest {
    @TempDir
    Path root;

    @Test
    void nixBase32MatchesKnownVectors() {
        // sha256("") in nix-base32, as printed by `guix hash` / nix-hash --type sha256 --to-base32
        assertEquals("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73",
                NixBase32.encode(TestStores.sha256(new byte[0])));
        assertEquals("", NixBase32.encode(new byte[0]));
    }

    @Test
    void indirectRootLinkIsNamedBySha1OfTheLinkPath() throws Exception {
        StoreLayout l = StoreLayout.under(root);
        GcRoots roots = new GcRoots(l);
        String link = root.resolve("home/result").toString();
        roots.addIndirectRoot(link);
        Path auto = roots.indirectRootLink(link);
        byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(link.getBytes(StandardCharsets.UTF_8));
        assertEquals(l.stateDir().resolve("gcroots/auto/" + NixBase32.encode(sha1)), auto);
        assertEquals(32, auto.getFileName().toString().length());
        assertEquals(Path.of(link), Files.readSymbolicLink(auto));
        roots.addIndirectRoot(link); // replacing is fine
        try (var s = Files.list(auto.getParent())) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void findRootsFollowsGuixsRules() throws Exception {
        StoreLayout l = StoreLayout.under(root);
        try (StoreDatabase db = TestStores.open(root)) {
            String a = TestStores.path("a");
            String b = TestStores.path("b");
            String c = TestStores.path("c");
            db.registerValidPaths(List.of(TestStores.info(a), TestStores.info(b), TestStores.info(c)));
            Path gcroots = l.stateDir().resolve("gcroots");
            Files.createDirectories(gcroots.resolve("sub"));
            Files.createSymbolicLink(gcroots.resolve("sub/direct"), Path.of(a + "/bin/x")); // inside an item
            Files.createSymbolicLink(gcroots.resolve("invalid"), Path.of(TestStores.path("nope")));
            Files.writeString(gcroots.resolve(c.substring(c.lastIndexOf('/') + 1)), ""); // addPermRoot's file
            GcRoots roots = new GcRoots(l);
            Path result = Files.createDirectories(root.resolve("home")).resolve("result");
            Files.createSymbolicLink(result, Path.of(b));
            // the link target is logical (as a client would write it): root/home/result is /home/result
            roots.addIndirectRoot("/home/result");
            roots.addIndirectRoot("/home/gone");
            List<String> info = new ArrayList<>();
            Map<String, String> found = roots.findRoots(db, info::add);
            Map<String, String> expected = new TreeMap<>();
            expected.put(gcroots.resolve("sub/direct").toString(), a);
            expected.put(result.toString(), b);
            expected.put(gcroots.resolve(c.substring(c.lastIndexOf('/') + 1)).toString(), c);
            assertEquals(expected, found);
            assertTrue(info.contains("skipping invalid root from `" + gcroots.resolve("invalid") + "' to `"
                    + TestStores.path("nope") + "'"), info.toString());
            Path stale = roots.indirectRootLink("/home/gone");
            assertTrue(info.contains("removing stale link from `" + stale + "' to `" + root.resolve("home/gone")
                    + "'"), info.toString());
            assertFalse(Files.exists(stale, LinkOption.NOFOLLOW_LINKS));
        }
    }
}
