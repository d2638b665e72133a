/* The builder's set-up phases, in guix-daemon's order (spawn.cc getCloneSpawnPhases with
 * build.cc's insertions); each failure is reported as
 * "while setting up the child process: in phase LABEL: MESSAGE" like runChildSetup. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>
#include "jguix-sandbox.h"

const char *phase = "init";

/* Child failure: guix-daemon's runChildSetup message, then _exit(1). */
void fail(int err, const char *fmt, ...) {
    char msg[8192]; va_list ap; va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap); va_end(ap);
    if (err) dprintf(2, "while setting up the child process: in phase %s: %s: %s\n", phase, msg, strerror(err));
    else dprintf(2, "while setting up the child process: in phase %s: %s\n", phase, msg);
    _exit(1);
}

/* ---- file helpers (spawn.cc: createDirs, bindMount) ---- */

/* out (PATH_MAX bytes) = a + b; too long is a failure, never a truncation. */
static void join(char *out, const char *a, const char *b) {
    if (snprintf(out, PATH_MAX, "%s%s", a, b) >= PATH_MAX) fail(ENAMETOOLONG, "`%s%s'", a, b);
}

void create_dirs(const char *path) {
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int) sizeof buf) fail(0, "path too long: `%s'", path);
    for (char *s = buf + 1; ; s++) {
        if (*s == '/' || *s == 0) {
            char c = *s; *s = 0;
            struct stat st;
            if (lstat(buf, &st) == -1) {
                if (errno != ENOENT) fail(errno, "getting status of `%s'", buf);
                if (mkdir(buf, 0777) == -1 && errno != EEXIST) fail(errno, "creating directory `%s'", buf);
            } else if (!S_ISDIR(st.st_mode)) fail(0, "`%s' is not a directory", buf);
            *s = c;
            if (c == 0) break;
        }
    }
}

static void dir_of(const char *path, char *out) {
    join(out, path, "");
    char *slash = strrchr(out, '/');
    if (slash == out) out[1] = 0; else if (slash) *slash = 0;
}

static unsigned long statvfs_to_mount_flags(unsigned long f) {
    unsigned long r = 0;
    if (f & ST_RDONLY) r |= MS_RDONLY;
    if (f & ST_NOSUID) r |= MS_NOSUID;
    if (f & ST_NODEV) r |= MS_NODEV;
    if (f & ST_NOEXEC) r |= MS_NOEXEC;
    if (f & ST_NOATIME) r |= MS_NOATIME;
    if (f & ST_NODIRATIME) r |= MS_NODIRATIME;
    if (f & ST_RELATIME) r |= MS_RELATIME;
    return r;
}

void bind_mount(const char *source, const char *target, int ro) {
    struct stat st;
    char dir[PATH_MAX];
    if (lstat(source, &st) == -1) fail(errno, "getting attributes of path `%s'", source);
    if (S_ISDIR(st.st_mode)) create_dirs(target);
    else if (S_ISLNK(st.st_mode)) {
        char link[PATH_MAX]; ssize_t n = readlink(source, link, sizeof link - 1);
        if (n < 0) fail(errno, "reading symbolic link `%s'", source);
        link[n] = 0;
        dir_of(target, dir); create_dirs(dir);
        if (symlink(link, target) == -1) fail(errno, "creating symlink from `%s' to `%s'", target, link);
        return;
    } else {
        dir_of(target, dir); create_dirs(dir);
        for (;;) {
            struct stat st2;
            if (lstat(target, &st2) != -1) {
                if (!S_ISREG(st2.st_mode)) fail(0, "mount target `%s' exists but is not a regular file", target);
                break;
            }
            if (errno != ENOENT) fail(errno, "stat'ing path `%s'", target);
            int fd = open(target, O_WRONLY | O_NOFOLLOW | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd != -1) { close(fd); break; }
            if (errno != EEXIST) fail(errno, "Creating placeholder regular file target mount `%s'", target);
        }
    }
    if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) == -1)
        fail(errno, "bind mount from `%s' to `%s' failed", source, target);
    if (ro) {
        struct statvfs sv;
        if (statvfs(target, &sv) == -1) fail(errno, "statvfs of `%s'", target);
        unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | statvfs_to_mount_flags(sv.f_flag);
        if (mount(source, target, NULL, flags, NULL) == -1) fail(errno, "read-only remount of `%s' failed", target);
    }
}

/* Returns 0, or an errno value. */
int write_file(const char *path, const char *content) {
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return errno;
    ssize_t len = (ssize_t) strlen(content);
    int e = write(fd, content, (size_t) len) == len ? 0 : (errno ? errno : EIO);
    close(fd);
    return e;
}

