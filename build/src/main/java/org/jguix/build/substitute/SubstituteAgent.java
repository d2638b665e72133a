package org.jguix.build.substitute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A {@code guix substitute --substitute} agent, as a build's substitution goals use it
 * ({@code build.cc:SubstitutionGoal::tryToRun}, {@code handleChildOutput}, {@code finished}; spec
 * daemon-cli-and-environment.md §8.2). One request at a time:
 *
 * <pre>
 *   daemon → agent (stdin)   substitute STOREPATH DESTPATH\n
 *   agent → daemon (fd 4)    one status line: success ALGO:HASH NARSIZE | hash-mismatch … | anything else
 * </pre>
 *
 * The agent's messages (download progress) are passed on as they come, unchanged. The agent unpacks,
 * resets timestamps and deduplicates; the caller locks the path before and registers it after. Not
 * thread-safe: lent to one goal at a time.
 */
public final class SubstituteAgent implements AutoCloseable {
    /** Where the agent's messages go ({@code writeToStderr}, if the build verbosity allows). */
    public interface Progress {
        void output(byte[] bytes);

        /** {@code printMsg(lvlError, text)}. */
        void error(String text);
    }

    /** How often a waiting substitution looks whether it was cancelled. */
    private static final long POLL_MS = 250;

    private final AgentProcess process;
    private final AgentChannel channel;
    private boolean broken;

    private SubstituteAgent(AgentProcess process) {
        this.process = process;
        this.channel = new AgentChannel(process);
    }

    /**
     * Starts {@code PROGRAM substitute --substitute}.
     *
     * @param environment the variables to add ({@code _NIX_OPTIONS} with {@code deduplicate=…})
     */
    public static SubstituteAgent start(String program, Map<String, String> environment) throws IOException {
        return new SubstituteAgent(AgentProcess.start(program, List.of("substitute", "--substitute"), environment));
    }

    /**
     * {@code build-max-silent-time} and {@code build-timeout} for a substitution (zero: none), which
     * guix-daemon applies to substituters as to builders ({@code Worker::waitForInput}).
     */
    public record Limits(Duration maxSilence, Duration timeout) {
        public static final Limits NONE = new Limits(Duration.ZERO, Duration.ZERO);
    }

    /** The agent was silent, or busy, too long; it has been killed. */
    public static final class TimedOut extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean silence;
        private final long seconds;

        TimedOut(boolean silence, long seconds) {
            super((silence ? "silent for " : "running for ") + seconds + " seconds");
            this.silence = silence;
            this.seconds = seconds;
        }

        /** Whether it was {@code build-max-silent-time} (else {@code build-timeout}). */
        public boolean silence() {
            return silence;
        }

        public long seconds() {
            return seconds;
        }
    }

    /**
     * Asks for {@code path} to be unpacked at {@code dest}; returns the status line, or "" if the
     * agent ended without one (then it is {@link #broken}). No limits, not cancellable.
     */
    public String substitute(String path, String dest, Progress progress) throws IOException {
        try {
            return substitute(path, dest, progress, () -> false, Limits.NONE);
        } catch (InterruptedException | TimedOut e) {
            throw new IllegalStateException("neither cancellable nor limited", e);
        }
    }

    /**
     * As {@link #substitute(String, String, Progress)}, within {@code limits} (any output resets the
     * silence), giving up when {@code cancelled} says so (the client hung up, or another goal failed
     * without keep-going). Either way the agent is killed, as guix-daemon's worker kills it.
     */
    public String substitute(String path, String dest, Progress progress, BooleanSupplier cancelled, Limits limits)
            throws IOException, InterruptedException, TimedOut {
        try {
            process.toAgent().write(("substitute " + path + " " + dest + "\n").getBytes(StandardCharsets.UTF_8));
            process.toAgent().flush();
        } catch (IOException e) {
            // dead already: its end-of-file ends the wait below with an empty status
        }
        long started = System.nanoTime();
        long lastOutput = started;
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        while (true) {
            AgentChannel.Event e = channel.poll(POLL_MS);
            long now = System.nanoTime();
            if (e != null) {
                lastOutput = now;
            }
            if (cancelled.getAsBoolean()) {
                kill();
                throw new InterruptedException("substitution of `" + path + "' cancelled");
            }
            checkLimits(limits, now - lastOutput, now - started);
            if (e == null) {
                continue;
            }
            if (e.eof()) {
                broken = true;
                return "";
            }
            if (e.source() == AgentChannel.Source.MESSAGES) {
                progress.output(e.bytes());
                continue;
            }
            byte[] b = e.bytes();
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '\n') {
                    String line = status.toString(StandardCharsets.UTF_8);
                    if (i + 1 < b.length) {
                        // handleChildOutput: more lines in the same read are not expected
                        progress.error("unexpected substituter message '"
                                + new String(b, i + 1, b.length - i - 1, StandardCharsets.UTF_8) + "'");
                    }
                    return line;
                }
                status.write(b[i]);
            }
        }
    }

    private void checkLimits(Limits limits, long silentNanos, long runningNanos) throws TimedOut {
        long maxSilence = limits.maxSilence().toNanos();
        long timeout = limits.timeout().toNanos();
        if (maxSilence > 0 && silentNanos >= maxSilence) {
            kill();
            throw new TimedOut(true, limits.maxSilence().toSeconds());
        }
        if (timeout > 0 && runningNanos >= timeout) {
            kill();
            throw new TimedOut(false, limits.timeout().toSeconds());
        }
    }

    private void kill() {
        broken = true;
        process.close();
    }

    /** Whether the agent died: it must not be lent again. */
    public boolean broken() {
        return broken || !process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }
}
