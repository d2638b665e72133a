package org.jguix.store.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jguix.nar.TreeDeleter;
import org.jguix.store.TempRoots;

/**
 * Over random reference graphs and random roots (permanent and temporary): the live paths are
 * exactly the closure of the roots under references, the dead ones the rest, and a collection
 * leaves exactly the live paths valid and on disk.
 */
class GcProperties {
    /** A graph: item i refers to some items before it; then which items are permanent / temp roots. */
    record Case(List<List<Integer>> refs, Set<Integer> permanent, Set<Integer> temporary) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.integers().between(1, 14).flatMap(n -> {
            List<Arbitrary<List<Integer>>> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(i == 0 ? Arbitraries.just(List.of())
                        : Arbitraries.integers().between(0, i - 1).list().ofMaxSize(3));
            }
            Arbitrary<Set<Integer>> roots = Arbitraries.integers().between(0, n - 1).set().ofMaxSize(3);
            return Combinators.combine(Combinators.combine(rows).as(l -> l), roots, roots).as(Case::new);
        });
    }

    @Property(tries = 25)
    void liveIsTheClosureOfTheRoots(@ForAll("cases") Case c) throws Exception {
        Path root = Files.createTempDirectory("jguix-gc-prop");
        try (GcStore s = new GcStore(root); TempRoots.Session session = s.tempRoots.newSession()) {
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < c.refs().size(); i++) {
                String[] refs = c.refs().get(i).stream().distinct().map(paths::get).toArray(String[]::new);
                paths.add(i % 3 == 0 ? s.dir("p" + i, "item " + i, refs) : s.text("p" + i, "item " + i, refs));
            }
            for (int i : c.permanent()) {
                s.root("r" + i, paths.get(i));
            }
            for (int i : c.temporary()) {
                session.add(paths.get(i));
            }
            SortedSet<String> live = new TreeSet<>();
            Deque<Integer> todo = new ArrayDeque<>(c.permanent());
            todo.addAll(c.temporary());
            while (!todo.isEmpty()) {
                int i = todo.pop();
                if (live.add(paths.get(i))) {
                    todo.addAll(c.refs().get(i));
                }
            }
            SortedSet<String> dead = new TreeSet<>(paths);
            dead.removeAll(live);

            assertEquals(live, s.collect(GcAction.RETURN_LIVE).paths());
            assertEquals(dead, s.collect(GcAction.RETURN_DEAD).paths());
            assertEquals(dead, s.collect(GcAction.DELETE_DEAD).paths());
            for (String p : paths) {
                assertEquals(live.contains(p), s.valid(p), p);
                assertEquals(live.contains(p), s.onDisk(p), p);
            }
            assertEquals(live, s.db.queryAllValidPaths());
            for (String p : live) {
                assertTrue(live.containsAll(s.db.queryReferences(p)), p);
            }
        } finally {
            TreeDeleter.delete(root);
        }
    }
}
