package org.jguix.store;

import java.io.IOException;
import org.jguix.store.internal.Handle;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
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

    void run(Handle c, List<ValidPathInfo> infos) throws SQLException, StoreException {
        Set<String> paths = new TreeSet<>();
        for (ValidPathInfo info : infos) {
            layout.assertStorePath(info.path());
            if (!info.hashAlgorithm().equals("sha256")) {
                throw new StoreException("registering `" + info.path() + "': hash must be SHA-256, not "
                        + info.hashAlgorithm());
            }
            String hash = "sha256:" + info.narHash().substring(7).toLowerCase(java.util.Locale.ROOT);
            if (Queries.pathInfo(c, info.path()) != null) {
                Queries.updatePathInfo(c, info.path(), hash, info.narSize());
            } else {
                addValidPath(c, info, hash);
            }
            paths.add(info.path());
        }
        for (ValidPathInfo info : infos) {
            long referrer = idOf(c, info.path());
            for (String ref : info.references()) {
                Queries.addReference(c, referrer, idOf(c, ref));
            }
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
    }

    private void addValidPath(Handle c, ValidPathInfo info, String hash) throws SQLException, StoreException {
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
            }
        }
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
