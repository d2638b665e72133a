package org.jguix.bench.daemon;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load client of {@code bench/daemon.sh}. Starts a daemon (the command after {@code --}),
 * times its start-up to the first answer, runs the workloads of {@link Workloads} against it
 * while measuring its CPU time and memory, optionally times the real Guix client on one
 * workload, restarts it a few times on the now populated store, and prints one {@code RESULT}
 * line per measurement for the script:
 *
 * <pre>
 *   java -cp … org.jguix.bench.daemon.DaemonLoad [--key value]… -- DAEMON-COMMAND…
 *   keys: socket store log adds queries clients per-client idle restarts warmup repl-script phases
 * </pre>
 *
 * Run inside the sid root by the script; every daemon gets a fresh store and the same client.
 */
public final class DaemonLoad {
    private static final String ALL_PHASES = "floor,add-text,valid-path,mixed,idle";
    private final Map<String, String> opts;
    private final Workloads work;
    private final DaemonProcess daemon;

    private DaemonLoad(Map<String, String> opts, List<String> command) {
        this.opts = opts;
        Path socket = Path.of(opt("socket", "/var/guix/daemon-socket/socket"));
        this.work = new Workloads(socket, opt("store", "/gnu/store"));
        this.daemon = new DaemonProcess(command, socket, new File(opt("log", "daemon.log")));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: DaemonLoad [--key value]... -- DAEMON-COMMAND...");
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        List<String> command = Arrays.asList(args).subList(Math.min(i + 1, args.length), args.length);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no daemon command after --");
        }
        new DaemonLoad(opts, command).run();
    }

    private void run() throws Exception {
        String probe = work.missing(-1);
        Set<String> phases = new HashSet<>(Arrays.asList(opt("phases", ALL_PHASES).split(",")));
        try (NullResponder nul = new NullResponder(Path.of(System.getProperty("java.io.tmpdir")))) {
            nul.prime(probe, 200);
            if (phases.contains("floor")) {
                List<String> fake = new ArrayList<>();
                for (int k = 0; k < 2000; k++) {
                    fake.add(work.fakePath(k, "-bench-floor"));
                }
                Workloads floor = work.at(nul.socket());
                floor.validPath(num("queries", 20_000), fake); // the client's code compiled
                Workloads.Outcome o = floor.validPath(num("queries", 20_000), fake);
                result("floor", "secs=" + fmt(o.seconds()) + " " + o.note());
            }
        }
        result("start", "secs=" + fmt(daemon.start(probe, 120)));
        try {
            int warmup = num("warmup", 0);
            if (warmup > 0) {
                // The same mix at a tenth of the size, so that a JIT-compiled daemon is measured warm.
                List<String> w = new ArrayList<>();
                work.addText("warmup", warmup, w);
                work.validPath(warmup * 10, w);
                work.mixed(num("clients", 16), warmup / 10, w);
            }
            List<String> paths = new ArrayList<>();
            phase("add-text", () -> work.addText("text", num("adds", 2000), paths));
            if (phases.contains("valid-path")) {
                phase("valid-path", () -> work.validPath(num("queries", 20_000), paths));
            }
            if (phases.contains("mixed")) {
                MemorySampler mem = new MemorySampler(daemon);
                try {
                    phase("mixed", () -> work.mixed(num("clients", 16), num("per-client", 500), paths));
                } finally {
                    mem.close();
                }
                result("memory", "pid-hwm-kib=" + DaemonProcess.statusKib(daemon.pid(), "VmHWM")
                        + " pid-pss-kib=" + DaemonProcess.pssKib(daemon.pid()) + " " + mem.summary());
            }
            if (phases.contains("idle") && num("idle", 2000) > 0) {
                result("idle", new IdleConnections(daemon, work.socket(), probe).measure(num("idle", 2000)));
            }
            if (opts.containsKey("repl-script")) {
                phase("guix-repl", this::guixRepl);
            }
        } finally {
            daemon.stop();
        }
        if (num("restarts", 3) > 0) {
            StringBuilder restarts = new StringBuilder();
            for (int r = 0; r < num("restarts", 3); r++) {
                restarts.append(r == 0 ? "" : ",").append(fmt(daemon.start(probe, 120)));
                daemon.stop();
            }
            result("restart", "secs=" + restarts);
        }
    }

    private interface Phase {
        Workloads.Outcome run() throws Exception;
    }

    /** Runs one phase and prints its wall time, answers digest and the CPU the daemon and client used. */
    private void phase(String name, Phase p) throws Exception {
        // Connection workers of earlier phases reaped first, this phase's after: see cpuSeconds.
        daemon.awaitReaped();
        double cpu0 = daemon.cpuSeconds();
        double self0 = selfCpu();
        Workloads.Outcome o = p.run();
        daemon.awaitReaped();
        double cpu = daemon.cpuSeconds() - cpu0;
        double self = selfCpu() - self0;
        result(name, "secs=" + fmt(o.seconds()) + " daemon-cpu=" + fmt(cpu) + " client-cpu=" + fmt(self)
                + " digest=" + o.digest() + " " + o.note());
    }

    /**
     * The real Guix client ({@code guix repl -q SCRIPT}) against the same daemon; the script
     * times itself (Guile start-up excluded) and prints {@code secs=… digest=… note}.
     */
    private Workloads.Outcome guixRepl() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("guix", "repl", "-q", opts.get("repl-script")).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            r.lines().forEach(out::add);
        }
        int rc = p.waitFor();
        String line = out.stream().filter(l -> l.startsWith("secs=")).findFirst().orElse(null);
        if (rc != 0 || line == null) {
            throw new IOException("guix repl failed (exit " + rc + "): " + String.join(" | ", out));
        }
        String[] f = line.split(" ", 3);
        return new Workloads.Outcome(Double.parseDouble(f[0].substring(5)), f[1].substring(7), f.length > 2 ? f[2] : "");
    }

    /** This JVM's CPU seconds plus those of its reaped children (the {@code guix repl} process). */
    private static double selfCpu() {
        return DaemonProcess.cpuSeconds(ProcessHandle.current().pid(), true);
    }

    private String opt(String key, String dflt) {
        return opts.getOrDefault(key, dflt);
    }

    private int num(String key, int dflt) {
        return Integer.parseInt(opt(key, Integer.toString(dflt)));
    }

    private static void result(String name, String fields) {
        System.out.println("RESULT " + name + " " + fields);
        System.out.flush();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
