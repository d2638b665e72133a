package org.jguix.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jguix.store.internal.ProcessRwFileLock;
import org.jguix.store.internal.StoreErrors;

/**
 * The global GC lock {@code $state/gc.lock} ({@code gc.cc:LocalStore::openGCLock}): the collector holds
 * it exclusively from root finding to the end of deletion; creating a temp-roots file, {@code
 * syncWithGC} and {@code addPermRoot} take it shared. In-process holders coordinate in memory and the
 * process holds one fcntl lock for them ({@link ProcessRwFileLock}), so a real {@code guix gc} or
 * another daemon is excluded as guix expects. Before blocking, {@code messages} gets "waiting for the
 * big garbage collector lock...".
 */
public final class GcLock {
    private final ProcessRwFileLock lock;
    private final Consumer<String> messages;

    public GcLock(StoreLayout layout, Consumer<String> messages) {
        this.lock = ProcessRwFileLock.of(file(layout));
        this.messages = StoreInitialiser.orIgnore(messages);
    }

    static Path file(StoreLayout layout) {
        return layout.stateDir().resolve("gc.lock");
    }

    /** A hold on the lock; {@link #close()} releases it. */
    public interface Hold extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Shared hold. */
    public Hold shared() throws IOException {
        return lock.acquire(true, () -> messages.accept(StoreErrors.WAITING_GC_LOCK))::close;
    }

    /** Exclusive hold, for the collector and {@code verifyStore}. */
    public Hold exclusive() throws IOException {
        return lock.acquire(false, () -> messages.accept(StoreErrors.WAITING_GC_LOCK))::close;
    }

    /** {@code syncWithGC} (op 13): wait until no collection runs, then return. */
    public void syncWithGc() throws IOException {
        lock.acquire(true, () -> messages.accept(StoreErrors.WAITING_GC_LOCK)).close();
    }
}
