package org.jguix.build.substitute;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The two output pipes of an {@link AgentProcess} as one ordered stream of {@link Event}s, what
 * guix-daemon gets from its {@code select} on both ({@code local-store.cc:getLineFromSubstituter},
 * {@code Worker::waitForInput}). One pump thread per pipe reads as data arrives and queues it, so an
 * agent is never blocked on a full pipe while the daemon waits on the other one; the consumer takes
 * events only while it expects a reply, so messages written between requests are handled with the
 * next request, as guix-daemon reads them.
 */
final class AgentChannel {
    /** Which pipe an event comes from. */
    enum Source { MESSAGES, REPLIES }

    /** Data from one pipe ({@code bytes} empty: that pipe reached end-of-file). */
    record Event(Source source, byte[] bytes) {
        boolean eof() {
            return bytes.length == 0;
        }
    }

    /** How long after end-of-file on the replies the end of the messages is waited for. */
    private static final long EOF_GRACE_MS = 2000;

    /** How long the messages must stay quiet before {@link #drainMessages} stops waiting. */
    private static final long QUIET_MS = 25;

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    AgentChannel(AgentProcess agent) {
        pump(agent.messages(), Source.MESSAGES);
        pump(agent.replies(), Source.REPLIES);
    }

    private void pump(InputStream in, Source source) {
        Thread.ofVirtual().name("agent-" + source).start(() -> {
            byte[] buf = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    events.add(new Event(source, Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // the agent was killed: end-of-file below
            }
            events.add(new Event(source, new byte[0]));
        });
    }

    /** The next event, waiting for it. */
    Event next() throws InterruptedIOException {
        try {
            return events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the substituter");
        }
    }

    /**
     * Hands on the messages the agent wrote before its reply ({@code onMessage}): guix-daemon's
     * {@code select} sees them together with the reply and handles the messages first, so an agent's
     * last progress output comes before what the daemon prints about the result. The agent wrote
     * them before the reply, so they are in the pipe already: a short quiet time lets the pump
     * queue them (the JDK's pipe streams cannot be asked how much they hold while a pump reads them
     * without blocking). Other events stay queued.
     */
    void drainMessages(java.util.function.Consumer<byte[]> onMessage) throws InterruptedIOException {
        java.util.List<Event> others = new java.util.ArrayList<>();
        try {
            while (true) {
                Event e = events.poll(QUIET_MS, TimeUnit.MILLISECONDS);
                if (e == null) {
                    break;
                }
                if (e.source() == Source.MESSAGES && !e.eof()) {
                    onMessage.accept(e.bytes());
                } else {
                    others.add(e);
                    if (e.source() == Source.MESSAGES) {
                        break; // end-of-file: nothing more will come
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the substituter");
        } finally {
            // Put back what was not a message, ahead of anything queued meanwhile.
            java.util.List<Event> rest = new java.util.ArrayList<>();
            events.drainTo(rest);
            events.addAll(others);
            events.addAll(rest);
        }
    }

    /**
     * After end-of-file on the replies: whether the messages pipe ends too, shortly (the agent exited).
     * guix-daemon's {@code select} sees both at once and looks at the messages first; here the pumps
     * may report them in either order. Messages that come meanwhile are returned to the caller through
     * {@code onMessage}.
     */
    boolean messagesEnd(java.util.function.Consumer<byte[]> onMessage) throws InterruptedIOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EOF_GRACE_MS);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                if (e == null) {
                    return false;
                }
                if (e.source() == Source.MESSAGES) {
                    if (e.eof()) {
                        return true;
                    }
                    onMessage.accept(e.bytes());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the substituter");
        }
    }
}
