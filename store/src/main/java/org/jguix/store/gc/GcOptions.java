package org.jguix.store.gc;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One collection's request ({@code GCOptions}) and the settings guix-daemon reads at its start.
 *
 * @param action          what to do
 * @param pathsToDelete   for {@link GcAction#DELETE_SPECIFIC}: sorted and unique, like the
 *                        daemon's {@code PathSet}, which fixes the order they are tried in
 * @param maxFreed        stop after freeing more than this many bytes, an <em>unsigned</em> 64-bit
 *                        value; {@link #UNLIMITED} (2<sup>64</sup>−1) is no limit, 0 skips the scan
 * @param keepOutputs     {@code gc-keep-outputs} (default false): a live derivation keeps its outputs
 * @param keepDerivations {@code gc-keep-derivations} (default true): a live output keeps its derivation
 */
public record GcOptions(GcAction action, SortedSet<String> pathsToDelete, long maxFreed, boolean keepOutputs,
        boolean keepDerivations) {
    /** {@code ULLONG_MAX}, what {@code (%long-long-max)} sends. */
    public static final long UNLIMITED = -1L;

    public GcOptions {
        Objects.requireNonNull(action);
        pathsToDelete = Collections.unmodifiableSortedSet(new TreeSet<>(pathsToDelete));
    }

    /** guix-daemon's defaults for {@code action} with no limit. */
    public static GcOptions of(GcAction action, Collection<String> paths) {
        return new GcOptions(action, new TreeSet<>(paths), UNLIMITED, false, true);
    }

    public GcOptions withMaxFreed(long bytes) {
        return new GcOptions(action, pathsToDelete, bytes, keepOutputs, keepDerivations);
    }

    public GcOptions withKeep(boolean outputs, boolean derivations) {
        return new GcOptions(action, pathsToDelete, maxFreed, outputs, derivations);
    }

    boolean limited() {
        return maxFreed != UNLIMITED;
    }
}
