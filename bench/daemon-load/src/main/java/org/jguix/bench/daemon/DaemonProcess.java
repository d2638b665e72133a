package org.jguix.bench.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;

/**
 * The daemon under test, started by the load client so that start-up is timed from the
 * {@code exec} to the first answered request, and observed through {@code /proc}: CPU time and
 * resident memory of its process tree (guix-daemon forks one process per connection; jguix is
 * one JVM: its launcher {@code exec}s java, so the pid is the JVM's).
 */
final class DaemonProcess {
    /** {@code sysconf(_SC_CLK_TCK)} on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final List<String> command;
    private final Path socket;
    private final File log;
    private Process process;

    DaemonProcess(List<String> command, Path socket, File log) {
        this.command = List.copyOf(command);
        this.socket = socket;
        this.log = log;
    }

    /**
     * Starts the daemon and returns the seconds from start to the first answer: connection
     * retried every millisecond until it succeeds, then the handshake and one IsValidPath.
     */
    double start(String probePath, double timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        long t0 = System.nanoTime();
        process = pb.start();
        long deadline = t0 + (long) (timeoutSeconds * 1e9);
        while (true) {
            try (Connection c = Connection.open(socket)) {
                c.call(Operation.IS_VALID_PATH, new Request.IsValidPath(probePath));
                return (System.nanoTime() - t0) / 1e9;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("daemon exited with status " + process.exitValue() + " (see " + log + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no answer within " + timeoutSeconds + " s: " + e.getMessage());
                }
                Thread.sleep(1);
            }
        }
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        try {
            Files.deleteIfExists(socket); // so that a restart is timed to its own bind
        } catch (IOException e) {
            // the next start's connect loop copes with a stale socket file too
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits (up to 2 s) until the daemon has no child left, i.e. has reaped the workers of closed
     * connections, so that their CPU time is in its {@code cutime} when it is read.
     */
    void awaitReaped() throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (tree().size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /** The daemon and its live descendants (connection workers). */
    List<Long> tree() {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /**
     * CPU seconds (user + system) used so far by the daemon, its live descendants and its reaped
     * children ({@code cutime + cstime}): differences of this bracket a phase.
     */
    double cpuSeconds() {
        double s = 0;
        for (long pid : tree()) {
            s += cpuSeconds(pid, pid == process.pid());
        }
        return s;
    }

    /** CPU seconds of {@code pid} ({@code utime + stime}), with its reaped children if asked; 0 if gone. */
    static double cpuSeconds(long pid, boolean withReapedChildren) {
        long[] f = stat(pid);
        if (f.length == 0) {
            return 0;
        }
        return (f[0] + f[1] + (withReapedChildren ? f[2] + f[3] : 0)) / TICKS_PER_SECOND;
    }

    /** utime, stime, cutime, cstime of {@code pid}, or empty if it is gone. */
    private static long[] stat(long pid) {
        String s;
        try {
            s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return new long[0];
        }
        // The command name (field 2) may hold spaces: count fields after its closing paren.
        String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14.
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    /** A number of {@code /proc/PID/status}: {@code VmRSS}, {@code VmHWM} (kB), {@code Threads}; 0 if gone. */
    static long statusKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** {@code Pss} of {@code /proc/PID/smaps_rollup} in KiB, 0 if gone. */
    static long pssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.substring(4).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
