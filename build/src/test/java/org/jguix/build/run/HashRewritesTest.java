package org.jguix.build.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.jguix.store.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code addHashRewrite} and {@code rewriteHashes} of builds without a chroot. */
class HashRewritesTest {
    // RUN (compat-tests builtin-download, guix-daemon 1.5.0, `guix build --check'): the real
    // daemon ran `perform-download DRV REDIRECTED' with these paths.
    static final String DRV = "/gnu/store/clwdlz3av97m7q7fn3fhkc7z7nr8a3gp-file.txt.drv";
    static final String OUT = "/gnu/store/5sjj0ddnksnla64274jj3cp0g468aykl-file.txt";
    static final String REDIRECTED = "/gnu/store/1gdv8pif0v7lkmczg7n12aq1f6pixjv1-file.txt";

    @TempDir
    Path root;

    @Test
    void redirectedPathIsGuixDaemons() {
        HashRewrites r = HashRewrites.of(StoreLayout.under(root), DRV, Set.of(OUT), Set.of());
        assertEquals(Map.of(OUT, REDIRECTED), r.redirected());
        assertFalse(r.isEmpty());
    }

    @Test
    void rewritingReplacesTheTemporaryHashPartEverywhere() throws Exception {
        StoreLayout layout = StoreLayout.under(root);
        HashRewrites r = HashRewrites.of(layout, DRV, Set.of(OUT), Set.of(OUT));
        Path out = Files.createDirectories(layout.file(REDIRECTED));
        Files.writeString(out.resolve("self"), "I am " + REDIRECTED + " and 1gdv8pif0v7lkmczg7n12aq1f6pixjv1x\n");
        Files.createSymbolicLink(out.resolve("link"), Path.of(REDIRECTED + "/self"));
        r.rewrite(layout, out);
        assertEquals("I am " + OUT + " and 5sjj0ddnksnla64274jj3cp0g468aykl" + "x\n",
                Files.readString(out.resolve("self")));
        assertEquals(Path.of(OUT + "/self"), Files.readSymbolicLink(out.resolve("link")));
        r.clear(layout);
        assertFalse(Files.exists(out), "clear deletes what is left at the redirected path");
    }
}
