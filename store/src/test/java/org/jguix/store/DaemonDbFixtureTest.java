package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * They write, we read: the database the real guix 1.5.0 daemon created (fixtures/db/guix-1.5.0, from
 * fixtures/generate-db-fixtures.sh) answers every query as the real client read it through the daemon.
 */
class DaemonDbFixtureTest {
    static final Path FIXTURE = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("fixtures/db/guix-1.5.0");

    @TempDir
    Path root;

    @Test
    void everyQueryAgreesWithTheRealClientsReading() throws Exception {
        assumeTrue(Files.isRegularFile(FIXTURE.resolve("db.sqlite")), "fixture missing: " + FIXTURE);
        checkAgainstExpected(FIXTURE, root);
    }

    @Test
    void bothWriteTheSameSchemaObjects() throws Exception {
        assumeTrue(Files.isRegularFile(FIXTURE.resolve("db.sqlite")), "fixture missing: " + FIXTURE);
        try (StoreDatabase db = TestStores.open(root)) {
            assertEquals(schemaObjects(FIXTURE.resolve("db.sqlite")),
                    schemaObjects(db.layout().dbDir().resolve("db.sqlite")));
        }
    }

    /** Copies {@code fixtureDir}'s database into a store under {@code root} and checks expected.tsv. */
    static void checkAgainstExpected(Path fixtureDir, Path root) throws Exception {
        StoreLayout l = StoreLayout.under(root);
        Files.createDirectories(l.dbDir());
        for (String f : List.of("db.sqlite", "schema")) {
            Files.copy(fixtureDir.resolve(f), l.dbDir().resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        int checked = 0;
        try (StoreDatabase db = StoreDatabase.open(l, TestStores.options())) {
            for (String line : Files.readAllLines(fixtureDir.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String key = f[0];
                String p = f[1];
                String v = f.length > 2 ? f[2] : "";
                String what = key + " " + p;
                switch (key) {
                    case "valid", "invalid" -> assertEquals(v.equals("1"), db.isValidPath(p), what);
                    case "hash" -> assertEquals(v, db.queryPathInfo(p).narHash(), what);
                    case "size" -> assertEquals(Long.parseLong(v), db.queryPathInfo(p).narSize(), what);
                    case "deriver" -> assertEquals(v.isEmpty() ? Optional.empty() : Optional.of(v), db.queryDeriver(p),
                            what);
                    case "refs" -> assertEquals(set(v), db.queryReferences(p), what);
                    case "referrers" -> assertEquals(set(v), db.queryReferrers(p), what);
                    case "derivers" -> assertEquals(set(v), db.queryValidDerivers(p), what);
                    case "outputs" -> assertEquals(set(v), db.queryDerivationOutputs(p), what);
                    case "hashpart" -> assertEquals(Optional.of(v), db.queryPathFromHashPart(
                            p.substring(l.storeDirString().length() + 1, l.storeDirString().length() + 33)), what);
                    case "hashpart-none" -> assertEquals(Optional.empty(),
                            db.queryPathFromHashPart("00000000000000000000000000000000"), what);
                    default -> throw new AssertionError("unknown key in expected.tsv: " + key);
                }
                checked++;
            }
            assertEquals(5, db.queryAllValidPaths().size());
        }
        assertEquals(true, checked > 40, "rows checked: " + checked);
    }

    private static TreeSet<String> set(String spaceSeparated) {
        return spaceSeparated.isEmpty() ? new TreeSet<>() : new TreeSet<>(Arrays.asList(spaceSeparated.split(" ")));
    }

    static List<String> schemaObjects(Path dbFile) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + dbFile + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select type, name, tbl_name, sql from sqlite_master order by name")) {
            while (r.next()) {
                out.add(r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|" + r.getString(4));
            }
        }
        return out;
    }
}
