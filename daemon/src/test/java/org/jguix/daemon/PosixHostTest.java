package org.jguix.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixHostTest {
    @TempDir
    Path etc;

    /** Lines as Linux 6 prints them (fields separated by tabs). */
    private static final List<String> STATUS = List.of("Name:\tjava", "Umask:\t0022", "State:\tS (sleeping)",
            "Uid:\t1000\t0\t0\t0", "Gid:\t1001\t30000\t30000\t30000", "Groups:\t27 1001");

    @Test
    void idsAndUmaskComeFromProcStatus() {
        PosixHost h = PosixHost.of(STATUS, etc);
        assertEquals(1000, h.uid());
        assertEquals(0, h.euid());
        assertEquals(30000, h.egid());
        assertEquals(022, h.umask());
    }

    @Test
    void thisProcessMatchesTheJdksView() {
        UnixSystem jdk = new UnixSystem();
        PosixHost h = PosixHost.current();
        assertEquals(jdk.getUid(), h.uid());
        assertEquals(jdk.getGid(), h.egid()); // no setgid bit on java
    }

    @Test
    void namesComeFromTheFilesFirstMatchFirst() throws Exception {
        Files.writeString(etc.resolve("passwd"), "# comment\nroot:x:0:0:root:/root:/bin/sh\n"
                + "alice:x:1000:1000::/home/alice:/bin/sh\nalias:x:1000:1000::/:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nguixbuild:!:30000:guixbuilder01,guixbuilder02\n");
        PosixHost h = PosixHost.of(STATUS, etc);
        assertEquals(Optional.of("alice"), h.userName(1000));
        assertEquals(OptionalLong.of(1000), h.userId("alias"));
        assertEquals(Optional.of("root"), h.userName(0));
        assertEquals(OptionalInt.of(30000), h.groupId("guixbuild"));
    }
}
