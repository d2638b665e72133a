package org.jguix.build.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.NetworkAccess;
import org.jguix.build.spec.PlainSpec;

/**
 * Runs one {@link BuildSpec} with the {@code jguix-sandbox} helper and streams its log.
 *
 * <p>Why a C helper and not bubblewrap: guix-daemon's builders run as a real build user
 * without a user namespace (mode R), keep {@code no_new_privs} off and the capability
 * bounding set intact, see bind-mounted device nodes in a plain {@code /dev} directory,
 * get {@code oom_score_adj} 1000, a fixed personality and a {@code 0555} root that is the
 * on-disk chroot directory, and have locked mounts in a nested user namespace (modes
 * N/U). bwrap cannot switch to another uid without a user namespace and always sets
 * {@code no_new_privs}, clears the bounding set, mounts {@code nosuid,nodev} and builds
 * {@code /dev} on a tmpfs (build-environment.md §19.3), so the builder would see a
 * different world. The helper (~550 lines, {@code build/src/main/c/}) replays
 * {@code spawn.cc}'s phases one by one with the same error texts; all policy stays here.
 *
 * <p>Protocol ({@code jguix-sandbox -}), three pipes and no files: the spec
 * ({@link HelperSpecWriter}) goes to the helper's stdin; its stdout, which is also the
 * builder's stdout and stderr, is guix-daemon's log pipe, whose first line is the set-up
 * result (empty: started; else the error), then the log, which is copied to {@code log} as it
 * comes; its stderr is the control channel: {@code pid N} (the builder) before the set-up
 * line, {@code slirp N} if it started slirp4netns, and {@code exit N} or {@code signal N} last.
 * Killing: SIGTERM to the helper makes it SIGKILL the builder, PID 1 of its own PID namespace,
 * so the whole tree dies; SIGKILL to the helper does the same through the builder's
 * parent-death signal.
 *
 * <p>Fixed-output builds with {@link org.jguix.build.spec.NetworkAccess.Slirp}: the helper
 * also starts slirp4netns for the builder's tap device and kills it when the builder
 * ends; its pid goes to {@link Listener#networkStarted}.
 *
 * <p>Without a launcher (production) the monitors are forked by one long-running
 * {@code jguix-sandbox --server} ({@link SandboxServer}), which spares the JVM a process start per
 * build; the same pipes then come through {@code /proc}. {@code launcher} is prepended to the
 * helper's command line (tests use it to run the helper inside the compat harness's root, out of
 * the server's reach), and then each build starts {@code jguix-sandbox -} itself, as it also does
 * if the server fails. {@code killUser} goes through another long-running helper
 * ({@link UserKiller}); {@link #close} ends both.
 */
public final class SandboxRunner implements AutoCloseable {
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(250);
    private final Path helper;
    private final List<String> launcher;
    private final LongSupplier nanoClock;
    private final UserKiller killer;
    /** Forks the monitors, without a launcher (whose process tree the JVM could not reach into). */
    private final SandboxServer server;

    /**
     * @param workDir unused since the helper takes its spec on a pipe (it held the spec, pid and status
     *                files); kept so that callers need not change
     */
    public SandboxRunner(Path helper, List<String> launcher, Path workDir) {
        this(helper, launcher, workDir, System::nanoTime);
    }

    SandboxRunner(Path helper, List<String> launcher, Path workDir, LongSupplier nanoClock) {
        this.helper = helper;
        this.launcher = List.copyOf(launcher);
        this.nanoClock = nanoClock;
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(helper.toString());
        this.killer = new UserKiller(cmd);
        this.server = launcher.isEmpty() ? new SandboxServer(cmd) : null;
    }

    /** Runs the builder to its end (or a limit); the chroot must have been prepared. */
    public SandboxResult run(BuildSpec spec, BuildLimits limits, OutputStream log)
            throws IOException, InterruptedException {
        return run(spec, limits, Listener.of(pid -> { }), log, () -> false);
    }

    /** What the caller learns while the builder runs (not a lambda: both methods matter). */
    public interface Listener {
        /**
         * The builder passed its set-up; called before any of its output reaches the log
         * (guix-daemon's {@code @ build-started} trace goes out at that point).
         */
        void started(int pid);

        /**
         * slirp4netns was started for a fixed-output build (called once, after the set-up
         * line, whether the set-up succeeded or not); it is dead when {@code run} returns.
         */
        void networkStarted(int pid);

        /** A listener for {@code started} only. */
        static Listener of(IntConsumer started) {
            return new Listener() {
                @Override
                public void started(int pid) {
                    started.accept(pid);
                }

                @Override
                public void networkStarted(int pid) {
                }
            };
        }
    }

    /**
     * Like {@link #run(BuildSpec, BuildLimits, OutputStream)}, calling {@code started} with the
     * builder's pid once it has passed its set-up, before any of its output reaches {@code log}
     * (guix-daemon's {@code @ build-started} trace goes out at that point). When {@code stop}
     * becomes true (polled several times a second) the builder's whole tree is killed and the
     * result is {@link SandboxResult.Stopped}.
     */
    public SandboxResult run(BuildSpec spec, BuildLimits limits, IntConsumer started, OutputStream log,
            BooleanSupplier stop) throws IOException, InterruptedException {
        return run(spec, limits, Listener.of(started), log, stop);
    }

