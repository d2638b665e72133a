package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jguix.nar.TreeDeleter;

class RegistrationProperties {

    /** A random DAG: item i may refer to itself and to items before it. */
    @Provide
    Arbitrary<List<List<Integer>>> dags() {
        return Arbitraries.integers().between(1, 12).flatMap(n -> {
            List<Arbitrary<List<Integer>>> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(Arbitraries.integers().between(0, i).list().ofMaxSize(4));
            }
            return net.jqwik.api.Combinators.combine(rows).as(l -> l);
        });
    }

    @Property(tries = 15)
    void referencesAndReferrersAreInverseAfterOneBatch(@ForAll("dags") List<List<Integer>> dag) throws Exception {
        Path root = Files.createTempDirectory("jguix-prop");
        try (StoreDatabase db = TestStores.open(root)) {
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < dag.size(); i++) {
                paths.add(TestStores.path("p" + i));
            }
            List<ValidPathInfo> infos = new ArrayList<>();
            for (int i = dag.size() - 1; i >= 0; i--) { // order in the batch must not matter
                infos.add(TestStores.info(paths.get(i), dag.get(i).stream().map(paths::get).toArray(String[]::new)));
            }
            db.registerValidPaths(infos);
            for (int i = 0; i < dag.size(); i++) {
                SortedSet<String> refs = new TreeSet<>();
                dag.get(i).forEach(j -> refs.add(paths.get(j)));
                assertEquals(refs, db.queryReferences(paths.get(i)));
                SortedSet<String> referrers = new TreeSet<>();
                for (int k = 0; k < dag.size(); k++) {
                    if (dag.get(k).contains(i)) {
                        referrers.add(paths.get(k));
                    }
                }
                assertEquals(referrers, db.queryReferrers(paths.get(i)));
                String hashPart = paths.get(i).substring(11, 43);
                assertEquals(java.util.Optional.of(paths.get(i)), db.queryPathFromHashPart(hashPart));
            }
        } finally {
            TreeDeleter.delete(root);
        }
    }
}
