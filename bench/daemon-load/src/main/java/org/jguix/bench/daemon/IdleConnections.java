package org.jguix.bench.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jguix.wire.Operation;
import org.jguix.wire.Request;

/**
 * Issue #4's "thousands of idle connections cost little": opens {@code n} connections to the daemon,
 * each through the handshake and then left idle, as a long-lived {@code guix repl} or an IDE would
 * hold them; measures what the daemon's process tree costs in memory while they are open (the sum of
 * {@code Pss}: guix-daemon forks a worker per connection, jguix runs a thread) and how long a fresh
 * client then waits for its first answer (connect, handshake, one IsValidPath: median of
 * {@value #PROBES}); then closes them all.
 */
final class IdleConnections {
    private static final int PROBES = 50;

    private final DaemonProcess daemon;
    private final Path socket;
    private final String probePath;

    IdleConnections(DaemonProcess daemon, Path socket, String probePath) {
        this.daemon = daemon;
        this.socket = socket;
        this.probePath = probePath;
    }

    /** {@code connections=… open-secs=… pss-before-kib=… pss-kib=… processes=… threads=… probe-ms=…}. */
    String measure(int n) throws IOException, InterruptedException {
        long before = treePssKib();
        List<Connection> open = new ArrayList<>(n);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                open.add(Connection.open(socket));
            }
            double openSecs = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(500); // workers forked by guix-daemon settle
            long during = treePssKib();
            int processes = daemon.tree().size();
            long threads = DaemonProcess.statusKib(daemon.pid(), "Threads");
            double[] probes = new double[PROBES];
            for (int i = 0; i < PROBES; i++) {
                long p0 = System.nanoTime();
                try (Connection c = Connection.open(socket)) {
                    c.call(Operation.IS_VALID_PATH, new Request.IsValidPath(probePath));
                }
                probes[i] = (System.nanoTime() - p0) / 1e6;
            }
            Arrays.sort(probes);
            return String.format(Locale.ROOT,
                    "connections=%d open-secs=%.4f pss-before-kib=%d pss-kib=%d processes=%d threads=%d probe-ms=%.3f",
                    n, openSecs, before, during, processes, threads, probes[PROBES / 2]);
        } finally {
            for (Connection c : open) {
                c.close();
            }
            daemon.awaitReaped();
        }
    }

    private long treePssKib() {
        long sum = 0;
        for (long pid : daemon.tree()) {
            sum += DaemonProcess.pssKib(pid);
        }
        return sum;
    }
}