/* waitForMessage (util.cc). */
void wait_for(int fd, const char *msg) {
    size_t len = strlen(msg); char buf[16] = {0}; size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n == 0) fail(0, "unexpected end-of-file");
        if (n < 0) { if (errno == EINTR) continue; fail(errno, "reading from setup socket"); }
        got += (size_t) n;
    }
    if (memcmp(buf, msg, len) != 0) fail(0, "did not receive message '%s' on file descriptor %d", msg, fd);
}

/* lockMountsAction with lockMountsMapAll: a new user + mount namespace whose id maps are
 * the identity of the current ones ("30001 30001 1"), written by a helper process that
 * stays in the current user namespace (unshareAndInitUserns).  Afterwards the mounts are
 * locked together: umount("/proc") must fail with EINVAL. */
static void identity_map(const char *file, char *out, size_t size) {
    char buf[1024]; int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(errno, "opening `%s'", file);
    ssize_t n = read(fd, buf, sizeof buf - 1); close(fd);
    if (n < 0) fail(errno, "reading `%s'", file);
    buf[n] = 0; out[0] = 0;
    for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned long inside, outside, count;
        if (sscanf(line, "%lu %lu %lu", &inside, &outside, &count) != 3) fail(0, "bad id map line `%s'", line);
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%lu %lu %lu\n", inside, inside, count);
    }
}

void unshare_userns(int flags, const char *uidmap, const char *gidmap, int allow_setgroups) {
    char path[64];
    int to[2], from[2];
    if (pipe2(to, O_CLOEXEC) == -1 || pipe2(from, O_CLOEXEC) == -1) fail(errno, "creating pipes");
    pid_t self = getpid();
    pid_t helper = fork();
    if (helper == -1) fail(errno, "creating child process");
    if (helper == 0) {
        char c;
        if (read(to[0], &c, 1) != 1) _exit(1);
        snprintf(path, sizeof path, "/proc/%d/uid_map", (int) self);
        if (write_file(path, uidmap)) _exit(1);
        snprintf(path, sizeof path, "/proc/%d/setgroups", (int) self);
        if (write_file(path, allow_setgroups ? "allow" : "deny")) _exit(1);
        snprintf(path, sizeof path, "/proc/%d/gid_map", (int) self);
        if (write_file(path, gidmap)) _exit(1);
        if (write(from[1], "g", 1) != 1) _exit(1);
        _exit(0);
    }
    if (unshare(flags | CLONE_NEWUSER) == -1) fail(errno, "unshare");
    if (write(to[1], "r", 1) != 1) fail(errno, "writing to userns init process");
    char c; int status;
    if (read(from[0], &c, 1) != 1) fail(0, "unexpected end-of-file");
    while (waitpid(helper, &status, 0) == -1) if (errno != EINTR) fail(errno, "reaping userns init process");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail(0, "userns init child exited with status %d", WEXITSTATUS(status));
    close(to[0]); close(to[1]); close(from[0]); close(from[1]);
}

void lock_mounts(int allow_setgroups) {
    char uidmap[1024], gidmap[1024];
    identity_map("/proc/self/uid_map", uidmap, sizeof uidmap);
    identity_map("/proc/self/gid_map", gidmap, sizeof gidmap);
    unshare_userns(CLONE_NEWNS, uidmap, gidmap, allow_setgroups);
    if (umount("/proc") != -1 || errno != EINVAL) fail(0, "mounts are not locked: umount(/proc) did not fail with EINVAL");
}

/* pivotRootAction: ROOT becomes / (it must be a mount point).  guix-daemon pivots onto a
 * "real-root" directory it creates and removes; pivot_root(".", ".") stacks the old root on
 * the new one instead (pivot_root(2)), which the detaching unmount then removes, so no inode is
 * allocated and freed per build (see ChrootSkeleton.java for why that matters). */
void pivot_into(const char *root) {
    if (chdir(root) == -1) fail(errno, "cannot change directory to '%s'", root);
    if (syscall(SYS_pivot_root, ".", ".") == -1) fail(errno, "cannot pivot old root directory onto '%s'", root);
    if (umount2(".", MNT_DETACH) == -1) fail(errno, "cannot unmount real root filesystem");
    if (chroot(".") == -1) fail(errno, "cannot change root directory to '%s'", root);
    if (chdir("/") == -1) fail(errno, "cannot change directory to '/'");
}

/* The monitor's handlers and the JVM's ignored signals must not leak into builds. */
void reset_signals(void) {
    struct sigaction dfl = {0}; dfl.sa_handler = SIG_DFL; sigemptyset(&dfl.sa_mask);
    for (int sig = 1; sig < NSIG; sig++) if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, NULL);
    sigset_t none; sigemptyset(&none); sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* canonPath(path, true) of libutil/util.cc, messages included.  Returns 0 or -1 (errno
 * set, culprit in *what). */
