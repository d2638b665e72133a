package org.jguix.build.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jguix.nar.NarHasher;
import org.jguix.store.StoreDatabase;
import org.jguix.store.StoreLayout;
import org.jguix.store.ValidPathInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pathContentsGood} / {@code markContentsGood} of repair builds: messages and cache. */
class ContentsCheckTest {
    static final String P = "/gnu/store/5sjj0ddnksnla64274jj3cp0g468aykl-file.txt";

    @TempDir
    Path root;

    private final List<String> messages = new ArrayList<>();
    private final BuildEvents events = new BuildEvents() {
        @Override
        public void message(int level, String text) {
            messages.add(level + " " + text);
        }

        @Override
        public Nest nest(int level, String text) {
            message(level, text);
            return () -> { };
        }

        @Override
        public void builderOutput(int pid, byte[] chunk, int off, int len) {
        }
    };

    @Test
    void goodCorruptAndMissingPathsOncePerRequest() throws Exception {
        StoreLayout layout = StoreLayout.under(root);
        Files.createDirectories(layout.storeDirectory());
        Path f = layout.file(P);
        Files.writeString(f, "builtin download payload\n");
        try (StoreDatabase db = StoreDatabase.open(layout,
                StoreDatabase.Options.defaults(drv -> Map.of()).withIgnoreSymlinkStore(true))) {
            var nar = NarHasher.hashPath(f, "sha256");
            db.registerValidPaths(List.of(ValidPathInfo.of(P, nar.digest(), nar.narSize(), List.of())));
            ContentsCheck check = new ContentsCheck(db);
            assertTrue(check.good(P, events));
            assertEquals(List.of("1 checking path `" + P + "'..."), messages);

            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(f, "corrupted\n");
            assertTrue(check.good(P, events), "cached: guix-daemon hashes a path once");
            ContentsCheck fresh = new ContentsCheck(db);
            messages.clear();
            assertFalse(fresh.good(P, events));
            assertEquals(List.of("1 checking path `" + P + "'...", "0 path `" + P + "' is corrupted or missing!"),
                    messages);
            fresh.markGood(P);
            assertTrue(fresh.good(P, events), "a repaired path is marked good");

            Files.delete(f);
            assertFalse(new ContentsCheck(db).good(P, events), "missing");
        }
    }
}
