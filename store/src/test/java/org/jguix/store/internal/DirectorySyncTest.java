package org.jguix.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit of the store directory's fsync: shared by concurrent callers, never skipped. */
class DirectorySyncTest {
    @TempDir
    Path dir;

    @Test
    void aLoneCallerRunsItsOwnFsyncEachTime() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        DirectorySync sync = new DirectorySync("d", flushes::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            sync.sync();
        }
        assertEquals(5, flushes.get());
    }

    @Test
    void syncsARealDirectory() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        new DirectorySync(dir).sync(); // fsync of a directory through a read-only descriptor
    }

    /**
     * Many threads at once: each returns only after a flush that started after its call, and far fewer
     * flushes run than calls (the point of sharing them).
     */
    @Test
    void concurrentCallersShareFlushesThatStartedAfterTheirCall() throws Exception {
        AtomicLong clock = new AtomicLong();
        AtomicLong lastCompletedStart = new AtomicLong(-1);
        AtomicInteger flushes = new AtomicInteger();
        DirectorySync sync = new DirectorySync("d", () -> {
            long started = clock.incrementAndGet();
            flushes.incrementAndGet();
            sleep(2);
            lastCompletedStart.accumulateAndGet(started, Math::max);
        });
        int threads = 8;
        int calls = 40;
        List<Throwable> failures = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < calls; i++) {
                        long called = clock.incrementAndGet();
                        sync.sync();
                        if (lastCompletedStart.get() <= called) {
                            throw new AssertionError("returned before a flush that started after the call");
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertTrue(flushes.get() < threads * calls / 2, "flushes " + flushes.get() + " for " + threads * calls + " calls");
    }

    @Test
    void aFailedFlushFailsItsCallersAndNotTheNext() throws Exception {
        AtomicInteger n = new AtomicInteger();
        DirectorySync sync = new DirectorySync("d", () -> {
            if (n.incrementAndGet() == 1) {
                throw new IOException("Input/output error");
            }
        });
        IOException e = assertThrows(IOException.class, sync::sync);
        assertEquals("Input/output error", e.getMessage());
        sync.sync();
        assertEquals(2, n.get());
    }

    @Test
    void anUncheckedFailureDoesNotLeaveTheNextCallersWaiting() throws Exception {
        AtomicInteger n = new AtomicInteger();
        DirectorySync sync = new DirectorySync("d", () -> {
            if (n.incrementAndGet() == 1) {
                throw new IllegalStateException("bug");
            }
        });
        assertThrows(IllegalStateException.class, sync::sync);
        java.util.concurrent.Future<?> next = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> {
                    sync.sync();
                    return null;
                });
        next.get(5, java.util.concurrent.TimeUnit.SECONDS); // hung for ever before
        assertEquals(2, n.get());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