static int canon_path(const char *path, char *out, size_t size, char *what, size_t wsize) {
    char todo[PATH_MAX * 2], s[PATH_MAX] = "";
    int follow = 0;
    if (path[0] != '/') { snprintf(what, wsize, "not an absolute path: `%s'", path); errno = 0; return -1; }
    snprintf(todo, sizeof todo, "%s", path);
    char *i = todo;
    for (;;) {
        while (*i == '/') i++;
        if (!*i) break;
        if (i[0] == '.' && (i[1] == 0 || i[1] == '/')) { i++; continue; }
        if (i[0] == '.' && i[1] == '.' && (i[2] == 0 || i[2] == '/')) {
            char *slash = strrchr(s, '/'); if (slash) *slash = 0;
            i += 2; continue;
        }
        size_t len = strlen(s), c = strcspn(i, "/");
        if (len + 1 + c >= sizeof s) { snprintf(what, wsize, "path too long"); errno = ENAMETOOLONG; return -1; }
        s[len] = '/'; memcpy(s + len + 1, i, c); s[len + 1 + c] = 0; i += c;
        struct stat st;
        if (lstat(s, &st) == -1) { snprintf(what, wsize, "getting status of `%s'", s); return -1; }
        if (S_ISLNK(st.st_mode)) {
            char link[PATH_MAX], next[PATH_MAX * 2];
            if (++follow >= 1024) { snprintf(what, wsize, "infinite symlink recursion in path `%s'", path); errno = 0; return -1; }
            ssize_t n = readlink(s, link, sizeof link - 1);
            if (n < 0) { snprintf(what, wsize, "reading symbolic link `%s'", s); return -1; }
            link[n] = 0;
            if (link[0] == '/') snprintf(next, sizeof next, "%s%s", link, i);
            else { char *slash = strrchr(s, '/'); *slash = 0; snprintf(next, sizeof next, "%s/%s%s", s, link, i); }
            snprintf(todo, sizeof todo, "%s", next); i = todo; s[0] = 0;
        }
    }
    snprintf(out, size, "%s", s[0] ? s : "/");
    return 0;
}

/* execBuilderOrBuiltin's last step. */
static void exec_builder(void) {
    S.args[S.nargs] = NULL; S.env[S.nenv] = NULL;
    if (S.builtin_error) { dprintf(2, "error: %s\n", S.builtin_error); _exit(1); }
    if (S.builtin) {
        /* builtins.cc:builtinDownload: execv the guix program; errors go to the log. */
        execve(S.program, S.args, S.env);
        dprintf(2, "error: failed to run download program '%s': %s\n", S.program, strerror(errno));
        _exit(1);
    }
    char program[PATH_MAX], what[PATH_MAX + 64];
    if (canon_path(S.program, program, sizeof program, what, sizeof what) == -1) fail(errno, "%s", what);
    size_t n = strlen(S.store);
    if (!(strncmp(program, S.store, n) == 0 && program[n] == '/' && program[n + 1]))
        fail(0, "derivation builder `%s' is outside the store", program);
    if (S.noexec) errno = ENOEXEC;
    else execve(program, S.args, S.env);
    if (errno == ENOEXEC && S.enoexec) fail(0, "%s", S.enoexec);
    fail(errno, "executing `%s'", S.program);
}

/* closeMostFDs .. exec, shared by the clone phases and the basic ones. */
static void final_phases(void) {
    phase = "closeMostFDs";
    if (syscall(SYS_close_range, 3U, ~0U, 0U) == -1)
        for (int f = 3; f < 65536; f++) close(f);

    phase = "setPersonality";
    if (S.personality_set && personality(S.personality) == -1) fail(errno, "cannot set personality");

    phase = "oomSacrifice";
    if (S.oom) (void) write_file("/proc/self/oom_score_adj", S.oom); /* errors ignored, like guix */

    phase = "lockMounts";
    if (S.lockmounts) lock_mounts(0);

    phase = "setRlimits"; /* jguix: undo the JVM's raised limits (the daemon's own values) */
    for (int r = 0; r < S.nrlims; r++) {
        struct rlimit rl = {S.rlims[r].soft, S.rlims[r].hard};
        if (setrlimit(S.rlims[r].resource, &rl) == -1) fail(errno, "setting resource limit %d", S.rlims[r].resource);
    }

    phase = "setIDs";
    if (S.setids) {
        if (setgroups((size_t) S.ngroups, S.groups) == -1) fail(errno, "cannot set supplementary groups");
        if (setgid(S.gid) == -1 || getgid() != S.gid || getegid() != S.gid) fail(errno, "setgid failed");
        if (setuid(S.uid) == -1 || getuid() != S.uid || geteuid() != S.uid) fail(errno, "setuid failed");
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* cleared by the credential change */
    }

    phase = "setupSuccess";
    if (write(2, "\n", 1) != 1) _exit(1);

    phase = "exec";
    exec_builder();
}

