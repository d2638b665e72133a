package org.jguix.store.transfer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jguix.store.StoreException;
import org.jguix.store.transfer.internal.TransferErrors;

/**
 * The {@code guix authenticate} helper, driven as guix-daemon drives it
 * ({@code local-store.cc:authenticationAgent}, {@code signHash}, {@code verifySignature},
 * {@code readAuthenticateReply}; {@code guix/scripts/authenticate.scm}; spec
 * daemon-cli-and-environment.md §8.4).
 *
 * <p>Protocol, ISO-8859-1 bytes, one request at a time:
 * <pre>
 *   daemon → agent   sign LEN:KEYFILE LEN:HEXHASH\n      verify LEN:SIGNATURE\n
 *   agent → daemon   CODE SP LEN ':' LEN bytes            (no newline; CODE 0 = success)
 * </pre>
 * LEN counts bytes. A reply is read as the daemon's {@code readInteger} does: digits up to the first
 * non-digit, which is consumed. A non-zero CODE makes the payload the error text, passed on verbatim.
 *
 * <p>Lifecycle: started lazily on the first request (so sessions that never sign or import never
 * start Guile), reused for the rest of the session, ended by {@link #close()}: stdin closed (the agent
 * exits on EOF) and the process and its descendants killed, like {@code Agent::~Agent}. guix-daemon
 * keeps one agent per connection process; the session should own one instance likewise — the agent
 * reads the ACL once, at start, so a per-session agent sees ACL changes between connections exactly
 * as the daemon's clients do. Thread-safe (requests are serialised).
 *
 * <p>Differences from {@code Agent::Agent}, not visible on the protocol: the agent's stderr goes to
 * the daemon's stderr instead of into the reply pipe (a Guile warning there would make the daemon
 * misread the next reply); no {@code setsid}/process group (the JDK cannot), so {@link #close()} kills
 * descendants individually; working directory {@code /} as there. If the agent dies, the request
 * fails and the next one starts a new agent.
 */
public final class AuthenticateAgent implements Authenticator, AutoCloseable {
    private final List<String> command;
    private final Map<String, String> environment;
    private Process process;
    private OutputStream toAgent;
    private InputStream fromAgent;
    private boolean closed;

    /** {@code $GUIX authenticate} ({@code settings.guixProgram}, see DaemonPaths), inheriting the environment. */
    public AuthenticateAgent(Path guixProgram) {
        this(List.of(guixProgram.toString(), "authenticate"), Map.of());
    }

    /**
     * @param command     the program and its arguments (tests and the sid-root IT use wrappers)
     * @param environment variables set on top of the inherited environment (e.g.
     *                    {@code GUIX_CONFIGURATION_DIRECTORY}, where the agent finds the ACL)
     */
    public AuthenticateAgent(List<String> command, Map<String, String> environment) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: empty (expected a program)");
        }
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    @Override
    public synchronized byte[] sign(Path secretKey, String hexHash) throws IOException {
        return request("sign", secretKey.toString().getBytes(StandardCharsets.UTF_8),
                hexHash.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public synchronized String verify(byte[] signature) throws IOException {
        return new String(request("verify", signature), StandardCharsets.ISO_8859_1);
    }

    /** Whether the helper process is running (it starts on the first request). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The helper's pid, for tests and diagnostics; -1 if not running. */
    public synchronized long pid() {
        return isRunning() ? process.pid() : -1;
    }

    private byte[] request(String name, byte[]... args) throws IOException {
        if (closed) {
            throw new IllegalStateException("authentication agent closed");
        }
        if (process != null && !process.isAlive()) {
            stop();
        }
        if (process == null) {
            start();
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            line.writeBytes((" " + a.length + ":").getBytes(StandardCharsets.US_ASCII));
            line.writeBytes(a);
        }
        line.write('\n');
        try {
            toAgent.write(line.toByteArray());
            toAgent.flush();
            return readReply();
        } catch (IOException e) {
            if (!(e instanceof AuthenticationException)) {
                stop(); // a broken pipe or a garbled reply: the next request gets a fresh agent
            }
            throw e;
        }
    }

    /** {@code readAuthenticateReply}. */
    private byte[] readReply() throws IOException {
        int code = readInteger();
        int len = readInteger();
        byte[] payload = fromAgent.readNBytes(len);
        if (payload.length < len) {
            throw new StoreException(TransferErrors.UNEXPECTED_EOF);
        }
        if (code != 0) {
            throw new AuthenticationException(new String(payload, StandardCharsets.ISO_8859_1), code, -1);
        }
        return payload;
    }

    /** {@code readInteger}: decimal digits, ended (and followed) by one consumed non-digit byte. */
    private int readInteger() throws IOException {
        StringBuilder digits = new StringBuilder();
        while (true) {
            int c = fromAgent.read();
            if (c < 0) {
                throw new StoreException(TransferErrors.AGENT_EOF);
            }
            if (c < '0' || c > '9') {
                if (digits.isEmpty() || digits.length() > 9) {
                    throw new StoreException(TransferErrors.agentGarbage(digits + String.valueOf((char) c)));
                }
                return Integer.parseInt(digits.toString());
            }
            digits.append((char) c);
        }
    }

    private void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(new java.io.File("/"))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(environment);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new StoreException(TransferErrors.cannotExecute(command.get(0), strerror(e)), e);
        }
        toAgent = process.getOutputStream();
        fromAgent = process.getInputStream();
    }

    /** The {@code strerror} text the JDK puts in parentheses at the end of an exec failure. */
    private static String strerror(IOException e) {
        String m = Objects.toString(e.getMessage(), "").strip();
        java.util.regex.Matcher paren = java.util.regex.Pattern.compile("\\(([^()]+)\\)$").matcher(m);
        return paren.find() ? paren.group(1) : m;
    }

    /** Closes the agent's stdin, then kills it and its descendants, and reaps it. */
    private void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        try {
            toAgent.close();
        } catch (IOException ignored) {
            // the agent is being killed anyway
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            fromAgent.close();
        } catch (IOException ignored) {
            // nothing left to read
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        stop();
    }
}
