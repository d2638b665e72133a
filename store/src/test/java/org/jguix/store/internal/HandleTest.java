package org.jguix.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandleTest {
    @TempDir
    Path dir;

    private static final String HASH = "sha256:" + "0".repeat(64);

    @Test
    void aStatementIsPreparedOnceAndClosedWithTheHandle() throws Exception {
        Connections db = Connections.open(dir.resolve("db.sqlite"), true, 1, true, true, m -> { });
        PreparedStatement[] seen = new PreparedStatement[3];
        db.read("test", h -> {
            Queries.pathInfo(h, "/gnu/store/a");
            seen[0] = h.prepare("select id, hash, registrationTime, deriver, narSize from ValidPaths where path = ?;");
            Queries.pathInfo(h, "/gnu/store/b");
            seen[1] = h.prepare("select id, hash, registrationTime, deriver, narSize from ValidPaths where path = ?;");
            seen[2] = h.prepare("select path from ValidPaths where path >= ? limit 1;");
            return null;
        });
        assertSame(seen[0], seen[1]);
        assertNotSame(seen[0], seen[2]);
        assertFalse(seen[0].isClosed());
        db.close();
        assertTrue(seen[0].isClosed());
        assertTrue(seen[2].isClosed());
    }

    /**
     * A kept statement must not pin its connection's read snapshot: a reader that answered "not
     * valid" must see the writer's later commit, and a full checkpoint must not be blocked by it.
     */
    @Test
    void keptStatementsSeeLaterCommitsAndLetTheWalCheckpoint() throws Exception {
        try (Connections db = Connections.open(dir.resolve("db.sqlite"), true, 1, true, true, m -> { })) {
            for (int i = 0; i < 5; i++) {
                String p = "/gnu/store/p" + i;
                assertNull(db.read("test", h -> Queries.pathInfo(h, p)));
                assertNull(db.read("test", h -> Queries.firstPathFrom(h, p)));
                long id = db.write("test", h -> Queries.insertValidPath(h, p, HASH, 1, null, 0));
                assertEquals(id, db.read("test", h -> Queries.pathInfo(h, p)).id());
                assertEquals(p, db.read("test", h -> Queries.firstPathFrom(h, p)));
            }
            // from a connection of its own: the reader's kept statements are idle now
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db.sqlite"));
                    Statement s = other.createStatement();
                    ResultSet r = s.executeQuery("pragma wal_checkpoint(truncate);")) {
                assertTrue(r.next());
                assertEquals(0, r.getInt(1), "checkpoint blocked by an open read transaction");
                assertEquals(0, r.getInt(2), "WAL not truncated");
            }
        }
    }
}
