package org.jguix.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import jnr.posix.Group;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;

/**
 * The few POSIX facts the daemon needs about its host: its ids, its umask, user and group names.
 *
 * <p>Why not jnr-posix for all of it, as before: jnr builds its bindings at run time (ASM-generated
 * classes and native stubs, which no start-up cache can keep), about 0.35 s of the daemon's ~1 s start
 * on the 2-core VM. Ids and umask come from {@code /proc/self/status}; names from the {@code passwd}
 * and {@code group} files, first match, as a files-only NSS answers (like the build user pool). Only
 * what those cannot answer goes to jnr-posix, loaded then: a umask other than 022 (the launcher sets
 * it before exec), and users or groups known to NSS but not to the files (LDAP and the like), so
 * guix-daemon's {@code getpwuid}/{@code getpwnam}/{@code getgrnam} answers are kept.
 */
final class PosixHost {
    private final int uid;
    private final int euid;
    private final int egid;
    private final int umask;
    private final Path etc;

    private PosixHost(int uid, int euid, int egid, int umask, Path etc) {
        this.uid = uid;
        this.euid = euid;
        this.egid = egid;
        this.umask = umask;
        this.etc = etc;
    }

    /** This process, from {@code /proc/self/status}; names from {@code /etc}. */
    static PosixHost current() {
        List<String> status;
        try {
            status = Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            status = List.of();
        }
        return of(status, Path.of("/etc"));
    }

    /** From the lines of a {@code /proc/PID/status}, with {@code passwd} and {@code group} in {@code etc}. */
    static PosixHost of(List<String> status, Path etc) {
        String[] uids = field(status, "Uid:");
        String[] gids = field(status, "Gid:");
        String[] mask = field(status, "Umask:");
        if (uids.length < 2 || gids.length < 2) {
            // no procfs: ask libc
            POSIX p = Jnr.POSIX;
            return new PosixHost(p.getuid(), p.geteuid(), p.getegid(), -1, etc);
        }
        return new PosixHost(Integer.parseInt(uids[0]), Integer.parseInt(uids[1]), Integer.parseInt(gids[1]),
                mask.length > 0 ? Integer.parseInt(mask[0], 8) : -1, etc);
    }

    private static String[] field(List<String> status, String name) {
        for (String line : status) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).strip().split("\\s+");
            }
        }
        return new String[0];
    }

    int uid() {
        return uid;
    }

    int euid() {
        return euid;
    }

    int egid() {
        return egid;
    }

    /** The umask {@code /proc} reported (-1 if it did not). */
    int umask() {
        return umask;
    }

    /** {@code umask(022)}, through libc only if the umask is not 022 already. */
    void umask022() {
        if (umask != 022) {
            Jnr.POSIX.umask(022);
        }
    }

    /** {@code getpwuid(uid)->pw_name}. */
    Optional<String> userName(long id) {
        for (String[] f : entries("passwd")) {
            if (f.length > 2 && f[2].equals(Long.toString(id))) {
                return Optional.of(f[0]);
            }
        }
        Passwd pw = Jnr.POSIX.getpwuid((int) id);
        return pw == null || pw.getLoginName() == null ? Optional.empty() : Optional.of(pw.getLoginName());
    }

    /** {@code getpwnam(name)->pw_uid}. */
    OptionalLong userId(String name) {
        for (String[] f : entries("passwd")) {
            if (f.length > 2 && f[0].equals(name)) {
                return parse(f[2]).map(OptionalLong::of).orElseGet(OptionalLong::empty);
            }
        }
        Passwd pw = Jnr.POSIX.getpwnam(name);
        return pw == null ? OptionalLong.empty() : OptionalLong.of(pw.getUID());
    }

    /** {@code getgrnam(name)->gr_gid}. */
    OptionalInt groupId(String name) {
        for (String[] f : entries("group")) {
            if (f.length > 2 && f[0].equals(name)) {
                return parse(f[2]).map(g -> OptionalInt.of((int) (long) g)).orElseGet(OptionalInt::empty);
            }
        }
        Group g = Jnr.POSIX.getgrnam(name);
        return g == null ? OptionalInt.empty() : OptionalInt.of((int) g.getGID());
    }

    private static Optional<Long> parse(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private List<String[]> entries(String file) {
        try {
            return Files.readAllLines(etc.resolve(file), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("+") && !l.startsWith("-"))
                    .map(l -> l.split(":", -1)).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** jnr-posix, initialised on first use only (see the class comment). */
    private static final class Jnr {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }
}
