package org.jguix.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The statements {@code LocalStore::openDB} prepares, one method each, with the same SQL so that the
 * semantics (NULL handling, {@code insert or replace}/{@code or ignore}, the hash-part range query)
 * are guix-daemon's. Each method runs on the connection it is given, so a registration can compose
 * them inside its transaction. Statements are prepared once per connection and kept ({@link Handle}):
 * each method sets every parameter and closes its result set before returning.
 */
public final class Queries {
    private Queries() {
    }

    /** Raw row of {@code ValidPaths}. {@code deriver} null and {@code narSize} 0 when SQL NULL. */
    public record Row(long id, String hash, long registrationTime, String deriver, long narSize) {
    }

    /** stmtQueryPathInfo: also the validity test and the path-to-id lookup. */
    public static Row pathInfo(Handle c, String path) throws SQLException {
        PreparedStatement s = c.prepare(
                "select id, hash, registrationTime, deriver, narSize from ValidPaths where path = ?;");
        s.setString(1, path);
        try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return null;
            }
            return new Row(r.getLong(1), r.getString(2), r.getLong(3), r.getString(4), r.getLong(5));
        }
    }

    /**
     * Whether {@code path} has a row: the same lookup as {@link #pathInfo} (its index), but fetching no
     * column, since IsValidPath is the most frequent request and each column is a JNI call.
     */
    public static boolean isValid(Handle c, String path) throws SQLException {
        PreparedStatement s = c.prepare("select 1 from ValidPaths where path = ?;");
        s.setString(1, path);
        try (ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }

    public static OptionalLong id(Handle c, String path) throws SQLException {
        Row row = pathInfo(c, path);
        return row == null ? OptionalLong.empty() : OptionalLong.of(row.id());
    }

    /** stmtRegisterValidPath: deriver NULL when empty, narSize NULL when 0; returns the new row id. */
    public static long insertValidPath(Handle c, String path, String hash, long time, String deriver,
            long narSize) throws SQLException {
        PreparedStatement s = c.prepare("insert into ValidPaths (path, hash, registrationTime, "
                + "deriver, narSize) values (?, ?, ?, ?, ?);");
        s.setString(1, path);
        s.setString(2, hash);
        s.setLong(3, time);
        if (deriver == null || deriver.isEmpty()) {
            s.setNull(4, Types.VARCHAR);
        } else {
            s.setString(4, deriver);
        }
        if (narSize == 0) {
            s.setNull(5, Types.INTEGER);
        } else {
            s.setLong(5, narSize);
        }
        s.executeUpdate();
        try (ResultSet r = c.prepare("select last_insert_rowid();").executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** stmtUpdatePathInfo: only narSize and hash change on re-registration. */
    public static void updatePathInfo(Handle c, String path, String hash, long narSize) throws SQLException {
        PreparedStatement s = c.prepare("update ValidPaths set narSize = ?, hash = ? where path = ?;");
        if (narSize == 0) {
            s.setNull(1, Types.INTEGER);
        } else {
            s.setLong(1, narSize);
        }
        s.setString(2, hash);
        s.setString(3, path);
        s.executeUpdate();
    }

    /** stmtAddReference. */
    public static void addReference(Handle c, long referrer, long reference) throws SQLException {
        PreparedStatement s = c.prepare("insert or replace into Refs (referrer, reference) values (?, ?);");
        s.setLong(1, referrer);
        s.setLong(2, reference);
        s.executeUpdate();
    }

    /** stmtQueryReferences. */
    public static SortedSet<String> references(Handle c, long referrer) throws SQLException {
        return strings(c, "select path from Refs join ValidPaths on reference = id where referrer = ?;", 1,
                referrer);
    }

    /** stmtQueryReferrers (no row for {@code path}: empty). */
    public static SortedSet<String> referrers(Handle c, String path) throws SQLException {
        return strings(c, "select path from Refs join ValidPaths on referrer = id where reference = "
                + "(select id from ValidPaths where path = ?);", 1, path);
    }

    /** stmtInvalidatePath: cascades and the DeleteSelfRefs trigger do the rest. */
    public static void invalidate(Handle c, String path) throws SQLException {
        PreparedStatement s = c.prepare("delete from ValidPaths where path = ?;");
        s.setString(1, path);
        s.executeUpdate();
    }

    /** stmtAddDerivationOutput. */
    public static void addDerivationOutput(Handle c, long drv, String name, String path) throws SQLException {
        PreparedStatement s = c.prepare("insert or replace into DerivationOutputs (drv, id, path) values (?, ?, ?);");
        s.setLong(1, drv);
        s.setString(2, name);
        s.setString(3, path);
        s.executeUpdate();
    }

    /** stmtQueryValidDerivers: paths of the valid derivations listing {@code output} as an output. */
    public static SortedSet<String> validDerivers(Handle c, String output) throws SQLException {
        return strings(c, "select v.id, v.path from DerivationOutputs d join ValidPaths v on d.drv = v.id "
                + "where d.path = ?;", 2, output);
    }

    /** stmtQueryDerivationOutputs: output name to output path. */
    public static SortedMap<String, String> derivationOutputs(Handle c, long drv) throws SQLException {
        PreparedStatement s = c.prepare("select id, path from DerivationOutputs where drv = ?;");
        s.setLong(1, drv);
        SortedMap<String, String> out = new TreeMap<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    /** stmtQueryPathFromHashPart: first path sorting at or after {@code prefix} (SQLite text order). */
    public static String firstPathFrom(Handle c, String prefix) throws SQLException {
        PreparedStatement s = c.prepare("select path from ValidPaths where path >= ? limit 1;");
        s.setString(1, prefix);
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        }
    }

    /**
     * {@code PRAGMA data_version}: changes between two calls on the same connection exactly when
     * another connection (another process, or another handle of this one) committed meanwhile.
     */
    public static long dataVersion(Handle c) throws SQLException {
        try (ResultSet r = c.prepare("pragma data_version;").executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** stmtQueryValidPaths. */
    public static SortedSet<String> allValidPaths(Handle c) throws SQLException {
        return strings(c, "select path from ValidPaths", 1);
    }

    /**
     * The collector's {@code invalidatePathChecked}, one statement per path, prepared once for the
     * many paths it invalidates in one transaction. The referrer check is the schema's: {@code Refs}'
     * {@code reference} is {@code on delete restrict} (the {@code DeleteSelfRefs} trigger removes a
     * self-reference first), so SQLite refuses, with the database untouched, to delete a row that
     * other rows still refer to — the question guix-daemon asks with a query before deleting.
     */
    public static final class Invalidation implements AutoCloseable {
        private static final int SQLITE_CONSTRAINT = 19;
        private final PreparedStatement delete;

        public Invalidation(Handle h) throws SQLException {
            delete = h.connection().prepareStatement("delete from ValidPaths where path = ?;");
        }

        /** What {@link #invalidate} did. */
        public enum Outcome { INVALIDATED, NOT_VALID, REFERRED_TO }

        /** Deletes the row of {@code path} unless other rows refer to it. */
        public Outcome invalidate(String path) throws SQLException {
            delete.setString(1, path);
            try {
                return delete.executeUpdate() == 0 ? Outcome.NOT_VALID : Outcome.INVALIDATED;
            } catch (SQLException e) {
                if ((e.getErrorCode() & 0xff) == SQLITE_CONSTRAINT) {
                    return Outcome.REFERRED_TO; // only this statement was undone
                }
                throw e;
            }
        }

        @Override
        public void close() throws SQLException {
            delete.close();
        }
    }

    /** A row of {@link #forEachValidPath}. */
    @FunctionalInterface
    public interface PathRow {
        void accept(long id, String path, String deriver, long narSize);
    }

    /** A row of {@link #forEachReference}. */
    @FunctionalInterface
    public interface RefRow {
        void accept(long referrer, long reference);
    }

    /** A row of {@link #forEachDerivationOutput}. */
    @FunctionalInterface
    public interface OutputRow {
        void accept(long drv, String path);
    }

    /** Every {@code ValidPaths} row (the collector's graph). */
    public static void forEachValidPath(Handle c, PathRow row) throws SQLException {
        try (PreparedStatement s = c.connection()
                .prepareStatement("select id, path, deriver, narSize from ValidPaths;");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                row.accept(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4));
            }
        }
    }

    /** Every {@code Refs} row. */
    public static void forEachReference(Handle c, RefRow row) throws SQLException {
        try (PreparedStatement s = c.connection().prepareStatement("select referrer, reference from Refs;");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                row.accept(r.getLong(1), r.getLong(2));
            }
        }
    }

    /** Every {@code DerivationOutputs} row. */
    public static void forEachDerivationOutput(Handle c, OutputRow row) throws SQLException {
        try (PreparedStatement s = c.connection().prepareStatement("select drv, path from DerivationOutputs;");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                row.accept(r.getLong(1), r.getString(2));
            }
        }
    }

    /** stmtRegisterFailedPath. */
    public static void registerFailed(Handle c, String path, long time) throws SQLException {
        PreparedStatement s = c.prepare("insert or ignore into FailedPaths (path, time) values (?, ?);");
        s.setString(1, path);
        s.setLong(2, time);
        s.executeUpdate();
    }

    /** stmtHasPathFailed. */
    public static boolean hasFailed(Handle c, String path) throws SQLException {
        return !strings(c, "select time from FailedPaths where path = ?;", 1, path).isEmpty();
    }

    /** stmtQueryFailedPaths. */
    public static SortedSet<String> failedPaths(Handle c) throws SQLException {
        return strings(c, "select path from FailedPaths;", 1);
    }

    /** stmtClearFailedPath: {@code *} clears all; a derivation also clears its outputs. */
    public static void clearFailed(Handle c, Collection<String> paths) throws SQLException {
        PreparedStatement s = c.prepare("delete from FailedPaths where ?1 = '*' or path = ?1 "
                + "or path in (select d.path from DerivationOutputs d join ValidPaths v on d.drv = v.id "
                + "where v.path = ?1);");
        for (String p : paths) {
            s.setString(1, p);
            s.executeUpdate();
        }
    }

    private static SortedSet<String> strings(Handle c, String sql, int column, Object... args)
            throws SQLException {
        PreparedStatement s = c.prepare(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        SortedSet<String> out = new TreeSet<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(column));
            }
        }
        return out;
    }
}
