package org.jguix.nar;

import java.util.Arrays;
import org.jguix.nar.internal.ByteText;

/**
 * The one event vocabulary of the nar module: what {@link NarReader} pulls out of archive bytes and
 * {@link NarDumper} out of a file tree, and what every {@link NarSink} ({@link NarWriter},
 * {@link NarRestorer}, {@link NarLister}, hashing) consumes. Each event stands for a fixed run of
 * archive tokens:
 *
 * <pre>
 * DirectoryStart          ( type directory
 * EntryStart(name)        entry ( name NAME node        -- followed by exactly one node
 * EntryEnd                )                             -- closes the entry
 * DirectoryEnd            )                             -- closes the directory node
 * Symlink(target)         ( type symlink target TARGET )
 * RegularStart(x, size)   ( type regular [executable ""] contents SIZE   -- then SIZE content bytes
 * RegularEnd              PADDING )
 * </pre>
 *
 * Content bytes are not events: they pass through {@link NarSink#contents} so that files stream
 * without per-chunk objects.
 */
public sealed interface NarEvent {
    DirectoryStart DIRECTORY_START = new DirectoryStart();
    DirectoryEnd DIRECTORY_END = new DirectoryEnd();
    EntryEnd ENTRY_END = new EntryEnd();
    RegularEnd REGULAR_END = new RegularEnd();

    /** Opens a directory node; its entries follow in strictly increasing name order. */
    record DirectoryStart() implements NarEvent { }

    /** Closes the innermost open directory node. */
    record DirectoryEnd() implements NarEvent { }

    /** Opens an entry of the innermost directory; the entry's node follows. */
    record EntryStart(NarName name) implements NarEvent {
        public EntryStart {
            java.util.Objects.requireNonNull(name, "name");
        }
    }

    /** Closes the innermost entry, after its node. */
    record EntryEnd() implements NarEvent { }

    /** A regular file of {@code size} bytes; exactly that many content bytes follow, then {@link RegularEnd}. */
    record RegularStart(boolean executable, long size) implements NarEvent {
        public RegularStart {
            if (size < 0) {
                throw new IllegalArgumentException("negative file size " + size);
            }
        }
    }

    /** Closes the current regular file after all its content bytes. */
    record RegularEnd() implements NarEvent { }

    /**
     * A symlink node. The target is raw bytes (of {@code readlink(2)}): non-empty, NUL-free, never
     * resolved or normalised.
     */
    record Symlink(byte[] target) implements NarEvent {
        public Symlink {
            String problem = checkTarget(target);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            target = target.clone();
        }

        /** Why {@code target} cannot be a symlink target, or null if it can. */
        public static String checkTarget(byte[] target) {
            if (target.length == 0) {
                return "symlink target is empty";
            }
            for (byte b : target) {
                if (b == 0) {
                    return "symlink target contains NUL: `" + ByteText.quote(target) + "'";
                }
            }
            return null;
        }

        /** A copy of the raw target bytes. */
        @Override
        public byte[] target() {
            return target.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Symlink s && Arrays.equals(target, s.target);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(target);
        }

        @Override
        public String toString() {
            return "Symlink[" + ByteText.quote(target) + "]";
        }
    }
}
