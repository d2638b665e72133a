package org.jguix.build.run;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jguix.build.log.LogCompression;
import org.jguix.build.sandbox.ChrootPreparer;
import org.jguix.build.sandbox.SandboxRunner;
import org.jguix.build.spec.BuildSettings;
import org.jguix.build.spec.HostFacts;
import org.jguix.build.users.BuildUserPool;
import org.jguix.nar.StoreCanonicaliser;
import org.jguix.store.StoreDatabase;

/**
 * What every build of the daemon shares: the store, how to run a sandbox, the build
 * users, where logs go. One per daemon.
 *
 * @param db            the store database (validity, references, registration)
 * @param canonicaliser gives outputs the store's metadata (owner: the daemon)
 * @param settings      the daemon-wide part of a builder's environment (store dir, system,
 *                      chroot directories, TMPDIR); {@code build-cores} is per request
 * @param host          facts about the daemon's host
 * @param users         the build users pool ({@code --build-users-group}), or empty: builds
 *                      run as the daemon's uid mapped in a user namespace
 * @param daemonUid     the daemon's uid (mapped into user-namespace builds)
 * @param daemonGid     the daemon's gid
 * @param logDir        {@code GUIX_LOG_DIRECTORY}
 * @param compression   {@code --log-compression}
 * @param sandbox       runs builders
 * @param chroot        creates and removes build directories and chroots
 */
public record BuildContext(StoreDatabase db, StoreCanonicaliser canonicaliser, BuildSettings settings,
        HostFacts host, Optional<BuildUserPool> users, int daemonUid, int daemonGid, Path logDir,
        LogCompression compression, SandboxRunner sandbox, ChrootPreparer chroot) {
    public BuildContext {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(canonicaliser, "canonicaliser");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(chroot, "chroot");
    }
}
