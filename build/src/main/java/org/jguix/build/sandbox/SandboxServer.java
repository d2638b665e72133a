package org.jguix.build.sandbox;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-running {@code jguix-sandbox --server} that forks the monitor of each build (protocol in
 * {@code build/src/main/c/jguix-sandbox-server.c}). Starting a process per build from the JVM costs
 * two {@code exec} (the JDK's {@code jspawnhelper}, then the helper) and the JDK's process
 * bookkeeping, about 5 ms of CPU per build, a tenth of a trivial build's; a fork of the small
 * server costs a fraction of that. The monitor does exactly what {@code jguix-sandbox -} does.
 *
 * <p>The build's log and control pipes are created by the server; the daemon opens their read ends
 * through {@code /proc/SERVER/fd/N} (same user, so allowed), then tells the server to close its
 * copies. Started on first use and again if it died or its replies could not be read; it ends at
 * end-of-file on its stdin (at {@link #close}, or when the JVM exits), stopping every build it still
 * runs.
 */
final class SandboxServer implements AutoCloseable {
    /** How long a fork may take before the server is deemed stuck. */
    private static final long START_TIMEOUT_MS = 30_000;
    private final List<String> command;
    private final Map<Integer, Run> runs = new ConcurrentHashMap<>();
    private Process server;
    private DataOutputStream requests;
    private int nextId;

    /** @param command the helper's command line up to {@code --server} */
    SandboxServer(List<String> command) {
        List<String> c = new ArrayList<>(command);
        c.add("--server");
        this.command = List.copyOf(c);
    }

    /**
     * Starts a monitor for {@code spec}. A {@link Unavailable} if the server could not take the
     * request or fork (nothing of the build runs: the caller may start a helper of its own); any other
     * {@link IOException}, or an interruption, once the request was handed over: the server may still
     * fork it, so the run is abandoned (killed and its pipes closed as soon as the server gets to
     * it) and the build must not be started again elsewhere.
     */
    Monitor start(byte[] spec) throws IOException, InterruptedException {
        Run run;
        synchronized (this) {
            if (server == null || !server.isAlive()) {
                launch();
            }
            run = new Run(++nextId, server.pid());
            runs.put(run.id, run);
            try {
                requests.writeByte('R');
                requests.writeInt(run.id);
                requests.writeInt(spec.length);
                requests.write(spec);
                requests.flush();
            } catch (IOException e) {
                runs.remove(run.id);
                stop();
                throw new Unavailable("sandbox server: " + e.getMessage(), e);
            }
        }
        int[] fds;
        try {
            fds = run.started.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // "failed" (the fork did not happen) or the server ended: nothing runs
            runs.remove(run.id);
            throw new Unavailable(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            abandon(run);
            throw new IOException("sandbox server: no answer for " + START_TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            abandon(run);
            throw e;
        }
        try {
            run.log = new FileInputStream("/proc/" + run.serverPid + "/fd/" + fds[0]);
            run.control = new FileInputStream("/proc/" + run.serverPid + "/fd/" + fds[1]);
        } catch (IOException e) {
            abandon(run);
            run.closeQuietly();
            throw new IOException("sandbox server: opening the build's pipes: " + e.getMessage(), e);
        }
        try {
            run.send('C');
        } catch (IOException e) {
            // the server is gone: it took its copies of the pipes with it, and its reader fails the run
        }
        return run;
    }

    /**
     * Gives up on {@code run}: the server kills its monitor (and so the builder) and closes its copies
     * of the pipes when it reads these requests, which follow the run's own; the run stays known
     * until its exit line, so that its late "started" is not mistaken for anything.
     */
    private void abandon(Run run) {
        try {
            run.send('K');
            run.send('C');
        } catch (IOException e) {
            // the server is gone, and its monitors with it (parent-death signal)
        }
    }

    /** The server could not take a request: nothing of that build runs. */
    static final class Unavailable extends IOException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void launch() throws IOException {
        stop();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        server = p;
        requests = new DataOutputStream(p.getOutputStream());
        BufferedReader replies = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.ISO_8859_1));
        Thread.ofPlatform().daemon().name("sandbox-server").start(() -> read(p, replies));
    }

    /** The reply lines of one server process, until it ends. */
    private void read(Process p, BufferedReader replies) {
        try {
            for (String line; (line = replies.readLine()) != null; ) {
                String[] w = line.split(" ", 3);
                Run r = w.length >= 2 ? runs.get(parseId(w[1])) : null;
                if (r == null || r.serverPid != p.pid()) {
                    continue;
                }
                switch (w[0]) {
                    case "started" -> {
                        String[] f = line.split(" ");
                        r.started.complete(new int[] {Integer.parseInt(f[3]), Integer.parseInt(f[4])});
                    }
                    case "failed" -> r.started.completeExceptionally(
                            new IOException("sandbox server: " + (w.length > 2 ? w[2] : "failed")));
                    case "exit" -> {
                        runs.remove(r.id);
                        r.exit.complete(Integer.parseInt(w[2]));
                    }
                    default -> {
                        // not ours: ignore
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the server is gone, or says what this reader cannot follow: below
        }
        synchronized (this) {
            if (server == p) {
                stop(); // a server whose replies nobody reads would time every build out: the next gets a new one
            }
        }
        for (Run r : runs.values()) {
            if (r.serverPid == p.pid()) {
                runs.remove(r.id);
                r.started.completeExceptionally(new IOException("sandbox server ended"));
                r.exit.complete(-1); // its monitors got SIGTERM (parent-death signal)
            }
        }
    }

    private static int parseId(String s) {
        try {
            return Integer.parseUnsignedInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private synchronized void send(int kind, int id) throws IOException {
        if (server == null) {
            return;
        }
        requests.writeByte(kind);
        requests.writeInt(id);
        requests.flush();
    }

    private synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            requests.close();
        } catch (IOException e) {
            // it is being replaced anyway
        }
        server = null;
    }

    /** Ends the server (end-of-file on its stdin): the builds it still runs are stopped. */
    @Override
    public void close() {
        stop();
    }

    /** A build's monitor, a child of the server. */
    private final class Run implements Monitor {
        final int id;
        final long serverPid;
        final CompletableFuture<int[]> started = new CompletableFuture<>();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        InputStream log;
        InputStream control;

        Run(int id, long serverPid) {
            this.id = id;
            this.serverPid = serverPid;
        }

        /** A request about this build (the server ignores ids it no longer knows). */
        void send(int kind) throws IOException {
            SandboxServer.this.send(kind, id);
        }

        @Override
        public InputStream log() {
            return log;
        }

        @Override
        public InputStream control() {
            return control;
        }

        @Override
        public void terminate() throws IOException {
            send('T');
        }

        @Override
        public void kill() throws IOException {
            send('K');
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return exit.get();
            } catch (ExecutionException e) {
                return -1;
            }
        }

        @Override
        public boolean waitFor(long millis) throws InterruptedException {
            try {
                exit.get(millis, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                return true;
            }
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public void close() throws IOException {
            try {
                if (control != null) {
                    control.close();
                }
            } finally {
                if (log != null) {
                    log.close();
                }
            }
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException e) {
                // pipes of an abandoned run
            }
        }
    }
}
