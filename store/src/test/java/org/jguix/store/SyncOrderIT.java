package org.jguix.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #6: content reaches the disk before it is declared valid. Runs {@link SyncOrderMain} under
 * {@code strace -f -y} and checks, in system-call order, that every file and directory of the new
 * item is fsynced, then the item renamed to its store path, then the store directory fsynced, and
 * only after that the database written (the registration: SQLite's first write after the marker).
 * Needs {@code strace} (CI installs it); fails, not skips, without it.
 */
class SyncOrderIT {
    private static final Pattern CALL = Pattern.compile(
            "^(?:\\[pid\\s+\\d+\\] |\\d+\\s+)?(fsync|fdatasync|rename|renameat|renameat2|pwrite64|write)\\((.*)");

    @TempDir
    Path root;

    @Test
    void contentIsSyncedBeforeRegistration() throws Exception {
        check("tree", new String[] {"/f>", "/sub/g>", "/sub>", "-1>"});
    }

    /** AddTextToStore's file is fsynced through the descriptor it was written with, still before the rename. */
    @Test
    void aTextItemIsSyncedBeforeRegistration() throws Exception {
        check("text", new String[] {"-1>"});
    }

    private void check(String kind, String[] parts) throws Exception {
        Path trace = root.resolve("trace-" + kind);
        Path store = Files.createDirectories(root.resolve("s-" + kind));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder("strace", "-f", "-qq", "-y", "-s", "16", "-o", trace.toString(),
                "-e", "trace=fsync,fdatasync,rename,renameat,renameat2,pwrite64,write",
                java, "-cp", System.getProperty("java.class.path"), SyncOrderMain.class.getName(), store.toString(),
                kind)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "traced child did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ADDED true"), out);

        List<String> calls = new ArrayList<>();
        boolean started = false;
        for (String line : Files.readAllLines(trace)) {
            Matcher m = CALL.matcher(line);
            if (!m.find()) {
                continue;
            }
            String call = m.group(1) + " " + m.group(2);
            if (!started) {
                started = call.startsWith("write ") && call.contains("\"ADDING");
                continue; // everything before the marker line on stdout
            }
            calls.add(call);
        }
        String storeDir = store.resolve("gnu/store").toRealPath().toString();
        int rename = indexOf(calls, c -> c.startsWith("rename") && c.contains(storeDir + "/.jguix-tmp-"), 0);
        assertTrue(rename >= 0, "no rename of the temporary into place:\n" + String.join("\n", calls));
        for (String part : parts) {
            int sync = indexOf(calls, c -> c.startsWith("fsync") && c.contains(".jguix-tmp-")
                    && c.contains(part.equals("-1>") ? "" : part), 0);
            assertTrue(sync >= 0 && sync < rename, "fsync of " + part + " before the rename:\n" + String.join("\n", calls));
        }
        int dirSync = indexOf(calls, c -> c.startsWith("fsync") && c.contains("<" + storeDir + ">"), rename);
        assertTrue(dirSync > rename, "fsync of the store directory after the rename:\n" + String.join("\n", calls));
        int firstDbWrite = indexOf(calls, c -> (c.startsWith("pwrite64") || c.startsWith("write"))
                && c.contains("db.sqlite"), 0);
        assertTrue(firstDbWrite > dirSync, "the database was written before the content was synced:\n"
                + String.join("\n", calls));
    }

    private static int indexOf(List<String> calls, java.util.function.Predicate<String> p, int from) {
        for (int i = from; i < calls.size(); i++) {
            if (p.test(calls.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
