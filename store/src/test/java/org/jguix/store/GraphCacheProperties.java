package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The in-memory reference graph ({@code org.jguix.store.graph.GraphCache}) behind
 * {@link StoreDatabase#readGraph} always equals the three tables as committed: after any mix of
 * registrations (new paths, {@code .drv}s with outputs, re-registrations with more references and a
 * new size), checked and unchecked invalidations, size updates, failed transactions, and commits by
 * another connection (another daemon or Guile's {@code register-items} on the same store) that only
 * {@code PRAGMA data_version} reveals.
 */
class GraphCacheProperties {
    /** One step; the integers pick paths among those created so far. */
    record Op(int kind, int a, int b, int c) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 40)
    void readGraphEqualsTheCommittedTables(@ForAll("ops") List<Op> ops) throws Exception {
        Path root = Files.createTempDirectory("graph-cache");
        try (StoreDatabase db = TestStores.open(root);
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + db.layout().dbDir()
                        .resolve("db.sqlite"))) {
            try (Statement s = other.createStatement()) {
                s.execute("pragma foreign_keys = 1;");
                s.execute("pragma busy_timeout = 10000;");
            }
            assertEquals(tables(other), cached(db)); // loaded now: every step below is a change to it
            int n = 0;
            for (Op op : ops) {
                List<String> valid = new ArrayList<>(db.queryAllValidPaths());
                String x = valid.isEmpty() ? null : valid.get(op.a() % valid.size());
                String y = valid.isEmpty() ? null : valid.get(op.b() % valid.size());
                switch (op.kind()) {
                    case 0, 1 -> { // a new path referring to up to two valid ones
                        String p = TestStores.path("p" + n++);
                        List<String> refs = new ArrayList<>();
                        if (x != null) {
                            refs.add(x);
                        }
                        if (y != null && op.c() % 2 == 0) {
                            refs.add(y);
                        }
                        if (op.c() % 3 == 0) {
                            refs.add(p);
                        }
                        db.registerValidPaths(List.of(TestStores.info(p, refs.toArray(String[]::new))));
                    }
                    case 2 -> { // a derivation with an output (valid or not)
                        String drv = TestStores.path("d" + n++ + ".drv");
                        String out = op.c() % 2 == 0 && x != null ? x : TestStores.path("out" + n);
                        Files.writeString(db.layout().file(drv), "Derive([(\"out\",\"" + out
                                + "\",\"\",\"\")],[],[],\"x\",\"b\",[],[])");
                        db.registerValidPaths(List.of(TestStores.info(drv)));
                    }
                    case 3 -> { // re-registration: another reference, another size
                        if (x != null && y != null) {
                            db.registerValidPaths(List.of(ValidPathInfo.of(x, TestStores.sha256(x.getBytes()),
                                    500 + op.c(), List.of(y))));
                        }
                    }
                    case 4 -> { // checked invalidation (refused while referrers remain)
                        if (x != null) {
                            try {
                                db.invalidatePathChecked(x);
                            } catch (StoreException e) {
                                // still referred to
                            }
                        }
                    }
                    case 5 -> { // the collector's invalidation, several at once
                        List<String> some = valid.stream().filter(p -> p.hashCode() % 3 == op.c() % 3).toList();
                        db.invalidateEach(some, p -> true);
                    }
                    case 6 -> { // a failed registration: an invalid reference rolls everything back
                        String p = TestStores.path("f" + n++);
                        try {
                            db.registerValidPaths(List.of(TestStores.info(p), TestStores.info(TestStores.path("g" + n),
                                    TestStores.path("never"))));
                        } catch (StoreException e) {
                            // expected
                        }
                    }
                    case 7 -> { // another process registers a path referring to x
                        String p = TestStores.path("o" + n++);
                        foreignRegister(other, p, x);
                    }
                    case 8 -> { // another process deletes a path nobody refers to
                        if (x != null) {
                            try (PreparedStatement s = other.prepareStatement("delete from ValidPaths where path = ? "
                                    + "and not exists (select 1 from Refs r, ValidPaths v where r.reference = v.id "
                                    + "and v.path = ? and r.referrer != v.id);")) {
                                s.setString(1, x);
                                s.setString(2, x);
                                s.executeUpdate();
                            }
                        }
                    }
                    default -> { // a new size, or a look at the graph
                        if (x != null && op.c() % 2 == 0) {
                            db.updatePathInfo(x, "sha256:" + "0".repeat(64), 7 + op.c());
                        } else {
                            assertEquals(tables(other), cached(db));
                        }
                    }
                }
            }
            assertEquals(tables(other), cached(db));
        } finally {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void foreignRegister(Connection c, String path, String ref) throws Exception {
        c.setAutoCommit(false);
        try {
            long id;
            try (PreparedStatement s = c.prepareStatement("insert into ValidPaths (path, hash, registrationTime, "
                    + "narSize) values (?, ?, 1, 99);")) {
                s.setString(1, path);
                s.setString(2, "sha256:" + "1".repeat(64));
                s.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select last_insert_rowid();")) {
                r.next();
                id = r.getLong(1);
            }
            if (ref != null) {
                try (PreparedStatement s = c.prepareStatement("insert into Refs (referrer, reference) select ?, id "
                        + "from ValidPaths where path = ?;")) {
                    s.setLong(1, id);
                    s.setString(2, ref);
                    s.executeUpdate();
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The graph as three sets of text rows, from {@link StoreDatabase#readGraph}. */
    private static List<Set<String>> cached(StoreDatabase db) throws StoreException {
        Map<Long, String> paths = new HashMap<>();
        List<long[]> refs = new ArrayList<>();
        Map<Long, List<String>> outs = new HashMap<>();
        Set<String> rows = new TreeSet<>();
        db.readGraph(new StoreDatabase.GraphVisitor() {
            @Override
            public void path(long id, String path, String deriver, long narSize) {
                paths.put(id, path);
                rows.add(path + " " + deriver + " " + narSize);
            }

            @Override
            public void reference(long referrer, long reference) {
                refs.add(new long[] {referrer, reference});
            }

            @Override
            public void derivationOutput(long drv, String output) {
                outs.computeIfAbsent(drv, k -> new ArrayList<>()).add(output);
            }
        });
        Set<String> edges = new TreeSet<>();
        for (long[] r : refs) {
            edges.add(paths.get(r[0]) + " -> " + paths.get(r[1]));
        }
        Set<String> outputs = new TreeSet<>();
        outs.forEach((d, os) -> os.forEach(o -> outputs.add(paths.get(d) + " => " + o)));
        return List.of(rows, edges, outputs);
    }

    /** The same, straight from the tables. */
    private static List<Set<String>> tables(Connection c) throws Exception {
        return List.of(strings(c, "select path || ' ' || coalesce(deriver, 'null') || ' ' || coalesce(narSize, 0) "
                        + "from ValidPaths;"),
                strings(c, "select a.path || ' -> ' || b.path from Refs, ValidPaths a, ValidPaths b "
                        + "where referrer = a.id and reference = b.id;"),
                strings(c, "select v.path || ' => ' || o.path from DerivationOutputs o, ValidPaths v where o.drv = v.id;"));
    }

    private static Set<String> strings(Connection c, String sql) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
