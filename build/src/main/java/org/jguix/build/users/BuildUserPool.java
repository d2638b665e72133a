package org.jguix.build.users;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jguix.build.spec.BuildIdentity;

/**
 * The members of {@code --build-users-group}, handed out one per running build
 * ({@code build.cc:UserLock}, build-environment.md §3). Candidates are the group's explicit
 * member list, in order; a member is free when this process does not hold it and the
 * POSIX record lock on {@code <stateDir>/userpool/<uid>} can be taken, so a real
 * guix-daemon sharing the state directory never gets the same user.
 *
 * <p>Users and groups are read from {@code passwd} and {@code group} files (the daemon's
 * {@code /etc}) at each acquisition, as {@code getgrnam}/{@code getpwnam} would see a
 * files-only NSS; an admin adding a build user needs no restart.
 */
public final class BuildUserPool {
    private static final Set<Integer> HELD_HERE = ConcurrentHashMap.newKeySet();
    private final String groupName;
    private final Path etc;
    private final Path userPoolDir;
    private final int daemonUid;

    /**
     * @param groupName   {@code build-users-group}
     * @param etc         where {@code passwd} and {@code group} are ({@code /etc})
     * @param userPoolDir {@code <stateDir>/userpool}
     * @param daemonUid   the daemon's uid: a member with this uid is refused
     */
    public BuildUserPool(String groupName, Path etc, Path userPoolDir, int daemonUid) {
        this.groupName = groupName;
        this.etc = etc;
        this.userPoolDir = userPoolDir;
        this.daemonUid = daemonUid;
    }

    public String groupName() {
        return groupName;
    }

    /** A build user held until {@link #close}. */
    public static final class Lease implements AutoCloseable {
        private final BuildIdentity.BuildUser user;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean closed;

        private Lease(BuildIdentity.BuildUser user, FileChannel channel, FileLock lock) {
            this.user = user;
            this.channel = channel;
            this.lock = lock;
        }

        public BuildIdentity.BuildUser user() {
            return user;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (channel) {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel drops the lock anyway
            } finally {
                HELD_HERE.remove(user.uid());
            }
        }
    }

    /** Checks that the group exists and has members ({@code guix-daemon} fails at its first build otherwise). */
    public void check() throws IOException {
        members(group(table("group", 4)));
    }

    /** The first free member, locked; {@code all build users are currently in use…} if none. */
    public Lease acquire() throws IOException {
        // Each read once per build: the files may change between builds (getgrnam/getpwnam read them anew too).
        List<String[]> groups = table("group", 4);
        List<String[]> users = table("passwd", 7);
        Group g = group(groups);
        for (String name : members(g)) {
            Passwd pw = passwd(users, name).orElseThrow(() -> new BuildUserException(
                    "the user `" + name + "' in the group `" + groupName + "' does not exist"));
            if (!HELD_HERE.add(pw.uid)) {
                continue;
            }
            Lease lease = null;
            try {
                lease = tryLock(pw, g, groups);
            } finally {
                if (lease == null) {
                    HELD_HERE.remove(pw.uid);
                }
            }
            if (lease != null) {
                return lease;
            }
        }
        throw new BuildUserException("all build users are currently in use; consider creating additional users"
                + " and adding them to the `" + groupName + "' group");
    }

    private Lease tryLock(Passwd pw, Group g, List<String[]> groups) throws IOException {
        Files.createDirectories(userPoolDir);
        Path file = userPoolDir.resolve(Integer.toString(pw.uid));
        FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            return null;
        }
        if (pw.uid == daemonUid) {
            lock.release();
            ch.close();
            throw new BuildUserException("the build user should not be a member of `" + groupName + "'");
        }
        return new Lease(new BuildIdentity.BuildUser(pw.uid, g.gid, supplementaryGroups(pw, groups)), ch, lock);
    }

    private record Group(String name, int gid, List<String> members) {
    }

    private record Passwd(String name, int uid, int gid) {
    }

    private Group group(List<String[]> groups) throws IOException {
        for (String[] f : groups) {
            if (f[0].equals(groupName)) {
                return new Group(f[0], number(f[2], "group"), f[3].isEmpty() ? List.of() : List.of(f[3].split(",")));
            }
        }
        throw new BuildUserException("the group `" + groupName + "' specified in `build-users-group' does not exist");
    }

    private List<String> members(Group g) throws BuildUserException {
        if (g.members.isEmpty()) {
            throw new BuildUserException("the build users group `" + groupName + "' has no members");
        }
        return g.members;
    }

    private Optional<Passwd> passwd(List<String[]> users, String name) throws IOException {
        for (String[] f : users) {
            if (f[0].equals(name)) {
                return Optional.of(new Passwd(f[0], number(f[2], "passwd"), number(f[3], "passwd")));
            }
        }
        return Optional.empty();
    }

    /** {@code getgrouplist(user, pw_gid)}: the primary group, then every group listing the user. */
    private List<Integer> supplementaryGroups(Passwd pw, List<String[]> groups) throws IOException {
        LinkedHashSet<Integer> gids = new LinkedHashSet<>();
        gids.add(pw.gid);
        for (String[] f : groups) {
            if (!f[3].isEmpty() && List.of(f[3].split(",")).contains(pw.name)) {
                gids.add(number(f[2], "group"));
            }
        }
        if (gids.size() > 10) {
            throw new BuildUserException("failed to get list of supplementary groups for `" + pw.name + "'");
        }
        return new ArrayList<>(gids);
    }

    private List<String[]> table(String file, int minFields) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(etc.resolve(file), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", -1);
            if (f.length >= minFields) {
                rows.add(f);
            }
        }
        return rows;
    }

    private int number(String s, String file) throws BuildUserException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new BuildUserException("malformed id `" + s + "' in " + etc.resolve(file));
        }
    }
}
