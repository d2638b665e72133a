package org.jguix.build.substitute;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The two output pipes of an {@link AgentProcess} as one ordered stream of {@link Event}s, what
 * guix-daemon gets from its {@code select} on both ({@code local-store.cc:getLineFromSubstituter},
 * {@code Worker::waitForInput}). The helper writes frames:
 *
 * <pre>
 *   frame = TAG ('M' messages | 'R' replies)  LEN (u32 big-endian)  LEN bytes      LEN 0: that pipe's end
 * </pre>
 *
 * One pump thread reads them as they come and queues them, so the agent never blocks on a full
 * pipe; the consumer takes events only while it expects a reply, so messages written between
 * requests are handled with the next request, as guix-daemon reads them. If the helper's stream ends
 * early or is garbled, both pipes are reported ended.
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

    /** The helper reads 4096 bytes at a time; anything bigger is not from it. */
    private static final int MAX_FRAME = 1 << 16;

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    AgentChannel(AgentProcess agent) {
        Thread.ofVirtual().name("agent-frames").start(() -> pump(new DataInputStream(agent.frames())));
    }

    private void pump(DataInputStream in) {
        boolean messagesOpen = true;
        boolean repliesOpen = true;
        try (in) {
            while (messagesOpen || repliesOpen) {
                int tag = in.read();
                if (tag < 0) {
                    break;
                }
                int len = in.readInt();
                if ((tag != 'M' && tag != 'R') || len < 0 || len > MAX_FRAME) {
                    break;
                }
                byte[] data = in.readNBytes(len);
                if (data.length < len) {
                    break;
                }
                Source source = tag == 'M' ? Source.MESSAGES : Source.REPLIES;
                events.add(new Event(source, data));
                if (len == 0) {
                    if (source == Source.MESSAGES) {
                        messagesOpen = false;
                    } else {
                        repliesOpen = false;
                    }
                }
            }
        } catch (EOFException e) {
            // the helper was killed in the middle of a frame
        } catch (IOException e) {
            // the helper was killed
        }
        if (messagesOpen) {
            events.add(new Event(Source.MESSAGES, new byte[0]));
        }
        if (repliesOpen) {
            events.add(new Event(Source.REPLIES, new byte[0]));
        }
    }

    /** The next event, or null if none came within {@code millis}. */
    Event poll(long millis) throws InterruptedIOException {
        try {
            return events.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the substituter");
        }
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
}
