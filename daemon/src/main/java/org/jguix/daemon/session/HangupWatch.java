package org.jguix.daemon.session;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A connection's request stream that can notice, while an operation runs, that the client hung up
 * (guix-daemon's {@code SIGPOLL} handler interrupts the worker then, which kills its builders).
 * {@link #watch} reads one byte in the background: end of stream (or a failed read) runs the
 * callback; a byte that does arrive (a client that pipelines) is kept and returned by the next
 * read. The stream is only ever read by one thread at a time: reads wait for a pending watch.
 */
final class HangupWatch extends FilterInputStream {
    private static final int NONE = -3;
    private static final int FAILED = -2;
    private CompletableFuture<Integer> pending;
    private IOException failure;

    HangupWatch(InputStream in) {
        super(in);
    }

    /** Starts watching for the end of the stream, unless a watch is pending already. */
    synchronized void watch(Runnable onHangup) {
        if (pending != null) {
            return;
        }
        CompletableFuture<Integer> f = new CompletableFuture<>();
        pending = f;
        Thread.ofVirtual().name("hangup-watch").start(() -> {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                synchronized (this) {
                    failure = e;
                }
                b = FAILED;
            }
            f.complete(b);
            if (b < 0) {
                onHangup.run();
            }
        });
    }

    /** The byte a watch read (or -1 at end of stream), or {@link #NONE} if no watch was pending. */
    private int takePending() throws IOException {
        CompletableFuture<Integer> f;
        synchronized (this) {
            f = pending;
            pending = null;
        }
        if (f == null) {
            return NONE;
        }
        int b;
        try {
            b = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a request");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        if (b == FAILED) {
            synchronized (this) {
                throw failure;
            }
        }
        return b;
    }

    @Override
    public int read() throws IOException {
        int p = takePending();
        return p != NONE ? p : in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int p = takePending();
        if (p == NONE) {
            return in.read(b, off, len);
        }
        if (p < 0) {
            return -1;
        }
        b[off] = (byte) p;
        return 1;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        int p = takePending();
        if (p == NONE) {
            return in.skip(n);
        }
        return p < 0 ? 0 : 1;
    }

    @Override
    public synchronized int available() throws IOException {
        return pending != null ? 0 : in.available();
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
