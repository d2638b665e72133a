package org.jguix.store;

import java.nio.file.Path;
import org.jguix.store.internal.StoreErrors;

/**
 * Where a store lives: the store directory ({@code NIX_STORE_DIR}, default {@code /gnu/store}), the state
 * directory ({@code GUIX_STATE_DIRECTORY}, default {@code /var/guix}) and the database directory
 * ({@code GUIX_DATABASE_DIRECTORY}, default {@code $state/db}). It travels with every store operation so
 * that nothing here hard-codes {@code /gnu/store}.
 *
 * <p>{@code root} is where that tree is on this machine: "/" normally; another directory to prepare or
 * inspect a store that will be mounted elsewhere (as Guile's {@code register-items #:prefix} and
 * {@code guix system init} do). Store paths and database rows always use the logical
 * {@link #storeDir()}; files are reached through {@link #file(String)} and {@link #storeDirectory()}.
 * {@code stateDir} and {@code dbDir} are physical paths.
 *
 * <p>The path predicates work on strings, as guix's {@code store-api.cc} does ({@code isInStore},
 * {@code isStorePath}, {@code toStorePath}): no symlink resolution, no normalisation.
 */
public record StoreLayout(Path root, Path storeDir, Path stateDir, Path dbDir) {

    public StoreLayout {
        if (!root.isAbsolute() || !storeDir.isAbsolute()) {
            throw new IllegalArgumentException("root and storeDir must be absolute: " + root + ", " + storeDir);
        }
    }

    /** A layout on this machine's root. */
    public StoreLayout(Path storeDir, Path stateDir, Path dbDir) {
        this(Path.of("/"), storeDir, stateDir, dbDir);
    }

    /**
     * The default layout below {@code root}: logical store {@code /gnu/store} kept in
     * {@code root/gnu/store}, state in {@code root/var/guix}, database in {@code root/var/guix/db}.
     */
    public static StoreLayout under(Path root) {
        Path state = root.resolve("var/guix");
        return new StoreLayout(root, Path.of("/gnu/store"), state, state.resolve("db"));
    }

    /** The store directory on this machine ({@code root} + {@code storeDir}). */
    public Path storeDirectory() {
        return root.resolve(storeDir.toString().substring(1));
    }

    /** The store directory as the string prefix of every store path. */
    public String storeDirString() {
        return storeDir.toString();
    }

    /** {@code isInStore}: strictly below the store directory. */
    public boolean isInStore(String path) {
        String dir = storeDirString();
        return path.startsWith("/") && path.length() >= dir.length() + 2 && path.startsWith(dir)
                && path.charAt(dir.length()) == '/';
    }

    /** {@code isStorePath}: a direct child of the store directory. */
    public boolean isStorePath(String path) {
        return isInStore(path) && path.indexOf('/', storeDirString().length() + 1) < 0;
    }

    /** {@code assertStorePath}. */
    public void assertStorePath(String path) throws StoreException {
        if (!isStorePath(path)) {
            throw StoreErrors.notInStore(path);
        }
    }

    /** {@code toStorePath}: the top-level store item containing {@code path}. */
    public String toStorePath(String path) throws StoreException {
        if (!isInStore(path)) {
            throw StoreErrors.notInStore(path);
        }
        int slash = path.indexOf('/', storeDirString().length() + 1);
        return slash < 0 ? path : path.substring(0, slash);
    }

    /** The file on this machine of a path named in the logical tree (the string is not checked). */
    public Path file(String path) {
        return path.startsWith("/") ? root.resolve(path.substring(1)) : root.resolve(path);
    }
}
