package org.jguix.build.substitute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jguix.store.StoreException;
import org.jguix.storepath.ByteOrder;
import org.jguix.store.StoreLayout;

/**
 * One connection's {@code guix substitute --query} ({@code local-store.cc:substituter},
 * {@code querySubstitutablePaths}, {@code querySubstitutablePathInfos}, {@code getLineFromSubstituter};
 * spec daemon-cli-and-environment.md §8.2). Started on the first query, with {@code _NIX_OPTIONS} as
 * the session's settings are then, and kept for the connection.
 *
 * <pre>
 *   daemon → agent (stdin)   have P1 P2 … \n              info P1 P2 … \n
 *   agent → daemon (fd 4)    P\n … \n  (empty line ends)   { P\n DERIVER\n NREFS\n REF\n… DLSIZE\n NARSIZE\n }… \n
 * </pre>
 *
 * While a reply line is awaited, the agent's messages are passed on as they come, cut at
 * {@code \n} or {@code \r} and prefixed {@code "substitute: "} ({@link Output#raw}); an unfinished
 * one left when a reply line is complete becomes an error-level message. Messages come in the order
 * guix-daemon's select loop reads them ({@link AgentChannel}). Thread-safe: a session's
 * operations and its build goals share the agent, one query at a time.
 *
 * <p>Unlike guix-daemon, an agent that broke the protocol (died, garbage, unexpected path) is
 * discarded and the next query starts a new one; guix-daemon keeps reading the same, now
 * out-of-step, agent.
 */
public final class QueryAgent implements AutoCloseable {
    /** Where the agent's messages go: the client's stderr channel. */
    public interface Output {
        /** {@code writeToStderr}: bytes sent as they are. */
        void raw(byte[] bytes);

        /** {@code printMsg(lvlError, text)}. */
        void error(String text);
    }

    /** The variables added to the agent's environment when it starts. */
    @FunctionalInterface
    public interface Environment {
        Map<String, String> get() throws IOException;
    }

    private static final byte[] PREFIX = "substitute: ".getBytes(StandardCharsets.UTF_8);

    private final String program;
    private final Environment environment;
    private final StoreLayout layout;
    private final Output output;
    private AgentProcess process;
    private AgentChannel channel;
    private final ByteArrayOutputStream replies = new ByteArrayOutputStream();
    private final ByteArrayOutputStream messages = new ByteArrayOutputStream();
    private boolean closed;

    /**
     * @param program     {@code settings.guixProgram}, run as {@code PROGRAM substitute --query}
     * @param environment the variables to add when it starts ({@code _NIX_OPTIONS})
     */
    public QueryAgent(String program, Environment environment, StoreLayout layout, Output output) {
        this.program = Objects.requireNonNull(program);
        this.environment = Objects.requireNonNull(environment);
        this.layout = Objects.requireNonNull(layout);
        this.output = Objects.requireNonNull(output);
    }

