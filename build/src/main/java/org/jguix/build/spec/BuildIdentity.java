package org.jguix.build.spec;

import java.util.List;

/**
 * Who the builder runs as (build-environment.md §1, §3, §7): a member of the build users
 * group on a root daemon (mode R, no user namespace), or the guest ids 30001/30000 in a
 * new user namespace mapped to the daemon's own ids (mode N: root without build users,
 * host ids 0/0; mode U: unprivileged daemon, its uid/gid).
 */
public sealed interface BuildIdentity {
    /** {@code build.cc:defaultGuestUID}. */
    int GUEST_UID = 30001;
    /** {@code build.cc:defaultGuestGID}. */
    int GUEST_GID = 30000;

    /** The uid the builder sees for itself (and {@code /etc/passwd} lists). */
    int uidInside();

    /** The gid the builder sees (and {@code /etc/group} lists). */
    int gidInside();

    /**
     * Mode R: a build user. {@code gid} is the build users group's gid (what guix-daemon
     * passes to {@code setgid} and writes to {@code /etc/group}), {@code groups} the
     * supplementary groups ({@code getgrouplist}).
     */
    record BuildUser(int uid, int gid, List<Integer> groups) implements BuildIdentity {
        public BuildUser {
            if (uid <= 0 || gid <= 0) {
                throw new IllegalArgumentException("build user uid/gid: " + uid + "/" + gid + " (expected > 0)");
            }
            groups = List.copyOf(groups);
        }

        @Override
        public int uidInside() {
            return uid;
        }

        @Override
        public int gidInside() {
            return gid;
        }
    }

    /**
     * Modes N and U: a user namespace where {@link #GUEST_UID}/{@link #GUEST_GID} map to
     * the daemon's {@code hostUid}/{@code hostGid} ({@code initializeUserNamespace}).
     */
    record UserNamespace(int hostUid, int hostGid) implements BuildIdentity {
        @Override
        public int uidInside() {
            return GUEST_UID;
        }

        @Override
        public int gidInside() {
            return GUEST_GID;
        }

        /** Content written to {@code /proc/PID/uid_map}. */
        public String uidMap() {
            return GUEST_UID + " " + hostUid + " 1";
        }

        /** Content written to {@code /proc/PID/gid_map} (after {@code setgroups} = deny). */
        public String gidMap() {
            return GUEST_GID + " " + hostGid + " 1\n";
        }
    }
}
