package org.jguix.build.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * guix-daemon's {@code killUser} for the build user of each build, through one long-running
 * {@code jguix-sandbox --kill-server}: a request is a line with the uid, the answer {@code ok} or
 * {@code error MESSAGE}. The JVM cannot {@code setuid}, so a process must do the kill; starting one
 * per build cost two {@code exec} (the JDK's {@code jspawnhelper}, then the helper) and about 5 ms of
 * CPU, a tenth of a trivial build's. The server forks one child per request, as the one-shot helper
 * did, so what is killed and when is unchanged.
 *
 * <p>Started on first use; a server that died (or answers nonsense) is replaced once per request. It
 * ends at end-of-file on its stdin, i.e. at {@link #close} or when the JVM exits.
 */
final class UserKiller implements AutoCloseable {
    private final List<String> command;
    private Process server;
    private OutputStream requests;
    private BufferedReader answers;

    /** @param command the helper's command line up to {@code --kill-server} (launcher, helper) */
    UserKiller(List<String> command) {
        List<String> c = new ArrayList<>(command);
        c.add("--kill-server");
        this.command = List.copyOf(c);
    }

    /** Kills every process of {@code uid}; an {@link IOException} carries the helper's reason. */
    synchronized void kill(int uid) throws IOException {
        String answer;
        try {
            answer = ask(uid);
        } catch (IOException e) {
            stop();
            answer = ask(uid); // a server that died since the last build: one fresh start
        }
        if (answer.equals("ok")) {
            return;
        }
        if (answer.startsWith("error ")) {
            throw new IOException(answer.substring("error ".length()));
        }
        stop();
        throw new IOException("killing the processes of uid " + uid + " failed: unexpected answer `" + answer + "'");
    }

    private String ask(int uid) throws IOException {
        if (server == null || !server.isAlive()) {
            start();
        }
        requests.write((uid + "\n").getBytes(StandardCharsets.US_ASCII));
        requests.flush();
        String answer = answers.readLine();
        if (answer == null) {
            throw new IOException("killing the processes of uid " + uid + " failed: the helper ended");
        }
        return answer;
    }

    private void start() throws IOException {
        stop();
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        requests = server.getOutputStream();
        answers = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private void stop() {
        if (server == null) {
            return;
        }
        try {
            requests.close();
        } catch (IOException e) {
            // it is being replaced anyway
        }
        server.destroyForcibly();
        server = null;
    }

    /** The running server's pid, or -1 (for tests: it is started once and replaced when dead). */
    synchronized long serverPid() {
        return server != null && server.isAlive() ? server.pid() : -1;
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