    /** {@code querySubstitutablePaths}: the paths the agent says it can substitute (not checked). */
    public synchronized SortedSet<String> have(Collection<String> paths) throws IOException {
        TreeSet<String> res = new TreeSet<>(ByteOrder.COMPARATOR);
        if (paths.isEmpty()) {
            return res;
        }
        request("have", paths);
        try {
            for (String path = line(); !path.isEmpty(); path = line()) {
                res.add(path);
            }
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
        return res;
    }

    /** {@code querySubstitutablePathInfos}: what the agent knows about the substitutable ones. */
    public synchronized SortedMap<String, SubstituteInfo> info(Collection<String> paths) throws IOException {
        TreeMap<String, SubstituteInfo> res = new TreeMap<>(ByteOrder.COMPARATOR);
        if (paths.isEmpty()) {
            return res;
        }
        TreeSet<String> asked = sorted(paths);
        request("info", asked);
        try {
            for (String path = line(); !path.isEmpty(); path = line()) {
                if (!asked.remove(path)) {
                    throw new StoreException(AgentTexts.unexpectedPath(path));
                }
                String deriver = line();
                if (!deriver.isEmpty()) {
                    assertStorePath(deriver);
                }
                long nrRefs = number();
                TreeSet<String> refs = new TreeSet<>(ByteOrder.COMPARATOR);
                for (long i = 0; i < nrRefs; i++) {
                    String ref = line();
                    assertStorePath(ref);
                    refs.add(ref);
                }
                long downloadSize = number();
                long narSize = number();
                res.put(path, new SubstituteInfo(deriver.isEmpty() ? Optional.empty() : Optional.of(deriver), refs,
                        downloadSize, narSize));
            }
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
        return res;
    }

    private void request(String verb, Collection<String> paths) throws IOException {
        if (closed) {
            throw new StoreException("the substituter of this connection is closed");
        }
        if (process == null) {
            process = AgentProcess.start(program, List.of("substitute", "--query"), environment.get());
            channel = new AgentChannel(process);
        }
        StringBuilder s = new StringBuilder(verb).append(' ');
        for (String p : sorted(paths)) {
            s.append(p).append(' ');
        }
        s.append('\n');
        try {
            process.toAgent().write(s.toString().getBytes(StandardCharsets.UTF_8));
            process.toAgent().flush();
        } catch (IOException e) {
            // A dead agent: its last messages and end-of-file are reported by the first read below.
        }
    }

    /** {@code getLineFromSubstituter}: the next reply line, passing messages on meanwhile. */
    private String line() throws IOException {
        while (true) {
            String reply = takeLine();
            if (reply != null) {
                flushPartialMessage();
                return reply;
            }
            AgentChannel.Event e = channel.next();
            if (e.source() == AgentChannel.Source.MESSAGES) {
                if (e.eof()) {
                    throw new StoreException(AgentTexts.diedUnexpectedly(program));
                }
                message(e.bytes());
            } else if (e.eof()) {
                throw new StoreException(AgentTexts.UNEXPECTED_EOF);
            } else {
                replies.writeBytes(e.bytes());
            }
        }
    }

    /** A complete line from the reply buffer, or null. */
    private String takeLine() {
        byte[] buf = replies.toByteArray();
        for (int i = 0; i < buf.length; i++) {
            if (buf[i] == '\n') {
                replies.reset();
                replies.write(buf, i + 1, buf.length - i - 1);
                return new String(buf, 0, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * Messages are cut and sent on, prefixed, as guix-daemon cuts what it has read so far: after the
     * first {@code \n} if there is one, else after the first {@code \r} — so a {@code \r} before a
     * {@code \n} that came in the same read is not a cut (what a client sees of progress lines
     * depends on how the agent's writes were read, for guix-daemon too).
     */
    private void message(byte[] bytes) {
        messages.writeBytes(bytes);
        byte[] buf = messages.toByteArray();
        int start = 0;
        while (true) {
            int p = indexOf(buf, start, (byte) '\n');
            if (p < 0) {
                p = indexOf(buf, start, (byte) '\r');
            }
            if (p < 0) {
                break;
            }
            byte[] thing = new byte[PREFIX.length + p + 1 - start];
            System.arraycopy(PREFIX, 0, thing, 0, PREFIX.length);
            System.arraycopy(buf, start, thing, PREFIX.length, p + 1 - start);
            output.raw(thing);
            start = p + 1;
        }
        messages.reset();
        messages.write(buf, start, buf.length - start);
    }

    private static int indexOf(byte[] buf, int from, byte b) {
        for (int i = from; i < buf.length; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void flushPartialMessage() {
        if (messages.size() > 0) {
            output.error("substitute: " + messages.toString(StandardCharsets.UTF_8));
            messages.reset();
        }
    }

    /** {@code getIntLineFromSubstituter}: a decimal count or size, nothing else on the line. */
    private long number() throws IOException {
        String s = line();
        if (!s.matches("[0-9]{1,18}")) {
            throw new StoreException(AgentTexts.integerExpected(s));
        }
        return Long.parseLong(s);
    }

    private void assertStorePath(String p) throws StoreException {
        layout.assertStorePath(p);
    }

    private static TreeSet<String> sorted(Collection<String> paths) {
        TreeSet<String> s = new TreeSet<>(ByteOrder.COMPARATOR);
        s.addAll(paths);
        return s;
    }

    /** Whether the agent process runs (it starts on the first query). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void stop() {
        if (process != null) {
            process.close();
        }
        process = null;
        channel = null;
        replies.reset();
        messages.reset();
    }

    /** Ends the agent ({@code Agent::~Agent}) at the end of the connection. */
    @Override
    public synchronized void close() {
        closed = true;
        stop();
    }
}
