package org.jguix.build.substitute;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jguix.store.StoreException;

/**
 * A helper program started the way guix-daemon starts its agents ({@code util.cc:Agent::Agent}):
 * requests on its stdin, free-form messages on its stdout and stderr (one pipe, "fromAgent"), and
 * structured replies on its file descriptor 4 ("builderOut"); working directory {@code /}; the
 * daemon's environment plus {@code extraEnv}; argv[0] the program's full path.
 *
 * <p>The JDK gives a child only three pipes, so the program is started through {@code /bin/sh}, which
 * moves them into place before {@code exec}: the JDK's stdout pipe becomes fd 4, its stderr pipe fd 1
 * and 2. Not done: {@code setsid} (the JDK cannot); {@link #close} kills the descendants one by one
 * instead of the process group.
 */
final class AgentProcess implements AutoCloseable {
    /** {@code exec "$0" "$@"} with fd 4 = the reply pipe, fds 1 and 2 = the message pipe. */
    private static final String REDIRECT = "exec \"$0\" \"$@\" 4>&1 1>&2";

    private final Process process;

    private AgentProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code program args…}.
     *
     * @throws StoreException if it cannot be started at all
     */
    static AgentProcess start(String program, List<String> args, Map<String, String> extraEnv) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", REDIRECT, program));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/"));
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

    /** {@code fromAgent}: what the agent writes on its stdout and stderr. */
    InputStream messages() {
        return process.getErrorStream();
    }

    /** {@code builderOut}: what the agent writes on its fd 4. */
    InputStream replies() {
        return process.getInputStream();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** {@code Agent::~Agent}: stdin closed, then the agent and its descendants killed and reaped. */
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
