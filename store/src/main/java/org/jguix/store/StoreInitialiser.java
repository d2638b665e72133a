package org.jguix.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.jguix.store.internal.ProcessRwFileLock;
import org.jguix.store.internal.StoreErrors;

/**
 * The file-system half of {@code LocalStore::LocalStore}: state directories, store ownership, the
 * symlink check, the big lock and the {@code schema} file. {@link StoreDatabase#open} runs it once per
 * daemon process (guix-daemon runs it once per connection; the effect is the same since every step is
 * idempotent and the big lock is held until the process ends).
 */
final class StoreInitialiser {
    /** What {@link #prepare} found. */
    record Prepared(boolean readOnly, boolean create, ProcessRwFileLock.Held bigLock) {
    }

    private StoreInitialiser() {
    }

    static Prepared prepare(StoreLayout layout, StoreDatabase.Options options) throws IOException {
        Path store = layout.storeDirectory();
        Path state = layout.stateDir();
        Files.createDirectories(store);
        // TODO(daemon): ensureStoreWritable's private remount of a read-only store needs unshare(2).
        Files.createDirectories(store.resolve(".links"));
        Path profiles = state.resolve("profiles");
        Files.createDirectories(profiles);
        Files.createDirectories(state.resolve("temproots"));
        Files.createDirectories(layout.dbDir());
        Path gcroots = state.resolve("gcroots");
        if (!Files.exists(gcroots, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(gcroots);
            Files.createSymbolicLink(gcroots.resolve("profiles"), profiles);
        }
        Path perUser = profiles.resolve("per-user");
        Files.createDirectories(perUser);
        OptionalInt gid = options.buildUsersGid();
        if (gid.isPresent()) {
            multiUser(store, perUser, gid.getAsInt());
        }
        if (!options.ignoreSymlinkStore()) {
            checkStoreNotSymlink(store);
        }

        ProcessRwFileLock.Held big;
        try {
            big = ProcessRwFileLock.of(layout.dbDir().resolve("big-lock"))
                    .acquire(true, () -> options.messages().accept(StoreErrors.WAITING_BIG_LOCK));
        } catch (AccessDeniedException e) {
            return new Prepared(true, false, null); // unprivileged reader: no lock, no creation
        }
        try {
            Path schemaFile = layout.dbDir().resolve("schema");
            int schema = readSchema(schemaFile);
            if (schema > StoreErrors.SCHEMA_VERSION) {
                throw StoreErrors.schemaTooNew(schema);
            }
            if (schema != 0 && schema < StoreErrors.SCHEMA_VERSION) {
                throw StoreErrors.schemaTooOld(schema);
            }
            return new Prepared(false, schema == 0, big);
        } catch (IOException | RuntimeException e) {
            big.close();
            throw e;
        }
    }

    /** After {@code openDB(create=true)}: {@code writeFile(schemaPath, "7")}, one byte, no newline. */
    static void writeSchema(StoreLayout layout) throws IOException {
        Files.writeString(layout.dbDir().resolve("schema"), Integer.toString(StoreErrors.SCHEMA_VERSION),
                StandardCharsets.US_ASCII);
    }

    /** {@code openDB}'s {@code access(dir, R_OK|W_OK)} check. */
    static void checkDbDirWritable(Path dbDir) throws StoreException {
        if (!Files.isDirectory(dbDir)) {
            throw StoreErrors.dbDirNotWritable(dbDir, "No such file or directory");
        }
        if (!Files.isReadable(dbDir) || !Files.isWritable(dbDir)) {
            throw StoreErrors.dbDirNotWritable(dbDir, "Permission denied");
        }
    }

    /**
     * {@code LocalStore::getSchema}: missing file = 0; otherwise {@code string2Int}, which reads one
     * integer after optional leading white space and accepts nothing after it (so "7\n" is corrupt).
     */
    static int readSchema(Path schemaFile) throws IOException {
        if (!Files.exists(schemaFile)) {
            return 0;
        }
        String s = new String(Files.readAllBytes(schemaFile), StandardCharsets.ISO_8859_1);
        String t = s.stripLeading();
        if (!t.matches("[+-]?[0-9]+")) {
            throw StoreErrors.schemaCorrupt(schemaFile);
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw StoreErrors.schemaCorrupt(schemaFile);
        }
    }

    /** Root with a build users group: per-user 0755, store {@code root:<group>} 01775. */
    private static void multiUser(Path store, Path perUser, int gid) throws IOException {
        Files.setPosixFilePermissions(perUser, PosixFilePermissions.fromString("rwxr-xr-x"));
        int mode = (Integer) Files.getAttribute(store, "unix:mode") & 07777;
        int uid = (Integer) Files.getAttribute(store, "unix:uid");
        int g = (Integer) Files.getAttribute(store, "unix:gid");
        if (uid != 0 || g != gid || mode != 01775) {
            Files.setAttribute(store, "unix:uid", 0);
            Files.setAttribute(store, "unix:gid", gid);
            Files.setAttribute(store, "unix:mode", 01775); // Java's permission API cannot express sticky
        }
    }

    /** {@code checkStoreNotSymlink}: neither the store nor any parent may be a symlink. */
    private static void checkStoreNotSymlink(Path store) throws StoreException {
        for (Path p = store.toAbsolutePath(); p != null && p.getParent() != null; p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new StoreException("the path `" + p + "' is a symlink; this is not allowed for the store "
                        + "and its parent directories");
            }
        }
    }

    /** Makes {@code consumer} never null. */
    static Consumer<String> orIgnore(Consumer<String> consumer) {
        return consumer == null ? m -> { } : consumer;
    }
}
