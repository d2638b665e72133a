package org.jguix.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The SQL of store schema version 7: byte for byte guix's {@code guix/store/schema.sql} (unchanged since
 * guix commit 3931c76154d4, 2018; the daemon embeds the same file as {@code schema.sql.hh}). Executed as
 * one script with {@code sqlite3_exec}, as {@code LocalStore::openDB(create=true)} does, so that
 * {@code sqlite_master} ends up identical to a guix-created database.
 */
public final class Schema {
    private static final String TEXT = load();

    private Schema() {
    }

    public static String sql() {
        return TEXT;
    }

    private static String load() {
        try (InputStream in = Schema.class.getResourceAsStream("schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("schema.sql missing from the jguix-store jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
