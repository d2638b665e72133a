package org.jguix.build.spec;

import java.util.Objects;

/**
 * Something the daemon creates in the chroot directory before starting the builder
 * ({@code startBuilder}), at {@code path} relative to the chroot's root ({@code /tmp},
 * {@code /etc/passwd}...). Modes are the final ones (guix-daemon runs with umask 022).
 * {@code uid}/{@code gid} {@link #KEEP} leave the owner the daemon's.
 */
public sealed interface ChrootEntry {
    int KEEP = -1;

    String path();

    record Directory(String path, int mode, int uid, int gid) implements ChrootEntry {
        public Directory {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A file written by the daemon; {@code content} is the exact text (bytes as ISO-8859-1). */
    record File(String path, String content, int mode) implements ChrootEntry {
        public File {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
        }
    }

    record Symlink(String path, String target) implements ChrootEntry {
        public Symlink {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(target, "target");
        }
    }
}
