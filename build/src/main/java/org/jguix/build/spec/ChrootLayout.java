package org.jguix.build.spec;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jguix.storepath.ByteOrder;

/**
 * The chroot of one build (build-environment.md §6.1): where it lives on the host
 * ({@code <drv>.chroot/top}, in the store so outputs can be renamed into it), what the
 * daemon creates in it, and what is mounted into it (by in-sandbox path, in the order the
 * helper mounts them: {@code std::map} order), plus the special file systems.
 *
 * @param rootTop      {@code <drvPath>.chroot}, mode 0750, owned by the daemon
 * @param rootDir      {@code rootTop + "/top"}: becomes {@code /}
 * @param rootDirGid   group of {@code rootDir} (build group in mode R), or {@link ChrootEntry#KEEP}
 * @param entries      created in this order before the builder starts
 * @param mounts       bind mounts by in-sandbox path
 * @param mountDevpts  a fresh {@code devpts} on {@code /dev/pts} (host has {@code /dev/pts/ptmx})
 */
public record ChrootLayout(String rootTop, String rootDir, int rootDirGid, List<ChrootEntry> entries,
        SortedMap<String, BindMount> mounts, boolean mountProc, boolean mountDevshm, boolean mountDevpts) {
    public ChrootLayout {
        Objects.requireNonNull(rootTop, "rootTop");
        Objects.requireNonNull(rootDir, "rootDir");
        entries = List.copyOf(entries);
        TreeMap<String, BindMount> m = new TreeMap<>(ByteOrder.COMPARATOR);
        m.putAll(mounts);
        mounts = Collections.unmodifiableSortedMap(m);
    }

    /** Host path of an in-sandbox path ({@code rootDir + path}). */
    public String hostPath(String insidePath) {
        return rootDir + insidePath;
    }
}
