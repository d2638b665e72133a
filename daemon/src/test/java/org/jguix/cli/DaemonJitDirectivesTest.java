package org.jguix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/daemon-c2.json}, the compiler directives the launcher gives the daemon's JVM: HotSpot
 * accepts the file (it refuses to start otherwise), SHA-256 still reaches C2 and its intrinsic, and
 * code outside the listed packages never does.
 */
class DaemonJitDirectivesTest {
    private static final Pattern COMPILE = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*?(\\d)\\s+(\\S+)");

    @TempDir
    Path tmp;

    /** Hashes 512 MiB and calls a small method a million times. */
    public static final class Workload {
        static long spin(long x) {
            return x * 31 + (x >>> 7);
        }

        public static void main(String[] args) throws Exception {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 512; i++) {
                md.update(block);
            }
            long x = md.digest()[0];
            for (int i = 0; i < 1_000_000; i++) {
                x = spin(x);
            }
            System.out.println("done " + x);
        }
    }

    @Test
    void digestsReachC2AndOtherCodeStopsAtC1() throws Exception {
        Path directives = Path.of("..", "scripts", "daemon-c2.json").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(directives), directives::toString);
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + directives, "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), Workload.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertEquals(0, p.waitFor(), () -> read(out));
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("done ")), () -> read(out));
        assertTrue(lines.stream().anyMatch(l -> level(l, "sun.security.provider.") == 4),
                () -> "no C2 compile of the SHA-256 code:\n" + read(out));
        assertFalse(lines.stream().anyMatch(l -> level(l, Workload.class.getName() + "::spin") == 4),
                () -> "C2 compiled code outside the directives' list:\n" + read(out));
        assertTrue(lines.stream().anyMatch(l -> level(l, Workload.class.getName() + "::spin") == 1),
                () -> "the hot method did not end at C1's optimising tier:\n" + read(out));
    }

    /** The tier of a PrintCompilation line compiling a method whose name starts with {@code prefix}, or -1. */
    private static int level(String line, String prefix) {
        Matcher m = COMPILE.matcher(line);
        return m.find() && m.group(2).startsWith(prefix) && !line.contains("made not entrant")
                ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
