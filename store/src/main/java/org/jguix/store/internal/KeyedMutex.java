package org.jguix.store.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * In-process mutual exclusion per key (a lock file name), owned by a thread so that re-acquisition by
 * the holder can be refused like guix-daemon's {@code lockedPaths} set does. Entries exist only while
 * held or waited for, so the map does not grow with the number of paths ever locked. Virtual-thread
 * friendly: waiting uses a {@link Condition}, never {@code synchronized}.
 */
public final class KeyedMutex<K> {
    private final ReentrantLock mutex = new ReentrantLock();
    private final Condition released = mutex.newCondition();
    private final Map<K, Entry> entries = new HashMap<>();

    private static final class Entry {
        Thread owner;
        int users;
    }

    /** Whether the calling thread holds {@code key}. */
    public boolean heldByCurrentThread(K key) {
        mutex.lock();
        try {
            Entry e = entries.get(key);
            return e != null && e.owner == Thread.currentThread();
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Takes {@code key}; returns false at once if {@code wait} is false and another thread holds it;
     * runs {@code onWait} once before blocking.
     */
    public boolean lock(K key, boolean wait, Runnable onWait) throws InterruptedException {
        mutex.lockInterruptibly();
        try {
            Entry e = entries.computeIfAbsent(key, k -> new Entry());
            e.users++;
            boolean warned = false;
            try {
                while (e.owner != null) {
                    if (!wait) {
                        e.users--;
                        dropIfUnused(key, e);
                        return false;
                    }
                    if (!warned) {
                        onWait.run();
                        warned = true;
                    }
                    released.await();
                }
            } catch (InterruptedException ie) {
                e.users--;
                dropIfUnused(key, e);
                throw ie;
            }
            e.owner = Thread.currentThread();
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /** Releases {@code key} (any thread may release, so a lock can be handed over with its work). */
    public void unlock(K key) {
        mutex.lock();
        try {
            Entry e = entries.get(key);
            if (e == null || e.owner == null) {
                throw new IllegalStateException("not locked: " + key);
            }
            e.owner = null;
            e.users--;
            dropIfUnused(key, e);
            released.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    private void dropIfUnused(K key, Entry e) {
        if (e.users == 0) {
            entries.remove(key);
        }
    }
}