    /** {@link #run(BuildSpec, BuildLimits, IntConsumer, OutputStream, BooleanSupplier)} with a {@link Listener}. */
    public SandboxResult run(BuildSpec spec, BuildLimits limits, Listener listener, OutputStream log,
            BooleanSupplier stop) throws IOException, InterruptedException {
        return start(HelperSpecWriter.write(spec), spec.network() instanceof NetworkAccess.Slirp, limits, listener,
                log, stop);
    }

    /** Runs a builder without namespaces or chroot (modes D and B); the build directory must exist. */
    public SandboxResult run(PlainSpec spec, BuildLimits limits, Listener listener, OutputStream log,
            BooleanSupplier stop) throws IOException, InterruptedException {
        return start(HelperSpecWriter.write(spec), false, limits, listener, log, stop);
    }

    /** @param slirp whether the spec has the helper start slirp4netns */
    private SandboxResult start(byte[] spec, boolean slirp, BuildLimits limits, Listener started, OutputStream log,
            BooleanSupplier stop) throws IOException, InterruptedException {
        Monitor p = null;
        if (server != null) {
            try {
                p = server.start(spec);
            } catch (SandboxServer.Unavailable e) {
                // A server that cannot start or fork: this build starts its own helper. (Any other
                // failure may leave the server's monitor running this build: that one is the caller's.)
            }
        }
        if (p == null) {
            List<String> cmd = new ArrayList<>(launcher);
            cmd.add(helper.toString());
            cmd.add("-");
            p = Monitor.start(cmd, spec);
        }
        try {
            return supervise(p, slirp, limits, started, log, new ControlLines(p.control()), stop);
        } finally {
            if (p.isAlive()) {
                p.kill();
                p.waitFor();
            }
            p.close();
        }
    }

    private SandboxResult supervise(Monitor p, boolean slirp, BuildLimits limits, Listener started, OutputStream log,
            ControlLines control, BooleanSupplier stop) throws IOException, InterruptedException {
        InputStream in = p.log();
        String setup = readSetupLine(in);
        if (setup == null || !setup.isEmpty()) {
            p.waitFor();
            control.readToEnd().slirp().ifPresent(started::networkStarted);
            return new SandboxResult.SetupFailed(setup == null
                    ? "while setting up the child process: unexpected end-of-file" : setup);
        }
        // The monitor writes the builder's pid (and slirp4netns's, which the builder waits for) before
        // it lets the builder print its set-up line.
        int builder = control.builderPid();
        if (slirp) {
            started.networkStarted(control.slirpPid());
        }
        started.started(builder);
        long start = nanoClock.getAsLong();
        AtomicLong lastOutput = new AtomicLong(start);
        IOException[] pumpError = new IOException[1];
        Thread pump = Thread.ofPlatform().daemon().name("sandbox-log").start(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    lastOutput.set(nanoClock.getAsLong());
                    log.write(buf, 0, n);
                    log.flush();
                }
            } catch (IOException e) {
                pumpError[0] = e;
            }
        });
        long timeout = limits.timeout().toNanos();
        long silence = limits.maxSilentTime().toNanos();
        while (true) {
            long now = nanoClock.getAsLong();
            if (stop.getAsBoolean()) {
                kill(p, pump);
                return new SandboxResult.Stopped();
            }
            if (timeout > 0 && now - start >= timeout) {
                kill(p, pump);
                return new SandboxResult.TimedOut(SandboxResult.TimedOut.Kind.WALL_CLOCK, limits.timeout());
            }
            if (silence > 0 && now - lastOutput.get() >= silence) {
                kill(p, pump);
                return new SandboxResult.TimedOut(SandboxResult.TimedOut.Kind.SILENCE, limits.maxSilentTime());
            }
            long wait = Long.MAX_VALUE;
            if (timeout > 0) {
                wait = Math.min(wait, start + timeout - now);
            }
            if (silence > 0) {
                wait = Math.min(wait, lastOutput.get() + silence - now);
            }
            pump.join(Duration.ofNanos(Math.max(1_000_000, Math.min(wait, POLL.toNanos()))));
            if (!pump.isAlive()) {
                break;
            }
        }
        p.waitFor();
        if (pumpError[0] != null) {
            throw pumpError[0];
        }
        int exit = p.waitFor();
        ControlLines.Rest rest = control.readToEnd();
        rest.slirp().ifPresent(started::networkStarted);
        return rest.status(exit);
    }

    /** SIGTERM (the helper kills the builder's PID namespace), then SIGKILL after a grace period. */
    private static void kill(Monitor p, Thread pump) throws IOException, InterruptedException {
        p.terminate();
        if (!p.waitFor(KILL_GRACE.toMillis())) {
            p.kill();
            p.waitFor();
        }
        pump.join(KILL_GRACE);
    }

    /**
     * {@code killUser}: kills every process of {@code uid} (host-wide, by uid number, like
     * guix-daemon), through the helper since the JVM cannot {@code setuid}.
     */
    public void killUser(int uid) throws IOException, InterruptedException {
        killer.kill(uid);
    }

    /** Ends the helpers kept running for {@link #killUser} and for the builds (stopping those). */
    @Override
    public void close() {
        killer.close();
        if (server != null) {
            server.close();
        }
    }

    /** The set-up line without its newline, or null on EOF before a newline. */
    private static String readSetupLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
