package org.jguix.store.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roots the collector finds outside the database: running processes and other processes' temp roots. */
class RootSourcesTest {
    @TempDir
    Path tmp;

    /**
     * A fake {@code /proc} laid out as Linux does, read as {@code guix gc --list-busy} reads it: the
     * item behind every kind of reference is a root; a process whose {@code maps} cannot be read
     * contributes nothing, and deleted mappings and non-path descriptors are ignored.
     */
    @Test
    void busyItemsOfRunningProcesses() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            String exe = s.dir("exe", "a program");
            String cwd = s.dir("cwd", "a directory");
            String fd = s.dir("fd", "an open file");
            String lib = s.dir("lib", "a library");
            String env = s.dir("profile", "a profile");
            String deleted = s.dir("deleted", "a deleted mapping");
            String gone = s.dir("gone", "the exe of a process that ended");
            String idle = s.dir("idle", "used by nobody");
            Path p1 = Files.createDirectories(s.proc.resolve("1"));
            Files.createSymbolicLink(p1.resolve("exe"), Path.of(exe + "/bin/prog"));
            Files.createSymbolicLink(p1.resolve("cwd"), Path.of(cwd));
            Path fds = Files.createDirectories(p1.resolve("fd"));
            Files.createSymbolicLink(fds.resolve("3"), Path.of(fd + "/f"));
            Files.createSymbolicLink(fds.resolve("4"), Path.of("pipe:[4242]"));
            Files.writeString(p1.resolve("maps"), String.join("\n",
                    "55d0c0a00000-55d0c0a28000 r--p 00000000 fd:01 1316 " + lib + "/lib/libfoo.so",
                    "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 ",
                    "7f0000001000-7f0000002000 r-xp 00000000 fd:01 77   " + deleted + "/x (deleted)",
                    "7ffd0000-7ffd1000 rw-p 00000000 00:00 0                          [stack]", ""));
            Files.write(p1.resolve("environ"), ("PATH=" + env + "/bin:/usr/bin\0HOME=/root\0GUIX_X=" + idle
                    + "XXXXX\0").getBytes(StandardCharsets.UTF_8));
            Path p2 = Files.createDirectories(s.proc.resolve("22"));
            Files.createSymbolicLink(p2.resolve("exe"), Path.of(gone));
            Files.createDirectories(s.proc.resolve("self"));

            Set<String> busy = RuntimeRoots.find(s.proc, s.layout, s.db::isValidPath);
            // the environ match is greedy over the name characters, so "…-idleXXXXX" is no item
            assertEquals(Set.of(exe, cwd, fd, lib, env), busy);
            assertEquals(GarbageCollectorTest.set(exe, cwd, fd, lib, env), s.collect(GcAction.RETURN_LIVE).paths());
            assertEquals(GarbageCollectorTest.set(deleted, gone, idle), s.collect(GcAction.DELETE_DEAD).paths());
        }
    }

    @Test
    @SuppressWarnings("try") // the open stream is the point
    void busyItemsOfThisVeryProcess() throws IOException {
        try (GcStore s = new GcStore(tmp)) {
            String held = s.text("held", "an open file\n");
            try (var in = Files.newInputStream(s.layout.file(held))) {
                assertTrue(RuntimeRoots.referencedFiles(Path.of("/proc"), "/gnu/store").stream()
                        .anyMatch(f -> f.equals(s.layout.file(held).toString())));
            }
        }
    }

    /**
     * Another process's temp-roots file, read-locked by its live owner, protects its roots; a file
     * whose owner is gone is removed with guix-daemon's message; this process's own file is skipped.
     */
    @Test
    void otherProcessesTempRoots() throws Exception {
        try (GcStore s = new GcStore(tmp)) {
            String theirs = s.text("theirs", "held by another daemon's client\n");
            String orphan = s.text("orphan", "held by a dead process\n");
            Path dir = s.layout.stateDir().resolve("temproots");
            Path live = dir.resolve("999991");
            Path stale = dir.resolve("999992");
            Files.writeString(live, theirs + "\0");
            Files.writeString(stale, orphan + "\0");
            Process owner = holdShared(live);
            try {
                s.tempRoots.ensureFile(); // our own file exists and must not be touched
                assertEquals(GarbageCollectorTest.set(orphan), s.collect(GcAction.DELETE_DEAD).paths());
                assertEquals(List.of("E finding garbage collector roots...",
                        "E removing stale temporary roots file `" + stale + "'", "E deleting garbage..."),
                        s.takeMessages().subList(0, 3));
                assertTrue(s.valid(theirs));
                assertFalse(Files.exists(stale));
                assertTrue(Files.exists(live));
                assertTrue(Files.exists(s.tempRoots.file()));
            } finally {
                owner.getOutputStream().close();
                owner.waitFor();
            }
            assertEquals(GarbageCollectorTest.set(theirs), s.collect(GcAction.DELETE_DEAD).paths());
            assertFalse(Files.exists(live));
        }
    }

    /** A process holding a shared fcntl lock on {@code file} (as a guix-daemon connection does) until stdin closes. */
    static Process holdShared(Path file) throws IOException {
        String code = "import fcntl,sys\nf=open(sys.argv[1],'r+b')\nfcntl.lockf(f,fcntl.LOCK_SH)\n"
                + "print('locked',flush=True)\nsys.stdin.read()\n";
        Process p = new ProcessBuilder("python3", "-c", code, file.toString()).start();
        byte[] line = new byte[7];
        if (p.getInputStream().readNBytes(line, 0, 7) != 7) {
            throw new IOException("lock holder did not start");
        }
        return p;
    }
}
