package org.jguix.daemon.session;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jguix.store.StoreLayout;

/**
 * {@code LocalStore::createUser}: the per-user profile directory {@code $state/profiles/per-user/NAME},
 * made when a Unix-socket client connects (and for a TCP client's {@code user-name} option).
 */
final class UserProfiles {
    private UserProfiles() {
    }

    /** Creates it if missing: mode 0755, owned by {@code uid}; if the chown fails it is removed again. */
    static void create(StoreLayout layout, String userName, long uid, SessionState session) throws IOException {
        Path dir = layout.stateDir().resolve("profiles").resolve("per-user").resolve(userName);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            if (((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue() != uid) {
                Files.setAttribute(dir, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            Files.deleteIfExists(dir);
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : String.valueOf(e.getMessage());
            session.log(Verbosity.INFO, "failed to change owner of directory '" + dir + "' to " + uid + ": "
                    + reason);
        }
    }
}
