package org.jguix.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fcntl locks as <em>another process</em> sees them (python3's {@code fcntl.lockf} is an fcntl lock),
 * and the kernel's view from {@code /proc/locks}.
 */
final class Fcntl {
    private Fcntl() {
    }

    /** Whether another process could take a whole-file lock now ({@code F_SETLK}, non-blocking). */
    static boolean otherProcessCanLock(Path file, boolean exclusive) throws IOException, InterruptedException {
        String mode = exclusive ? "LOCK_EX" : "LOCK_SH";
        String code = "import fcntl,sys\nf=open(sys.argv[1],'r+b')\ntry:\n fcntl.lockf(f,fcntl." + mode
                + "|fcntl.LOCK_NB)\n print('yes')\nexcept OSError:\n print('no')\n";
        Process p = new ProcessBuilder("python3", "-c", code, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        if (!out.equals("yes") && !out.equals("no")) {
            throw new IOException("python3: " + out);
        }
        return out.equals("yes");
    }

    /** Starts a process that holds an exclusive whole-file lock until its stdin closes. */
    static Process holdExclusive(Path file) throws IOException {
        String code = "import fcntl,sys\nf=open(sys.argv[1],'a+b')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                + "print('locked',flush=True)\nsys.stdin.read()\n";
        Process p = new ProcessBuilder("python3", "-c", code, file.toString()).start();
        byte[] line = new byte[7];
        int n = p.getInputStream().readNBytes(line, 0, 7);
        if (n != 7) {
            throw new IOException("lock holder did not start");
        }
        return p;
    }

    /** Lines of /proc/locks about {@code file}'s inode. */
    static List<String> procLocks(Path file) throws IOException {
        long ino = (Long) Files.getAttribute(file, "unix:ino");
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .filter(l -> l.matches(".*:" + ino + " .*")).toList();
    }
}
