package org.jguix.build.substitute;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jguix.build.sandbox.SandboxHelper;
import org.jguix.store.StoreException;

/**
 * A helper program started the way guix-daemon starts its agents ({@code util.cc:Agent::Agent}):
 * requests on its stdin, free-form messages on its stdout and stderr (one pipe, "fromAgent"), and
 * structured replies on its file descriptor 4 ("builderOut"); own session, working directory
 * {@code /}; the daemon's environment plus {@code extraEnv}; argv[0] the program's full path.
 *
 * <p>The JDK gives a child three pipes only, and two threads pumping two pipes cannot tell which of
 * two writes came first, which decides what a client sees first. So the agent runs under
 * {@code jguix-sandbox --agent} (src/main/c/jguix-sandbox-agent.c), which polls both pipes like
 * guix-daemon's select loop and sends them, tagged, on its stdout: see {@link AgentChannel}. The
 * agent is killed when the helper dies.
 */
final class AgentProcess implements AutoCloseable {
    private final Process process;

    private AgentProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code program args…}.
     *
     * @throws StoreException if the helper cannot be started at all (a missing {@code program} is
     *                        reported by the agent's first reply, as with guix-daemon)
     */
    static AgentProcess start(String program, List<String> args, Map<String, String> extraEnv) throws IOException {
        Path helper = SandboxHelper.locate();
        List<String> command = new ArrayList<>(List.of(helper.toString(), "--agent", program));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/"))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(extraEnv);
        try {
            return new AgentProcess(pb.start());
        } catch (IOException e) {
            throw new StoreException("executing `" + program + "': " + e.getMessage(), e);
        }
    }

    /** {@code toAgent}: the agent's stdin. */
    OutputStream toAgent() {
        return process.getOutputStream();
    }

    /** The helper's tagged frames of the agent's messages and replies. */
    InputStream frames() {
        return process.getInputStream();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code Agent::~Agent}: stdin closed, then the helper (and with it the agent) killed and reaped. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // it is being killed anyway
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
