package org.jguix.store.internal;

import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Collectors;
import org.jguix.store.StoreException;

/**
 * Every client-visible message of the store layer, worded as guix-daemon words it (the C++ function that
 * throws it is named on each). Tests assert these verbatim.
 */
public final class StoreErrors {
    /** The only schema version Guix ever used ({@code nixSchemaVersion}). */
    public static final int SCHEMA_VERSION = 7;

    private StoreErrors() {
    }

    /** {@code LocalStore::LocalStore}. */
    public static StoreException schemaTooNew(int found) {
        return new StoreException("current store schema is version " + found + ", but I only support "
                + SCHEMA_VERSION);
    }

    /** {@code LocalStore::LocalStore}: Guix never migrates. */
    public static StoreException schemaTooOld(int found) {
        return new StoreException("Your store database uses an implausibly old schema, version " + found + ".");
    }

    /** {@code LocalStore::getSchema}. */
    public static StoreException schemaCorrupt(Path schemaFile) {
        return new StoreException("`" + schemaFile + "' is corrupt");
    }

    /** {@code LocalStore::openDB}: a SysError, hence the {@code strerror} suffix. */
    public static StoreException dbDirNotWritable(Path dbDir, String strerror) {
        return new StoreException("store database directory `" + dbDir + "' is not writable: " + strerror);
    }

    /** {@code LocalStore::openDB}. */
    public static StoreException cannotOpenDb(Path dbFile, Throwable cause) {
        return new StoreException("cannot open store database `" + dbFile + "'", cause);
    }

    /** {@code sqlite.cc:throwSQLiteError}: context, then SQLite's own message. */
    public static StoreException sqlite(String context, String sqliteMessage, Throwable cause) {
        return new StoreException(context + ": " + sqliteMessage, cause);
    }

    /** {@code LocalStore::queryPathInfo}. */
    public static StoreException notValid(String path) {
        return new StoreException("path `" + path + "' is not valid");
    }

    /**
     * {@code LocalStore::queryValidPathId} (a reference being registered, the derivation of
     * QueryDerivationOutputs/OutputNames): guix-daemon 1.5.0's format string still has a Boost-style
     * placeholder, so it prints a literal {@code %1%} instead of the path (fixed after 1.5.0; clients
     * of 1.5.0 see this text, fixtures/wire/add-text-to-store and derivation-queries).
     */
    public static StoreException notValidId(String path) {
        return new StoreException("path `%1%' is not valid");
    }

    /** {@code misc.cc:dfsVisit} (a BuildError there). */
    public static StoreException cycle(String path) {
        return new StoreException("cycle detected in the references of `" + path + "'");
    }

    /** {@code LocalStore::queryPathFromHashPart}. */
    public static StoreException invalidHashPart() {
        return new StoreException("invalid hash part");
    }

    /** {@code LocalStore::invalidatePathChecked} (PathInUse). */
    public static StoreException pathInUse(String path, Collection<String> referrers) {
        return new StoreException("cannot delete path `" + path + "' because it is in use by "
                + referrers.stream().sorted().map(r -> "`" + r + "'").collect(Collectors.joining(", ")));
    }

    /** {@code store-api.cc:assertStorePath}. */
    public static StoreException notInStore(String path) {
        return new StoreException("path `" + path + "' is not in the store");
    }

    /** {@code pathlocks.cc:PathLocks::lockPaths}. */
    public static StoreException deadlock() {
        return new StoreException("deadlock: trying to re-acquire self-held lock");
    }

    /** {@code LocalStore::queryPathInfo} via {@code parseHashField}. */
    public static StoreException corruptHash(String hash, String path) {
        return new StoreException("corrupt hash `" + hash + "' in valid-path entry for `" + path + "'");
    }

    /** {@code LocalStore::LocalStore}: printed (not thrown) while blocking on the big lock. */
    public static final String WAITING_BIG_LOCK = "waiting for the big store lock...";

    /** {@code LocalStore::openGCLock}: printed while blocking on the GC lock. */
    public static final String WAITING_GC_LOCK = "waiting for the big garbage collector lock...";

    /** {@code throwSQLiteError}: printed once per process on the first SQLITE_BUSY. */
    public static final String SQLITE_BUSY = "warning: SQLite database is busy";
}
