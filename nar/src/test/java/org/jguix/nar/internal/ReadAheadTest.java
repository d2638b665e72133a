package org.jguix.nar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jguix.nar.NarEvent;
import org.jguix.nar.NarName;
import org.jguix.nar.NarSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ReadAhead}: the sink sees exactly what the source emitted, errors travel both ways, no thread outlives a run. */
class ReadAheadTest {
    @AfterEach
    void noReadAheadThreadLeft() {
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("nar-read-ahead") && t.isAlive()), "a read-ahead thread is left");
    }

    /** A source of many events and contents of every size, chunk boundaries included. */
    private static void emitMixed(NarSink sink) throws IOException {
        Random r = new Random(7);
        sink.accept(NarEvent.DIRECTORY_START);
        for (int i = 0; i < 300; i++) {
            sink.accept(new NarEvent.EntryStart(NarName.of(String.format("f%05d", i))));
            int size = switch (i % 5) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> r.nextInt(1000);
                case 3 -> ReadAhead.CHUNK_SIZE - 1;
                default -> ReadAhead.CHUNK_SIZE * 2 + r.nextInt(100);
            };
            sink.accept(new NarEvent.RegularStart(false, size));
            byte[] data = new byte[size];
            r.nextBytes(data);
            for (int off = 0; off < size; ) {
                int n = Math.min(size - off, 1 + r.nextInt(ReadAhead.CHUNK_SIZE + 7));
                sink.contents(data, off, n);
                off += n;
            }
            sink.accept(NarEvent.REGULAR_END);
            sink.accept(NarEvent.ENTRY_END);
        }
        sink.accept(NarEvent.DIRECTORY_END);
    }

    @Test
    void replaysEventsAndContentsInOrder() throws IOException {
        Recorder direct = new Recorder();
        emitMixed(direct);
        Recorder ahead = new Recorder();
        ReadAhead.run(ReadAheadTest::emitMixed, ahead);
        assertEquals(direct.events, ahead.events);
        assertTrue(Arrays.equals(direct.digest.digest(), ahead.digest.digest()), "contents differ");
    }

    @Test
    void sourceErrorsArriveAfterWhatCameBefore() {
        IOException boom = new IOException("boom");
        Recorder sink = new Recorder();
        IOException e = assertThrows(IOException.class, () -> ReadAhead.run(s -> {
            s.accept(NarEvent.DIRECTORY_START);
            s.contents(new byte[] {1, 2, 3}, 0, 3);
            throw boom;
        }, sink));
        assertSame(boom, e);
        assertEquals(List.of(NarEvent.DIRECTORY_START, 3L), sink.events);

        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> ReadAhead.run(s -> {
            throw bug;
        }, new Recorder())));
    }

    @Test
    void sinkErrorsStopTheSource() {
        IOException full = new IOException("disk full");
        NarSink failing = new Recorder() {
            @Override
            public void contents(byte[] buf, int off, int len) throws IOException {
                throw full;
            }
        };
        // an endless source: only the cancellation ends it
        assertSame(full, assertThrows(IOException.class, () -> ReadAhead.run(s -> {
            byte[] b = new byte[4096];
            while (true) {
                s.contents(b, 0, b.length);
            }
        }, failing)));
    }

    @Test
    void anInterruptedCallerStopsTheSourceAndKeepsItsInterrupt() {
        NarSink interrupting = new Recorder() {
            @Override
            public void contents(byte[] buf, int off, int len) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            assertThrows(InterruptedIOException.class, () -> ReadAhead.run(s -> {
                byte[] b = new byte[ReadAhead.CHUNK_SIZE];
                while (true) {
                    s.contents(b, 0, b.length);
                }
            }, interrupting));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    /** Events as themselves, each run of contents as its total length; a digest of the contents. */
    private static class Recorder implements NarSink {
        final List<Object> events = new ArrayList<>();
        final MessageDigest digest = org.jguix.nar.NarHasher.messageDigest("sha256");

        @Override
        public void accept(NarEvent event) throws IOException {
            events.add(event);
        }

        @Override
        public void contents(byte[] buf, int off, int len) throws IOException {
            digest.update(buf, off, len);
            if (!events.isEmpty() && events.getLast() instanceof Long run) {
                events.set(events.size() - 1, run + len);
            } else {
                events.add((long) len);
            }
        }
    }
}
