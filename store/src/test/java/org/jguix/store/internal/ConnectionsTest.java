package org.jguix.store.internal;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read pool hands out the reader used last (its page cache is the warm one); an after-commit
 * action that fails does not turn a committed write into a reported failure.
 */
class ConnectionsTest {
    @TempDir
    Path dir;

    @Test
    void consecutiveReadsReuseTheSameReader() throws Exception {
        try (Connections db = Connections.open(dir.resolve("db.sqlite"), true, 4, true, true, m -> { })) {
            Handle first = db.read("test", h -> h);
            for (int i = 0; i < 5; i++) {
                assertSame(first, db.read("test", h -> h), "read " + i + " took another reader");
            }
        }
    }

    @Test
    void aReadWhileAnotherIsRunningGetsAnotherReader() throws Exception {
        try (Connections db = Connections.open(dir.resolve("db.sqlite"), true, 4, true, true, m -> { })) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Handle> held = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    db.read("test", h -> {
                        held.set(h);
                        inside.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return null;
                    });
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            inside.await();
            Handle other = db.read("test", h -> h);
            assertNotSame(held.get(), other);
            release.countDown();
            t.join();
            assertSame(held.get(), db.read("test", h -> h), "the most recently returned reader first");
        }
    }

    @Test
    void aFailingAfterCommitActionLeavesTheWriteSucceededAndTheRestRun() throws Exception {
        java.util.List<String> messages = new java.util.ArrayList<>();
        try (Connections db = Connections.open(dir.resolve("db.sqlite"), true, 1, true, true, messages::add)) {
            boolean[] second = {false};
            String result = db.write("test write", h -> {
                db.afterCommit(() -> {
                    throw new IllegalStateException("broken cache");
                });
                db.afterCommit(() -> second[0] = true);
                return "committed";
            });
            org.junit.jupiter.api.Assertions.assertEquals("committed", result);
            org.junit.jupiter.api.Assertions.assertTrue(second[0], "the later action still ran");
            org.junit.jupiter.api.Assertions.assertEquals(1, messages.size(), messages.toString());
        }
    }
}
