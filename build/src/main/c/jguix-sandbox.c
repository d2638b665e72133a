/* jguix-sandbox: runs one guix builder in a chroot with private namespaces, exactly as
 * guix-daemon's DerivationGoal::startBuilder + spawn.cc's clone phases do.
 *
 *   jguix-sandbox - <SPEC
 *
 * The JVM cannot fork/unshare/setuid safely, so org.jguix.build.sandbox.SandboxRunner
 * starts this program (statically linked, found next to the jars) once per build.  It
 * does no policy: every decision (mounts, ids, environment...) is in SPEC, written
 * by org.jguix.build.sandbox.HelperSpecWriter from a BuildSpec.
 *
 * Three pipes, no files: the spec comes on stdin (read to its end first; a derivation's
 * environment can exceed ARG_MAX), stdout is the log (see "Output protocol"), and stderr is
 * the control channel, on which the monitor writes lines for the daemon:
 *   pid N                    the builder's pid (in its PID namespace's parent view, as
 *                            guix-daemon reports it), before the builder may print its
 *                            set-up line
 *   slirp N                  slirp4netns's pid, if it starts it
 *   exit N | signal N        how the builder ended, last
 * The monitor then points its own stderr at stdout, so that everything else it and the
 * builder print reaches the log as before.  (One file each for spec, pid and status cost a
 * create and an unlink per build, which ext4 without a journal makes slow: every inode
 * allocation then skips the inodes freed in the last seconds.)
 *
 * SPEC: records of NUL-terminated strings, a keyword then its fixed number of
 * arguments (read_spec); unknown keywords are an error:
 *   root DIR                 chroot directory (becomes /)
 *   bind TARGET SOURCE ro|rw bind mount, TARGET inside the sandbox (in mount order)
 *   proc | devshm | devpts   mount proc on /proc, tmpfs on /dev/shm, devpts on /dev/pts
 *   loopback                 bring lo up
 *   hostname NAME, domainname NAME
 *   uidmap MAP, gidmap MAP   new user namespace with these maps (written by the monitor)
 *   lockmounts               lock mounts in a nested user namespace (identity maps)
 *   setids UID GID G1,G2...  setgroups/setgid/setuid (build user)
 *   personality N, oom N     personality(2) value, /proc/self/oom_score_adj value
 *   rlimit RES SOFT HARD     setrlimit (RES: core cpu data fsize memlock nofile nproc
 *                            stack as locks; SOFT/HARD a number or "unlimited")
 *   cwd DIR, store DIR       working directory, store directory (builder must be in it)
 *   program PATH, arg A...   builder and argv (argv[0] first), env NAME=VALUE...
 *   enoexec-error MSG        error when exec fails with ENOEXEC (foreign platform)
 *   no-exec                  do not try exec, report ENOEXEC (foreign kernel)
 *   kill-user UID            once the builder has exited, kill every process of UID
 *                            (killUser, as --kill-user below) before writing the status
 *                            line: the daemon's kill after a build, without a second run
 *
 * Fixed-output network (build-environment.md §11; jguix-sandbox-net.c):
 *   tap 0|1                  phases setupTap (with IPv6 or not) and waitForSlirpReady
 *   route-localnet           phase enableRouteLocalnet
 *   slirp PROGRAM            start PROGRAM for the builder's tap device (argv: slirp-arg
 *   slirp-arg A              A..., argv[0] first; there the ready fd is 3, the tap fd 4)
 *   slirp-ids UID GID        ids that uid/gid 0 of slirp4netns's user namespace map to
 *   slirp-root DIR           directory to mount its tmpfs chroot on (daemon's TMPDIR)
 *   slirp-userns UMAP GMAP   non-root daemon: a user namespace with these maps
 *   slirp-seccomp            install guix's seccomp filter
 *
 * Without namespaces (modes D and B, spawn.cc getBasicSpawnPhases):
 *   plain                    fork only: no namespaces, no chroot (root, bind... unused)
 *   builtin                  exec PROGRAM as is (builtin:download's guix program); a
 *                            failure is "error: failed to run download program 'P': E"
 *   builtin-error MSG        print "error: MSG" after the set-up line, exit 1
 *
 *   jguix-sandbox --kill-user UID
 *
 * kills every process of UID, as guix-daemon's killUser: a child switches to UID and
 * sends SIGKILL to -1.  Exit 0, or 1 with a "jguix-sandbox:" line.
 *
 *   jguix-sandbox --server
 *
 * runs many builds, one monitor each, for a daemon that keeps it running (one fork per build
 * instead of a process start; see jguix-sandbox-server.c).
 *
 *   jguix-sandbox --kill-server
 *
 * the same for each line "UID" on stdin, answering "ok" or "error MESSAGE" on stdout, until
 * end-of-file: the daemon keeps one running for the kill before each build, which would
 * otherwise cost a process start (two exec, with the JDK's jspawnhelper) per build.
 *
 * Process structure: this process (the "monitor") clones the builder child into new
 * mount/net/pid/ipc/uts (+user) namespaces (none with "plain"), writes the child's id
 * maps (user namespace only), for a fixed-output build receives its tap fd and starts
 * slirp4netns, waits for the builder, kills slirp4netns and writes "exit N" or
 * "signal N" on the control channel.  SIGTERM,
 * SIGINT or SIGHUP to the monitor kill the child (PID 1 of its namespace, so the whole
 * tree); if the monitor is SIGKILLed, the child's parent-death signal does the same.
 *
 * Output protocol (guix-daemon's, build.cc): stdout and stderr are the log.  The child
 * writes one line before exec: empty on success, otherwise
 * "while setting up the child process: in phase P: MESSAGE".  Errors of the monitor
 * itself are "jguix-sandbox: MESSAGE" lines, exit status 1 and no status line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>
#include "jguix-sandbox.h"

struct spec S;
int sync_fd = -1, parent_fd = -1, ctl_fd = -1;
static volatile pid_t child_pid = -1, slirp_pid = -1;

void die_monitor(const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    fputs("jguix-sandbox: ", stderr); vfprintf(stderr, fmt, ap); fputc('\n', stderr);
    va_end(ap); exit(1);
}

void ctl_line(const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    if (ctl_fd >= 0) vdprintf(ctl_fd, fmt, ap);
    va_end(ap);
}

static long parse_long(const char *s, long max) {
    char *end; errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *s == 0 || *end || v < 0 || v > max) die_monitor("bad number `%s' in spec", s);
    return v;
}

static rlim_t parse_rlim(const char *s) {
    if (strcmp(s, "unlimited") == 0) return RLIM_INFINITY;
    char *end; errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *s == 0 || *end) die_monitor("bad limit `%s' in spec", s);
    return (rlim_t) v;
}

static int parse_resource(const char *s) {
    static const struct { const char *n; int r; } t[] = {
        {"core", RLIMIT_CORE}, {"cpu", RLIMIT_CPU}, {"data", RLIMIT_DATA}, {"fsize", RLIMIT_FSIZE},
        {"memlock", RLIMIT_MEMLOCK}, {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC},
        {"stack", RLIMIT_STACK}, {"as", RLIMIT_AS}, {"locks", RLIMIT_LOCKS}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) if (strcmp(s, t[i].n) == 0) return t[i].r;
    die_monitor("unknown resource `%s' in spec", s);
    return -1;
}

static void parse_groups(const char *s) {
    char buf[1024];
    if (strlen(s) >= sizeof buf) die_monitor("group list too long");
    strcpy(buf, s);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (S.ngroups == 64) die_monitor("too many supplementary groups");
        S.groups[S.ngroups++] = (gid_t) parse_long(t, INT_MAX);
    }
}

static void read_spec(int fd) {
    char *buf = malloc(MAX_SPEC + 1);
    if (!buf) die_monitor("out of memory");
    size_t len = 0; ssize_t n;
    while ((n = read(fd, buf + len, MAX_SPEC - len)) > 0 || (n < 0 && errno == EINTR)) if (n > 0) len += (size_t) n;
    if (n < 0) die_monitor("reading spec: %s", strerror(errno));
    if (len == MAX_SPEC) die_monitor("spec larger than %d bytes", MAX_SPEC);
    parse_spec(buf, len);
}

void parse_spec(char *buf, size_t len) {
    if (len == 0 || buf[len - 1] != 0) die_monitor("spec does not end with NUL");
    char *tok[4]; char *p = buf, *end = buf + len;
#define NEXT(i) do { if (p >= end) die_monitor("spec: `%s' lacks arguments", tok[0]); \
                     tok[i] = p; p += strlen(p) + 1; } while (0)
#define ARGS(k) for (int i_ = 1; i_ <= (k); i_++) NEXT(i_)
    while (p < end) {
        NEXT(0);
        const char *k = tok[0];
        if (!strcmp(k, "root")) { ARGS(1); S.root = tok[1]; }
        else if (!strcmp(k, "bind")) {
            ARGS(3);
            if (S.nbinds == MAX_ITEMS) die_monitor("too many bind mounts");
            if (tok[1][0] != '/') die_monitor("bind target `%s' not absolute", tok[1]);
            S.binds[S.nbinds++] = (struct bind){tok[1], tok[2], !strcmp(tok[3], "ro")};
        }
        else if (!strcmp(k, "proc")) S.proc = 1;
        else if (!strcmp(k, "devshm")) S.devshm = 1;
        else if (!strcmp(k, "devpts")) S.devpts = 1;
        else if (!strcmp(k, "loopback")) S.loopback = 1;
        else if (!strcmp(k, "lockmounts")) S.lockmounts = 1;
        else if (!strcmp(k, "hostname")) { ARGS(1); S.hostname = tok[1]; }
        else if (!strcmp(k, "domainname")) { ARGS(1); S.domainname = tok[1]; }
        else if (!strcmp(k, "uidmap")) { ARGS(1); S.uidmap = tok[1]; }
        else if (!strcmp(k, "gidmap")) { ARGS(1); S.gidmap = tok[1]; }
        else if (!strcmp(k, "setids")) {
            ARGS(3); S.setids = 1;
            S.uid = (uid_t) parse_long(tok[1], INT_MAX); S.gid = (gid_t) parse_long(tok[2], INT_MAX);
            parse_groups(tok[3]);
        }
        else if (!strcmp(k, "personality")) { ARGS(1); S.personality_set = 1; S.personality = (unsigned long) parse_long(tok[1], INT_MAX); }
        else if (!strcmp(k, "oom")) { ARGS(1); parse_long(tok[1], 1000); S.oom = tok[1]; }
        else if (!strcmp(k, "no-exec")) S.noexec = 1;
        else if (!strcmp(k, "rlimit")) {
            ARGS(3);
            if (S.nrlims == 16) die_monitor("too many rlimits");
            S.rlims[S.nrlims++] = (struct rlim){parse_resource(tok[1]), parse_rlim(tok[2]), parse_rlim(tok[3])};
        }
        else if (!strcmp(k, "cwd")) { ARGS(1); S.cwd = tok[1]; }
        else if (!strcmp(k, "store")) { ARGS(1); S.store = tok[1]; }
        else if (!strcmp(k, "program")) { ARGS(1); S.program = tok[1]; }
        else if (!strcmp(k, "arg")) { ARGS(1); if (S.nargs == MAX_ITEMS) die_monitor("too many args"); S.args[S.nargs++] = tok[1]; }
        else if (!strcmp(k, "env")) { ARGS(1); if (S.nenv == MAX_ITEMS) die_monitor("too many env"); S.env[S.nenv++] = tok[1]; }
        else if (!strcmp(k, "enoexec-error")) { ARGS(1); S.enoexec = tok[1]; }
        else if (!strcmp(k, "kill-user")) {
            ARGS(1); S.kill_uid = parse_long(tok[1], INT_MAX);
            if (S.kill_uid == 0) die_monitor("refusing to kill all processes of root");
        }
        else if (!strcmp(k, "plain")) S.plain = 1;
        else if (!strcmp(k, "builtin")) S.builtin = 1;
        else if (!strcmp(k, "builtin-error")) { ARGS(1); S.builtin_error = tok[1]; }
        else if (!strcmp(k, "tap")) { ARGS(1); S.tap = 1; S.tap_ipv6 = (int) parse_long(tok[1], 1); }
        else if (!strcmp(k, "route-localnet")) S.route_localnet = 1;
        else if (!strcmp(k, "slirp")) { ARGS(1); S.slirp = tok[1]; }
        else if (!strcmp(k, "slirp-arg")) {
            ARGS(1);
            if (S.nslirp_args == 64) die_monitor("too many slirp4netns arguments");
            S.slirp_args[S.nslirp_args++] = tok[1];
        }
        else if (!strcmp(k, "slirp-ids")) {
            ARGS(2);
            S.slirp_uid = (uid_t) parse_long(tok[1], INT_MAX); S.slirp_gid = (gid_t) parse_long(tok[2], INT_MAX);
        }
        else if (!strcmp(k, "slirp-root")) { ARGS(1); S.slirp_root = tok[1]; }
        else if (!strcmp(k, "slirp-userns")) { ARGS(2); S.slirp_uidmap = tok[1]; S.slirp_gidmap = tok[2]; }
        else if (!strcmp(k, "slirp-seccomp")) S.slirp_seccomp = 1;
        else die_monitor("unknown spec keyword `%s'", k);
    }
    if ((!S.root && !S.plain) || !S.cwd || !S.program || !S.store || S.nargs == 0)
        die_monitor("spec lacks root, cwd, program, store or arg");
    if (S.plain && (S.uidmap || S.tap || S.nbinds)) die_monitor("spec: plain excludes namespaces and mounts");
    if (S.tap != (S.slirp != NULL) || (S.slirp && (!S.slirp_root || S.nslirp_args == 0)))
        die_monitor("spec: tap needs slirp, slirp-root and slirp-arg");
    if ((S.uidmap == NULL) != (S.gidmap == NULL)) die_monitor("spec: uidmap and gidmap go together");
}


static void forward_kill(int sig) {
    (void) sig;
    /* Plain builders are not PID 1 of a namespace: kill their process group (setsid). */
    if (child_pid > 0 && S.plain) kill(-child_pid, SIGKILL);
    if (child_pid > 0) kill(child_pid, SIGKILL);
    if (slirp_pid > 0) kill(slirp_pid, SIGKILL);
}

