package org.jguix.build.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What scripts/launch hands over as the daemon's own open-files limits ({@code ulimit -Sn} {@code -Hn}). */
class ResourceLimitTest {
    @Test
    void launcherNofileReadsUlimitsOutput() {
        assertEquals(Optional.of(new ResourceLimit("nofile", 1024, 524288)), ResourceLimit.launcherNofile("1024 524288"));
        assertEquals(Optional.of(new ResourceLimit("nofile", 1024, ResourceLimit.UNLIMITED)),
                ResourceLimit.launcherNofile("1024 unlimited"));
        for (String bad : new String[] {null, "", "1024", "a b", "1024 -5", "1 2 3", "9999999999999999999999 1"}) {
            assertEquals(Optional.empty(), ResourceLimit.launcherNofile(bad), String.valueOf(bad));
        }
    }
}
