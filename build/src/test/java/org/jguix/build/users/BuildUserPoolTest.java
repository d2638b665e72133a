package org.jguix.build.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildUserPoolTest {
    @TempDir
    Path dir;

    private BuildUserPool pool(String group, String groups, String passwd) throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("group"), groups);
        Files.writeString(etc.resolve("passwd"), passwd);
        return new BuildUserPool(group, etc, dir.resolve("userpool"), 0);
    }

    private static final String PASSWD = "root:x:0:0::/root:/bin/sh\n"
            + "b1:x:999:999:builder:/var/empty:/usr/sbin/nologin\n"
            + "b2:x:998:999:builder:/var/empty:/usr/sbin/nologin\n"
            + "lonely:x:997:999:not a member:/var/empty:/usr/sbin/nologin\n";

    @Test
    void handsOutMembersInOrderAndEachOnce() throws IOException {
        BuildUserPool p = pool("guixbuild", "root:x:0:\nguixbuild:x:999:b1,b2\nkvm:x:101:b2\n", PASSWD);
        try (BuildUserPool.Lease a = p.acquire(); BuildUserPool.Lease b = p.acquire()) {
            assertEquals(999, a.user().uid());
            assertEquals(998, b.user().uid());
            assertEquals(999, b.user().gid(), "setgid to the build users group");
            assertEquals(List.of(999, 101), b.user().groups(), "getgrouplist: primary group, then memberships");
            BuildUserException e = assertThrows(BuildUserException.class, p::acquire);
            assertEquals("all build users are currently in use; consider creating additional users and adding"
                    + " them to the `guixbuild' group", e.getMessage());
            // The lock files are where a real guix-daemon sharing the state directory looks.
            assertEquals(true, Files.exists(dir.resolve("userpool/999")));
        }
        try (BuildUserPool.Lease again = p.acquire()) {
            assertEquals(999, again.user().uid(), "released users are free again");
        }
    }

    @Test
    void primaryGroupAloneDoesNotMakeAMember() throws IOException {
        BuildUserPool p = pool("guixbuild", "guixbuild:x:999:\n", PASSWD);
        assertEquals("the build users group `guixbuild' has no members",
                assertThrows(BuildUserException.class, p::acquire).getMessage());
    }

    @Test
    void missingGroupAndUserAreReportedLikeGuixDaemon() throws IOException {
        assertEquals("the group `nope' specified in `build-users-group' does not exist",
                assertThrows(BuildUserException.class, pool("nope", "guixbuild:x:999:b1\n", PASSWD)::acquire)
                        .getMessage());
        assertEquals("the user `ghost' in the group `guixbuild' does not exist",
                assertThrows(BuildUserException.class, pool("guixbuild", "guixbuild:x:999:ghost\n", PASSWD)::acquire)
                        .getMessage());
    }

    @Test
    void theDaemonsOwnUserIsRefused() throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc2"));
        Files.writeString(etc.resolve("group"), "guixbuild:x:999:b1\n");
        Files.writeString(etc.resolve("passwd"), PASSWD);
        BuildUserPool p = new BuildUserPool("guixbuild", etc, dir.resolve("userpool2"), 999);
        assertEquals("the build user should not be a member of `guixbuild'",
                assertThrows(BuildUserException.class, p::acquire).getMessage());
        assertNotEquals(null, p.groupName());
    }
}
