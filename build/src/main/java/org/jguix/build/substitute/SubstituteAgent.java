package org.jguix.build.substitute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
     * Asks for {@code path} to be unpacked at {@code dest}; returns the status line, or "" if the
     * agent ended without one (then it is {@link #broken}).
     */
    public String substitute(String path, String dest, Progress progress) throws IOException {
        try {
            return substitute(path, dest, progress, () -> false);
        } catch (InterruptedException e) {
            throw new IllegalStateException("not cancellable", e);
        }
    }

    /**
     * As {@link #substitute(String, String, Progress)}, giving up when {@code cancelled} says so (the
     * client hung up, or another goal failed without keep-going): the agent is then killed, as
     * guix-daemon's worker dies with its agents.
     */
    public String substitute(String path, String dest, Progress progress, java.util.function.BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        try {
            process.toAgent().write(("substitute " + path + " " + dest + "\n").getBytes(StandardCharsets.UTF_8));
            process.toAgent().flush();
        } catch (IOException e) {
            // dead already: its end-of-file ends the wait below with an empty status
        }
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        while (true) {
            AgentChannel.Event e = channel.poll(POLL_MS);
            if (e == null) {
                if (cancelled.getAsBoolean()) {
                    broken = true;
                    process.close();
                    throw new InterruptedException("substitution of `" + path + "' cancelled");
                }
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

    /** Whether the agent died: it must not be lent again. */
    public boolean broken() {
        return broken || !process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }
}
