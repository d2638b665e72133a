package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreDatabaseQueryTest {
    @TempDir
    Path root;
    StoreDatabase db;

    @BeforeEach
    void open() throws Exception {
        db = TestStores.open(root);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void registeredPathsAnswerEveryQuery() throws Exception {
        String a = TestStores.path("a");
        String b = TestStores.path("b");
        String c = TestStores.path("c");
        db.registerValidPaths(List.of(TestStores.info(a), TestStores.info(b, a, b), TestStores.info(c, b)
                .withDeriver("/gnu/store/00000000000000000000000000000000-c.drv").withRegistrationTime(42)));

        assertTrue(db.isValidPath(a));
        assertFalse(db.isValidPath(TestStores.path("nope")));
        assertEquals(new TreeSet<>(Set.of(a, b, c)), db.queryAllValidPaths());
        assertEquals(new TreeSet<>(Set.of(a, c)), db.queryValidPaths(List.of(a, c, TestStores.path("nope"))));

        ValidPathInfo ib = db.queryPathInfo(b);
        assertEquals(TestStores.info(b, a, b).narHash(), ib.narHash());
        assertEquals(120, ib.narSize());
        assertEquals(TestStores.NOW, ib.registrationTime());
        assertEquals(Optional.empty(), ib.deriver());
        assertEquals(new TreeSet<>(Set.of(a, b)), ib.references());
        assertEquals(new TreeSet<>(Set.of(a, b)), db.queryReferences(b));
        assertEquals(new TreeSet<>(Set.of(b, c)), db.queryReferrers(b));
        assertEquals(new TreeSet<>(), db.queryReferrers(TestStores.path("nope")));
        assertEquals(42, db.queryPathInfo(c).registrationTime());
        assertEquals(Optional.of("/gnu/store/00000000000000000000000000000000-c.drv"), db.queryDeriver(c));

        StoreException e = assertThrows(StoreException.class, () -> db.queryPathInfo(TestStores.path("nope")));
        assertEquals("path `" + TestStores.path("nope") + "' is not valid", e.getMessage());
        assertEquals("path `/tmp/x' is not in the store",
                assertThrows(StoreException.class, () -> db.queryPathInfo("/tmp/x")).getMessage());
    }

    @Test
    void pathFromHashPartIsAPrefixSearch() throws Exception {
        String a = TestStores.path("a");
        db.registerValidPaths(List.of(TestStores.info(a)));
        String hashPart = a.substring("/gnu/store/".length(), "/gnu/store/".length() + 32);
        assertEquals(Optional.of(a), db.queryPathFromHashPart(hashPart));
        // a hash part sorting just before a's: the range query finds a, the prefix check rejects it
        char last = hashPart.charAt(31);
        String before = hashPart.substring(0, 31) + (char) (last - 1);
        assertEquals(Optional.empty(), db.queryPathFromHashPart(before));
        assertEquals(Optional.empty(), db.queryPathFromHashPart("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"));
        assertEquals("invalid hash part",
                assertThrows(StoreException.class, () -> db.queryPathFromHashPart("abc")).getMessage());
    }

    @Test
    void derivationsGetTheirOutputRows() throws Exception {
        String out = TestStores.path("hello");
        String dev = TestStores.path("hello-dev");
        String drv = TestStores.path("hello.drv");
        Files.writeString(db.layout().file(drv), "Derive([(\"dev\",\"" + dev + "\",\"\",\"\"),(\"out\",\"" + out
                + "\",\"\",\"\")],[],[],\"x86_64-linux\",\"/bin/sh\",[],[])");
        db.registerValidPaths(List.of(TestStores.info(drv)));
        assertEquals(new TreeMap<>(Map.of("out", out, "dev", dev)), db.queryDerivationOutputMap(drv));
        assertEquals(new TreeSet<>(Set.of(out, dev)), db.queryDerivationOutputs(drv));
        assertEquals(new TreeSet<>(Set.of("out", "dev")), db.queryDerivationOutputNames(drv));
        assertEquals(new TreeSet<>(Set.of(drv)), db.queryValidDerivers(out));
        assertEquals(new TreeSet<>(), db.queryValidDerivers(TestStores.path("other")));
        assertThrows(StoreException.class, () -> db.queryDerivationOutputs(TestStores.path("x.drv")));

        // failed paths: clearing a derivation clears its outputs' entries
        db.registerFailedPath(out);
        db.registerFailedPath(TestStores.path("unrelated"));
        assertTrue(db.hasPathFailed(out));
        assertEquals(new TreeSet<>(Set.of(out, TestStores.path("unrelated"))), db.queryFailedPaths());
        db.clearFailedPaths(List.of(drv));
        assertEquals(new TreeSet<>(Set.of(TestStores.path("unrelated"))), db.queryFailedPaths());
        db.clearFailedPaths(List.of("*"));
        assertEquals(new TreeSet<>(), db.queryFailedPaths());
    }

    @Test
    void reRegistrationUpdatesOnlyHashAndSizeAndKeepsReferences() throws Exception {
        String a = TestStores.path("a");
        String b = TestStores.path("b");
        db.registerValidPaths(List.of(TestStores.info(a), TestStores.info(b, a).withRegistrationTime(5)
                .withDeriver("/gnu/store/00000000000000000000000000000000-b.drv")));
        ValidPathInfo again = ValidPathInfo.of(b, new byte[32], 999, List.of());
        db.registerValidPaths(List.of(again));
        ValidPathInfo got = db.queryPathInfo(b);
        assertEquals(again.narHash(), got.narHash());
        assertEquals(999, got.narSize());
        assertEquals(5, got.registrationTime());
        assertEquals(Optional.of("/gnu/store/00000000000000000000000000000000-b.drv"), got.deriver());
        assertEquals(new TreeSet<>(Set.of(a)), got.references());
    }

    @Test
    void anInvalidReferenceRollsBackTheWholeBatch() throws Exception {
        String a = TestStores.path("a");
        String b = TestStores.path("b");
        String missing = TestStores.path("missing");
        StoreException e = assertThrows(StoreException.class,
                () -> db.registerValidPaths(List.of(TestStores.info(a), TestStores.info(b, missing))));
        assertEquals("path `%1%' is not valid", e.getMessage()); // 1.5.0 queryValidPathId
        assertEquals(new TreeSet<>(), db.queryAllValidPaths());
    }

    @Test
    void aReferenceCycleRollsBack() throws Exception {
        String a = TestStores.path("a");
        String b = TestStores.path("b");
        StoreException e = assertThrows(StoreException.class,
                () -> db.registerValidPaths(List.of(TestStores.info(a, b), TestStores.info(b, a))));
        assertEquals("cycle detected in the references of `" + (a.compareTo(b) < 0 ? a : b) + "'", e.getMessage());
        assertEquals(new TreeSet<>(), db.queryAllValidPaths());
    }

    @Test
    void invalidationRefusesPathsInUseAndHandlesSelfReferences() throws Exception {
        String a = TestStores.path("a");
        String b = TestStores.path("b");
        db.registerValidPaths(List.of(TestStores.info(a, a), TestStores.info(b, a, b)));
        StoreException e = assertThrows(StoreException.class, () -> db.invalidatePathChecked(a));
        assertEquals("cannot delete path `" + a + "' because it is in use by `" + b + "'", e.getMessage());
        db.invalidatePathChecked(b);
        db.invalidatePathChecked(a);
        assertEquals(new TreeSet<>(), db.queryAllValidPaths());
    }

    @Test
    void idsAreNeverReused() throws Exception {
        String a = TestStores.path("a");
        db.registerValidPaths(List.of(TestStores.info(a)));
        db.invalidatePathChecked(a);
        db.registerValidPaths(List.of(TestStores.info(a)));
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db.layout().dbDir().resolve("db.sqlite"));
                var s = c.createStatement(); var r = s.executeQuery("select id, deriver, narSize from ValidPaths")) {
            assertEquals(2, r.getLong(1));
            assertEquals(null, r.getString(2)); // NULL, never ""
        }
    }
}