/* The first phases of both phase lists (spawn.cc): new session, stdin from /dev/null,
   no ambient capabilities. */
static void first_phases(void) {
    phase = "setsid";
    if (setsid() == -1) fail(errno, "creating a new session");

    phase = "earlyIOSetup";
    int fd = open("/dev/null", O_RDWR);
    if (fd == -1) fail(errno, "cannot open `/dev/null'");
    if (dup2(fd, 0) == -1) fail(errno, "cannot dup2 fd into stdin fd");
    if (fd != 0) close(fd);

    phase = "dropAmbientCapabilities";
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

/* getBasicSpawnPhases (modes D and B): no namespaces, no chroot. */
static int plain_child(void) {
    first_phases();

    phase = "chdir";
    if (chdir(S.cwd) == -1) fail(errno, "changing into `%s'", S.cwd);

    final_phases();
    return 1;
}

int child_main(void *arg) {
    (void) arg;
    char path[PATH_MAX];
    reset_signals();
    close(parent_fd);

    /* Always wait: the monitor writes the id maps (user namespace) and the pid file
       before the builder may print its set-up line. */
    phase = "usernsInitSync";
    wait_for(sync_fd, "go\n");
    if (S.plain) {
        close(sync_fd);
        return plain_child();
    }

    first_phases();

    phase = "initLoopback";
    if (S.loopback) {
        int s = socket(PF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_IP);
        if (s == -1) fail(errno, "cannot open IP socket");
        struct ifreq ifr; memset(&ifr, 0, sizeof ifr);
        strcpy(ifr.ifr_name, "lo");
        ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
        if (ioctl(s, SIOCSIFFLAGS, &ifr) == -1) fail(errno, "cannot set loopback interface flags");
        close(s);
    }
    if (S.tap) {
        phase = "setupTap";
        setup_tap();
        phase = "waitForSlirpReady";
        wait_for(sync_fd, "1");
        if (S.route_localnet) {
            /* enableRouteLocalnetAction: packets from the host loopback (through slirp)
               are accepted; this is the build's own network namespace. */
            phase = "enableRouteLocalnet";
            const char *rl = "/proc/sys/net/ipv4/conf/all/route_localnet";
            struct stat rs;
            int e;
            if (lstat(rl, &rs) == 0 && (e = write_file(rl, "1"))) fail(e, "writing file '%s'", rl);
        }
    }
    close(sync_fd);

    phase = "setHostAndDomain";
    if (S.hostname && sethostname(S.hostname, strlen(S.hostname)) == -1) fail(errno, "cannot set host name");
    if (S.domainname && setdomainname(S.domainname, strlen(S.domainname)) == -1) fail(errno, "cannot set domain name");

    phase = "makeFilesystemsPrivate";
    if (mount(0, "/", 0, MS_REC | MS_PRIVATE, 0) == -1) fail(errno, "unable to make `/' private mount");

    phase = "makeChrootSeparateFilesystem";
    if (mount(S.root, S.root, 0, MS_BIND, 0) == -1) fail(errno, "unable to bind mount `%s'", S.root);

    phase = "mountIntoChroot";
    for (int b = 0; b < S.nbinds; b++) {
        join(path, S.root, S.binds[b].target);
        bind_mount(S.binds[b].source, path, S.binds[b].ro);
    }

    phase = "mountProc";
    if (S.proc) {
        join(path, S.root, "/proc"); create_dirs(path);
        if (mount("none", path, "proc", 0, 0) == -1) fail(errno, "mounting `%s'", path);
    }
    phase = "mountDevshm";
    if (S.devshm) {
        join(path, S.root, "/dev/shm"); create_dirs(path);
        if (mount("none", path, "tmpfs", 0, 0) == -1) fail(errno, "mounting `%s'", path);
    }
    phase = "mountDevpts";
    join(path, S.root, "/dev/ptmx");
    struct stat st;
    if (S.devpts && lstat(path, &st) == -1) {
        char pts[PATH_MAX];
        join(pts, S.root, "/dev/pts"); create_dirs(pts);
        if (mount("none", pts, "devpts", 0, "newinstance,mode=0620") == -1) fail(errno, "mounting `%s'", pts);
        if (symlink("/dev/pts/ptmx", path) == -1) fail(errno, "creating symlink `%s'", path);
        join(pts, S.root, "/dev/pts/ptmx");
        if (chmod(pts, 0666) == -1) fail(errno, "setting permissions on `%s'", pts);
    }

    phase = "chroot";
    pivot_into(S.root);

    phase = "clearRootWritePerms";
    if (chmod("/", 0555) == -1) fail(errno, "changing mode of `/'");

    phase = "chdir";
    if (chdir(S.cwd) == -1) fail(errno, "changing into `%s'", S.cwd);

    final_phases();
    return 1;
}
