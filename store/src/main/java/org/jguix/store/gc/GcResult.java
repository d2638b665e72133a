package org.jguix.store.gc;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code GCResults}: the paths (live, dead or deleted, by action; sorted like the daemon's
 * {@code PathSet}) and the bytes actually freed.
 */
public record GcResult(SortedSet<String> paths, long bytesFreed) {
    public GcResult {
        paths = Collections.unmodifiableSortedSet(new TreeSet<>(paths));
    }
}