static void write_map(const char *path, const char *content) {
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    ssize_t len = (ssize_t) strlen(content);
    if (fd < 0 || write(fd, content, (size_t) len) != len) die_monitor("writing `%s': %s", path, strerror(errno));
    close(fd);
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "--kill-user")) return kill_user(parse_long(argv[2], INT_MAX));
    if (argc == 2 && !strcmp(argv[1], "--kill-server")) return kill_server();
    if (argc >= 3 && !strcmp(argv[1], "--agent")) return agent_main(argv + 2);
    if (argc == 2 && !strcmp(argv[1], "--server")) return server_main();
    if (argc != 2 || strcmp(argv[1], "-") != 0)
        die_monitor("usage: jguix-sandbox - <SPEC | --server | --kill-user UID | --kill-server | --agent PROGRAM ARG...");
    /* stderr becomes the control channel; our messages and the builder's stderr go to the log. */
    ctl_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
    if (ctl_fd == -1 || dup2(1, 2) == -1) die_monitor("setting up the control channel: %s", strerror(errno));
    read_spec(0);
    return run_monitor();
}

/* The monitor, once the spec is parsed: stdout (and stderr) the log, ctl_fd the control channel. */
int run_monitor(void) {
    int sv[2] = {-1, -1};
    int flags = S.plain ? SIGCHLD : CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
    if (S.uidmap) flags |= CLONE_NEWUSER;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) die_monitor("creating setup socket: %s", strerror(errno));
    sync_fd = sv[1];
    parent_fd = sv[0];
    struct sigaction sa = {0};
    sa.sa_handler = forward_kill;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL); sigaction(SIGINT, &sa, NULL); sigaction(SIGHUP, &sa, NULL);
    static char stack[256 * 1024] __attribute__((aligned(16)));
    child_pid = clone(child_main, stack + sizeof stack, flags, NULL);
    if (child_pid == -1) {
        /* guix-daemon says just "clone: No space left on device"; say what it means and what to do
           (ENOSPC: user.max_user_namespaces is 0, EPERM: unprivileged user namespaces disabled). */
        if ((flags & CLONE_NEWUSER) && (errno == EPERM || errno == ENOSPC || errno == EUSERS || errno == EINVAL))
            die_monitor("cannot create a user namespace for the build (clone: %s): an unprivileged daemon, or a root "
                        "daemon without --build-users-group, builds in user namespaces; enable them (sysctls "
                        "user.max_user_namespaces, kernel.unprivileged_userns_clone) or run the daemon as root with "
                        "--build-users-group", strerror(errno));
        die_monitor("clone: %s", strerror(errno));
    }
    close(sv[1]);
    if (S.uidmap) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/uid_map", (int) child_pid); write_map(path, S.uidmap);
        snprintf(path, sizeof path, "/proc/%d/setgroups", (int) child_pid); write_map(path, "deny");
        snprintf(path, sizeof path, "/proc/%d/gid_map", (int) child_pid); write_map(path, S.gidmap);
    }
    ctl_line("pid %d\n", (int) child_pid);
    if (write(sv[0], "go\n", 3) != 3) die_monitor("writing to setup socket: %s", strerror(errno));
    if (S.tap) {
        /* The builder's tap fd, then slirp4netns with our end of the setup socket as its
           ready fd; closing ours leaves slirp4netns the only writer, so the builder sees
           end-of-file in waitForSlirpReady if it fails. */
        int tapfd = receive_tap(sv[0]);
        if (tapfd >= 0) {
            slirp_pid = spawn_slirp(tapfd, sv[0]);
            close(tapfd);
        }
    }
    close(sv[0]);
    int status;
    while (waitpid(child_pid, &status, 0) == -1)
        if (errno != EINTR) die_monitor("waiting for the builder: %s", strerror(errno));
    if (slirp_pid > 0) { /* killChild: slirp4netns (PID 1 of its namespace) goes with the build */
        kill(slirp_pid, SIGKILL);
        while (waitpid(slirp_pid, NULL, 0) == -1 && errno == EINTR) { }
    }
    /* The status line says the build user's processes are gone too: with kill-user, the
       daemon skips its own kill after the build (one process start less per build). */
    if (S.kill_uid > 0 && kill_user(S.kill_uid) != 0) die_monitor("killing the processes of uid %ld failed", S.kill_uid);
    if (WIFEXITED(status)) ctl_line("exit %d\n", WEXITSTATUS(status));
    else ctl_line("signal %d\n", WTERMSIG(status));
    return 0;
}
