package org.jguix.store.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;

/**
 * The fsync of one directory that makes renames into it durable, shared by concurrent callers (group
 * commit): every add renames its item into the store directory and must then see the directory
 * synced before it registers the item. A caller joins the <em>pending</em> batch; when no fsync is
 * running, one of the pending batch's callers runs it for all of them, so an fsync serves every
 * rename that completed before it started, and callers that arrive while it runs wait for the next.
 * One connection at a time still pays one fsync per add; N adds arriving together pay about two.
 *
 * <p>No caller returns before an fsync that <em>started after its call</em> has succeeded (so after
 * its rename): the order rename → fsync of the directory → registration (issue #6, SyncOrderIT) holds
 * for each item. A failed fsync fails every caller of its batch. Waiting is {@link Object#wait}, no
 * spinning; the lock is not held during the fsync.
 */
public final class DirectorySync {
    /** The callers served by one fsync. */
    private static final class Batch {
        boolean done;
        IOException failure;
    }

    /** The fsync itself (a test counts and delays it). */
    @FunctionalInterface
    interface Flush {
        void run() throws IOException;
    }

    private final String directory;
    private final Flush flush;
    private Batch pending;
    private Batch running;

    public DirectorySync(Path directory) {
        this(directory.toString(), () -> FileTrees.sync(directory));
    }

    DirectorySync(String directory, Flush flush) {
        this.directory = directory;
        this.flush = flush;
    }

    /** Returns once an fsync of the directory that began after this call has completed. */
    public void sync() throws IOException {
        Batch mine;
        synchronized (this) {
            if (pending == null) {
                pending = new Batch();
            }
            mine = pending;
            while (running != null && !mine.done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while syncing " + directory);
                }
            }
            if (mine.done) {
                if (mine.failure != null) {
                    throw new IOException(mine.failure.getMessage(), mine.failure);
                }
                return;
            }
            running = mine; // no fsync running and ours not done: this caller runs it for the batch
            pending = null;
        }
        IOException failure = null;
        try {
            flush.run();
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            // the batch fails, and the next caller runs the next fsync: nobody may wait for ever
            failure = new IOException("syncing " + directory + ": " + e, e);
            throw e;
        } finally {
            synchronized (this) {
                mine.done = true;
                mine.failure = failure;
                running = null;
                notifyAll();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
