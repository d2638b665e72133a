package org.jguix.build.substitute;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jguix.storepath.ByteOrder;

/**
 * What the query agent tells about one substitutable path ({@code SubstitutablePathInfo}): its
 * deriver (if known), its references (full store paths), and the sizes (0: unknown).
 */
public record SubstituteInfo(Optional<String> deriver, SortedSet<String> references, long downloadSize,
        long narSize) {
    public SubstituteInfo {
        Objects.requireNonNull(deriver, "deriver");
        TreeSet<String> refs = new TreeSet<>(ByteOrder.COMPARATOR);
        refs.addAll(references);
        references = Collections.unmodifiableSortedSet(refs);
    }
}
