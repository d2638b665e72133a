package org.jguix.nar.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jguix.nar.NarEvent;
import org.jguix.nar.NarSink;

/**
 * Double buffering for NAR sources: runs a source (a dump of a tree, the read of one file) on a helper
 * thread and replays its events and contents, in order, into a sink on the calling thread. Walking
 * directories and reading files then overlap with the sink's work, which for hashing is the bottleneck
 * (SHA-256 runs at 1.6 GB/s, reading from the page cache at 10 GB/s): a 1 GiB file hashes in the time
 * of its SHA-256 alone instead of SHA-256 plus read.
 *
 * <p>Contents are copied into a few pooled chunks (at most {@value #CHUNKS} of {@value #CHUNK_SIZE} bytes,
 * made as needed), so memory stays constant whatever the input. The source thread runs ahead by at most that much and
 * blocks when the sink falls behind. Events travel with the chunk whose contents they precede.
 *
 * <p>Errors: an exception from the source is rethrown on the calling thread once everything before it
 * has been replayed (so a sink sees the same prefix as without read-ahead); an exception from the sink,
 * or an interrupt of the caller, stops the source thread (interrupting it) and waits for it to end.
 */
public final class ReadAhead {
    /** A producer of NAR events and contents, run on the helper thread. */
    @FunctionalInterface
    public interface Source {
        void emit(NarSink sink) throws IOException;
    }

    static final int CHUNK_SIZE = 256 * 1024;
    static final int CHUNKS = 4;
    /** Bound on the events in one chunk, so a tree of empty files still flows while it is walked. */
    private static final int MAX_ITEMS = 512;

    private ReadAhead() {
    }

    /** Runs {@code source} on a helper thread, replaying what it emits into {@code sink} here. */
    public static void run(Source source, NarSink sink) throws IOException {
        BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS);
        BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
        Thread producer = Thread.ofPlatform().daemon().name("nar-read-ahead")
                .start(() -> produce(source, free, full));
        boolean done = false;
        try {
            while (true) {
                Chunk c = full.take();
                c.replay(sink);
                if (c.failure != null) {
                    done = true;
                    throw rethrow(c.failure);
                }
                if (c.last) {
                    done = true;
                    return;
                }
                c.reset();
                free.put(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        } finally {
            if (!done) {
                producer.interrupt();
            }
            joinQuietly(producer);
        }
    }

    private static void produce(Source source, BlockingQueue<Chunk> free, BlockingQueue<Chunk> full) {
        Filler filler = new Filler(free, full);
        try {
            source.emit(filler);
            filler.finish();
        } catch (InterruptedIOException e) {
            // the consumer gave up; nobody is waiting for us
        } catch (IOException | RuntimeException | Error e) {
            filler.fail(e);
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException e) {
            return e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        throw (Error) t;
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Contents bytes plus the events and content slices that refer to them, in order. */
    private static final class Chunk {
        final byte[] data = new byte[CHUNK_SIZE];
        final List<Object> items = new ArrayList<>();
        int used;
        boolean last;
        Throwable failure;

        void replay(NarSink sink) throws IOException {
            for (Object item : items) {
                if (item instanceof Slice s) {
                    sink.contents(data, s.offset, s.length);
                } else {
                    sink.accept((NarEvent) item);
                }
            }
        }

        void reset() {
            items.clear();
            used = 0;
        }
    }

    private record Slice(int offset, int length) { }

    /** The sink the source writes into, on the helper thread. */
    private static final class Filler implements ChannelSink {
        private final BlockingQueue<Chunk> free;
        /** Chunks made so far: they are made as needed, so a small tree costs one. */
        private int made = 1;
        private final BlockingQueue<Chunk> full;
        private Chunk current;

        Filler(BlockingQueue<Chunk> free, BlockingQueue<Chunk> full) {
            this.free = free;
            this.full = full;
            this.current = new Chunk();
        }

        @Override
        public void accept(NarEvent event) throws IOException {
            if (current.items.size() >= MAX_ITEMS) {
                pass();
            }
            current.items.add(event);
        }

        @Override
        public void contents(byte[] buf, int off, int len) throws IOException {
            while (len > 0) {
                if (current.used == CHUNK_SIZE || current.items.size() >= MAX_ITEMS) {
                    pass();
                }
                int n = Math.min(len, CHUNK_SIZE - current.used);
                System.arraycopy(buf, off, current.data, current.used, n);
                current.items.add(new Slice(current.used, n));
                current.used += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public int contentsFrom(FileChannel channel, AlignedReader reader, long max) throws IOException {
            if (current.used == CHUNK_SIZE || current.items.size() >= MAX_ITEMS) {
                pass();
            }
            int n = reader.read(channel, current.data, current.used, (int) Math.min(max, CHUNK_SIZE - current.used));
            if (n > 0) {
                current.items.add(new Slice(current.used, n));
                current.used += n;
            }
            return n;
        }

        void finish() throws InterruptedIOException {
            current.last = true;
            put(current);
        }

        void fail(Throwable t) {
            Chunk c = current != null ? current : new Chunk();
            c.failure = t;
            try {
                put(c);
            } catch (InterruptedIOException e) {
                // the consumer gave up already
            }
        }

        private void pass() throws InterruptedIOException {
            put(current);
            current = null;
            try {
                current = free.poll();
                if (current == null && made < CHUNKS) {
                    current = new Chunk();
                    made++;
                }
                if (current == null) {
                    current = free.take();
                }
            } catch (InterruptedException e) {
                throw new InterruptedIOException("read-ahead cancelled");
            }
        }

        private void put(Chunk c) throws InterruptedIOException {
            try {
                full.put(c);
            } catch (InterruptedException e) {
                throw new InterruptedIOException("read-ahead cancelled");
            }
        }
    }
}
