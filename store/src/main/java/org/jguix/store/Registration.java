package org.jguix.store;

import java.io.IOException;
import org.jguix.store.internal.Handle;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.store.graph.GraphCache;
import org.jguix.store.internal.Queries;
import org.jguix.store.internal.StoreErrors;

/**
 * The body of the one transaction of {@code LocalStore::registerValidPaths}, in the daemon's order:
 * (1) insert new rows / update narSize and hash of existing ones, inserting {@code DerivationOutputs}
 * rows for new {@code .drv} paths ({@code addValidPath}); (2) add every reference edge (append-only;
 * an unknown reference aborts); (3) check derivation outputs; (4) topologically sort the registered
 * paths so that a reference cycle aborts. Any exception rolls the whole transaction back.
 */
final class Registration {
    private final StoreLayout layout;
    private final DerivationOutputsReader drvReader;
    private final Clock clock;

    Registration(StoreLayout layout, DerivationOutputsReader drvReader, Clock clock) {
        this.layout = layout;
        this.drvReader = drvReader;
        this.clock = clock;
    }

    /** Returns what changed, in {@code infos}' order, for the in-memory graph ({@link GraphCache}). */
    List<GraphCache.Registered> run(Handle c, List<ValidPathInfo> infos) throws SQLException, StoreException {
        Set<String> paths = new TreeSet<>();
        Map<String, Long> newIds = new HashMap<>();
        Map<String, List<String>> newOutputs = new HashMap<>();
        for (ValidPathInfo info : infos) {
            layout.assertStorePath(info.path());
            if (!info.hashAlgorithm().equals("sha256")) {
                throw new StoreException("registering `" + info.path() + "': hash must be SHA-256, not "
                        + info.hashAlgorithm());
            }
            String hash = "sha256:" + info.narHash().substring(7).toLowerCase(java.util.Locale.ROOT);
            if (Queries.pathInfo(c, info.path()) != null) {
                Queries.updatePathInfo(c, info.path(), hash, info.narSize());
            } else if (!newIds.containsKey(info.path())) {
                List<String> outputs = new ArrayList<>();
                newIds.put(info.path(), addValidPath(c, info, hash, outputs));
                newOutputs.put(info.path(), outputs);
            }
            paths.add(info.path());
        }
        List<GraphCache.Registered> changes = new ArrayList<>();
        for (ValidPathInfo info : infos) {
            long referrer = idOf(c, info.path());
            long[] refs = new long[info.references().size()];
            int i = 0;
            for (String ref : info.references()) {
                refs[i] = idOf(c, ref);
                Queries.addReference(c, referrer, refs[i++]);
            }
            List<String> outputs = newOutputs.remove(info.path());
            changes.add(new GraphCache.Registered(referrer, info.path(), info.deriver().orElse(null),
                    info.narSize(), refs, outputs == null ? List.of() : outputs, outputs != null));
        }
        for (ValidPathInfo info : infos) {
            if (isDerivation(info.path())) {
                try {
                    drvReader.check(layout.file(info.path()));
                } catch (StoreException e) {
                    throw e;
                } catch (IOException e) {
                    throw new StoreException(e.getMessage(), e);
                }
            }
        }
        topoSort(c, paths);
        return changes;
    }

    /** Inserts the row (and a {@code .drv}'s outputs, added to {@code outputPaths}); returns its id. */
    private long addValidPath(Handle c, ValidPathInfo info, String hash, List<String> outputPaths)
            throws SQLException, StoreException {
        long time = info.registrationTime() == 0 ? clock.instant().getEpochSecond() : info.registrationTime();
        long id = Queries.insertValidPath(c, info.path(), hash, time, info.deriver().orElse(null), info.narSize());
        if (isDerivation(info.path())) {
            Map<String, String> outputs;
            try {
                outputs = drvReader.outputs(layout.file(info.path()));
            } catch (StoreException e) {
                throw e;
            } catch (IOException e) {
                throw new StoreException(e.getMessage(), e);
            }
            for (Map.Entry<String, String> o : new java.util.TreeMap<>(outputs).entrySet()) {
                Queries.addDerivationOutput(c, id, o.getKey(), o.getValue());
                outputPaths.add(o.getValue());
            }
        }
        return id;
    }

    private static long idOf(Handle c, String path) throws SQLException, StoreException {
        OptionalLong id = Queries.id(c, path);
        if (id.isEmpty()) {
            throw StoreErrors.notValidId(path);
        }
        return id.getAsLong();
    }

    /** {@code isDerivation}: the name ends in {@code .drv}. */
    static boolean isDerivation(String path) {
        return path.endsWith(".drv");
    }

    /** {@code misc.cc:topoSortPaths}: depth-first over references within {@code paths}, sorted order. */
    private static void topoSort(Handle c, Set<String> paths) throws SQLException, StoreException {
        Set<String> visited = new HashSet<>();
        for (String p : paths) {
            visit(c, paths, p, visited, new HashSet<>());
        }
    }

    private static void visit(Handle c, Set<String> paths, String path, Set<String> visited,
            Set<String> parents) throws SQLException, StoreException {
        if (parents.contains(path)) {
            throw StoreErrors.cycle(path);
        }
        if (!visited.add(path)) {
            return;
        }
        parents.add(path);
        Queries.Row row = Queries.pathInfo(c, path);
        SortedSet<String> refs = row == null ? new TreeSet<>() : Queries.references(c, row.id());
        for (String ref : refs) {
            if (!ref.equals(path) && paths.contains(ref)) {
                visit(c, paths, ref, visited, parents);
            }
        }
        parents.remove(path);
    }
}
