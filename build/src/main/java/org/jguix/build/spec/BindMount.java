package org.jguix.build.spec;

import java.util.Objects;

/**
 * One entry of {@code filesInChroot}: the host path {@code source} bind-mounted at
 * {@code target} (absolute, inside the sandbox). Directories get a directory mount
 * point, files an empty placeholder, symlinks are recreated instead (the helper decides
 * by {@code lstat}, like {@code spawn.cc:bindMount}).
 */
public record BindMount(String target, String source, boolean readOnly) {
    public BindMount {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("bind mount target `" + target + "' (expected an absolute path)");
        }
    }
}
