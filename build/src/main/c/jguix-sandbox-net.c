/* Network of fixed-output builds, as guix-daemon 1.5.0 gives it (build.cc: setupTap,
 * spawnSlirp4netns, prepareSlirpChrootAction, remapIdsTo0Action, slirpSeccompFilter):
 * the builder keeps its own network namespace, creates tap0 in it and hands the tap fd
 * to the monitor, which starts slirp4netns on it in the daemon's network namespace but
 * in new mount/pid/ipc/uts (+user) namespaces, in a read-only chroot, as "root" of a user
 * namespace mapped to the build user, under a seccomp filter that only lets it open
 * AF_INET/AF_INET6 sockets (no abstract unix sockets of the host's namespace).  Its
 * readiness byte "1" goes straight to the builder on the setup socket. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/if_tun.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <grp.h>
#include <unistd.h>
#include "jguix-sandbox.h"

extern char **environ;

/* <linux/ipv6.h>'s struct in6_ifreq (that header clashes with <netinet/in.h>). */
struct in6_ifreq_ { struct in6_addr addr; unsigned int prefixlen; int ifindex; };

static void pton(int af, const char *s, void *dst) {
    if (inet_pton(af, s, dst) != 1) fail(0, "inet_pton failed");
}

/* ---- builder side ---- */

void setup_tap(void) {
    struct ifreq ifr;
    struct in6_ifreq_ ifr6;
    char tapname[] = "tap0";
    int tapfd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (tapfd < 0) fail(errno, "opening `/dev/net/tun'");
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strncpy(ifr.ifr_name, tapname, sizeof ifr.ifr_name - 1);
    if (ioctl(tapfd, TUNSETIFF, (void *) &ifr) < 0) fail(errno, "TUNSETIFF");
    /* No duplicate address detection, no router advertisements (guix's reasons: no
       waiting for "tentative" addresses; no IPv6 route from slirp without host IPv6). */
    const char *dad = "/proc/sys/net/ipv6/conf/tap0/accept_dad", *ra = "/proc/sys/net/ipv6/conf/tap0/accept_ra";
    int e;
    if ((e = write_file(dad, "0"))) fail(e, "writing file '%s'", dad);
    if ((e = write_file(ra, "0"))) fail(e, "writing file '%s'", ra);

    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) fail(errno, "creating socket");
    int sock6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock6 < 0) fail(errno, "creating ipv6 socket");
    if (ioctl(sock, SIOCGIFINDEX, &ifr) < 0) fail(errno, "getting tap0 ifindex");
    int ifindex = ifr.ifr_ifindex;
    ifr.ifr_flags = IFF_UP | IFF_RUNNING;
    if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) fail(errno, "setting flags for tap0");
    ifr.ifr_mtu = 1500; /* slirp4netns's default */
    if (ioctl(sock, SIOCSIFMTU, &ifr) < 0) fail(errno, "setting MTU for tap0");

    /* slirp4netns's defaults: 10.0.2.0/24 and fd00::/64, gateway .2/::2, DNS .3;
       guix picks the guest addresses 10.0.2.100, fd00::80 and fe80::80. */
    struct sockaddr_in *sai = (struct sockaddr_in *) &ifr.ifr_addr;
    sai->sin_family = AF_INET;
    sai->sin_port = 0;
    pton(AF_INET, "10.0.2.100", &sai->sin_addr);
    if (ioctl(sock, SIOCSIFADDR, &ifr) < 0) fail(errno, "setting tap0 address");
    if (S.tap_ipv6) {
        pton(AF_INET6, "fd00::80", &ifr6.addr);
        ifr6.prefixlen = 64;
        ifr6.ifindex = ifindex;
        if (ioctl(sock6, SIOCSIFADDR, &ifr6) < 0) fail(errno, "setting tap0 ipv6 address");
    }
    pton(AF_INET6, "fe80::80", &ifr6.addr);
    ifr6.prefixlen = 64;
    ifr6.ifindex = ifindex;
    if (ioctl(sock6, SIOCSIFADDR, &ifr6) < 0) fail(errno, "setting tap0 link-local ipv6 address");
    pton(AF_INET, "255.255.255.0", &sai->sin_addr);
    if (ioctl(sock, SIOCSIFNETMASK, &ifr) < 0) fail(errno, "setting tap0 network mask");

    struct rtentry route;
    memset(&route, 0, sizeof route);
    sai = (struct sockaddr_in *) &route.rt_gateway;
    sai->sin_family = AF_INET;
    pton(AF_INET, "10.0.2.2", &sai->sin_addr);
    sai = (struct sockaddr_in *) &route.rt_dst;
    sai->sin_family = AF_INET;
    sai->sin_addr.s_addr = htonl(INADDR_ANY);
    sai = (struct sockaddr_in *) &route.rt_genmask;
    sai->sin_family = AF_INET;
    sai->sin_addr.s_addr = htonl(INADDR_ANY);
    route.rt_flags = RTF_UP | RTF_GATEWAY;
    route.rt_dev = tapname;
    if (ioctl(sock, SIOCADDRT, &route) < 0) fail(errno, "setting tap0 as default route");

    struct in6_rtmsg route6;
    memset(&route6, 0, sizeof route6);
    pton(AF_INET6, "fd00::2", &route6.rtmsg_gateway);
    if (S.tap_ipv6) {
        route6.rtmsg_dst = in6addr_any; /* default route via slirp4netns */
        route6.rtmsg_dst_len = 0;
        route6.rtmsg_flags = RTF_UP | RTF_GATEWAY;
    } else {
        pton(AF_INET6, "fd00::2", &route6.rtmsg_dst); /* only the host loopback */
        route6.rtmsg_dst_len = 128;
        route6.rtmsg_flags = RTF_UP;
    }
    route6.rtmsg_ifindex = ifindex;
    route6.rtmsg_metric = 1;
    if (ioctl(sock6, SIOCADDRT, &route6) < 0) fail(errno, "setting tap0 as default ipv6 route");
    close(sock); close(sock6);

    /* sendFD (util.cc): one NUL byte carrying the fd. */
    char dummy = 0, cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {&dummy, 1};
    struct msghdr msg = {0};
    msg.msg_iov = &iov; msg.msg_iovlen = 1;
    msg.msg_control = cbuf; msg.msg_controllen = sizeof cbuf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &tapfd, sizeof(int));
    msg.msg_controllen = c->cmsg_len;
    ssize_t rc;
    do rc = sendmsg(sync_fd, &msg, 0); while (rc < 0 && errno == EINTR);
    if (rc < 0) fail(errno, "sending fd");
    close(tapfd);
}

/* ---- monitor side ---- */

int receive_tap(int sock) {
    char dummy, cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {&dummy, 1};
    struct msghdr msg = {0};
    msg.msg_iov = &iov; msg.msg_iovlen = 1;
    msg.msg_control = cbuf; msg.msg_controllen = sizeof cbuf;
    ssize_t rc;
    do rc = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC); while (rc < 0 && errno == EINTR);
    if (rc <= 0) return -1; /* the builder failed before setupTap finished */
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c == NULL || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

/* ---- slirp4netns's seccomp filter (slirpSeccompFilter, seccomp.hh) ---- */

#if defined(__x86_64__) && !defined(__ILP32__)
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_X86_64
static const unsigned ranges[][2] = {{0, 335}, {424, 466}};
#elif defined(__aarch64__)
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_AARCH64
static const unsigned ranges[][2] = {{0, 243}, {260, 294}, {424, 466}};
#endif

#ifdef AUDIT_ARCH_NATIVE
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define DENY RET(SECCOMP_RET_ERRNO | ENOSYS)
#define ARG0 offsetof(struct seccomp_data, args[0])

/* socket/socketpair: allow if args[0] (64 bits) is AF_INET or AF_INET6, else return
   DENIED (socketpair fakes success: slirp4netns insists on one it never uses). */
static int inet_only(struct sock_filter *f, unsigned nr, unsigned denied) {
    struct sock_filter b[] = {
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 7),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0 + 4), /* little-endian: high word */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 0, 1),
        RET(SECCOMP_RET_ALLOW),
        RET(denied),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    };
    memcpy(f, b, sizeof b);
    return sizeof b / sizeof b[0];
}

static void install_seccomp(void) {
    struct sock_filter f[64];
    int n = 0;
    f[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_NATIVE, 1, 0);
    f[n++] = (struct sock_filter) DENY; /* foreign ABI */
    f[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    n += inet_only(f + n, __NR_socket, SECCOMP_RET_ERRNO | ENOSYS);
    n += inet_only(f + n, __NR_socketpair, SECCOMP_RET_ERRNO | 0);
    f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ptrace, 0, 1);
    f[n++] = (struct sock_filter) DENY;
    /* Known syscalls only: numbers added to the kernel later are refused. */
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, ranges[r][0], 0, 2);
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, ranges[r][1], 1, 0);
        f[n++] = (struct sock_filter) RET(SECCOMP_RET_ALLOW);
    }
    f[n++] = (struct sock_filter) DENY;
    struct sock_fprog prog = {(unsigned short) n, f};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1) fail(errno, "installing seccomp filter");
}
#else
static void install_seccomp(void) {
    fail(0, "setting seccomp filter not supported on this system");
}
#endif

/* ---- slirp4netns's chroot (prepareSlirpChrootAction, guix 1.5.0) ---- */

struct entry { char *path; };

static int by_path(const void *a, const void *b) {
    return strcmp(((const struct entry *) a)->path, ((const struct entry *) b)->path);
}

static struct entry *entries;
static int nentries;

static void add_entry(const char *path) {
    for (int i = 0; i < nentries; i++) if (!strcmp(entries[i].path, path)) return;
    if (nentries == MAX_ITEMS) fail(0, "too many mounts for the slirp4netns chroot");
    char *copy = strdup(path);
    if (!copy) fail(ENOMEM, "preparing the slirp4netns chroot");
    entries[nentries++].path = copy;
}

/* Field 5 of a mountinfo line, \ooo escapes decoded. */
static int mount_point(char *line, char *out, size_t size) {
    char *f = line;
    for (int i = 0; i < 4; i++) { f = strchr(f, ' '); if (!f) return -1; f++; }
    size_t o = 0;
    for (; *f && *f != ' ' && o + 1 < size; f++) {
        if (f[0] == '\\' && f[1] >= '0' && f[1] <= '7' && f[2] && f[3]) {
            out[o++] = (char) (((f[1] - '0') << 6) | ((f[2] - '0') << 3) | (f[3] - '0'));
            f += 3;
        } else out[o++] = *f;
    }
    out[o] = 0;
    return 0;
}

/* Every mount point (but /, /etc..., /run..., and what is under the chroot directory —
   plain string prefixes, as in guix), /etc/resolv.conf and /etc/hosts, and every entry of
   / but /etc and /run, all read-only; an empty /run. */
static void prepare_slirp_chroot(const char *root) {
    entries = calloc(MAX_ITEMS, sizeof *entries);
    if (!entries) fail(ENOMEM, "preparing the slirp4netns chroot");
    FILE *mi = fopen("/proc/self/mountinfo", "re");
    if (!mi) fail(errno, "reading file `/proc/self/mountinfo'");
    char line[8192], fs[PATH_MAX];
    size_t rootlen = strlen(root);
    while (fgets(line, sizeof line, mi)) {
        if (mount_point(line, fs, sizeof fs) == -1) fail(0, "bad line in `/proc/self/mountinfo'");
        if (!strcmp(fs, "/") || !strncmp(fs, "/etc", 4) || !strncmp(fs, "/run", 4) || !strncmp(fs, root, rootlen))
            continue;
        struct stat st;
        if (stat(fs, &st) != 0) {
            if (errno == EACCES) continue;
            fail(errno, "stat of `%s'", fs);
        }
        add_entry(fs);
    }
    fclose(mi);
    struct stat st;
    if (lstat("/etc/resolv.conf", &st) == 0) add_entry("/etc/resolv.conf");
    if (lstat("/etc/hosts", &st) == 0) add_entry("/etc/hosts");
    DIR *d = opendir("/");
    if (!d) fail(errno, "opening directory `/'");
    for (struct dirent *e; (e = readdir(d)); ) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (!strcmp(e->d_name, "etc") || !strcmp(e->d_name, "run")) continue;
        snprintf(fs, sizeof fs, "/%s", e->d_name);
        add_entry(fs);
    }
    closedir(d);
    char run[PATH_MAX];
    snprintf(run, sizeof run, "%s/run", root);
    if (mkdir(run, 0700) == -1) fail(errno, "mkdir /run in chroot");
    qsort(entries, (size_t) nentries, sizeof *entries, by_path); /* std::map order */
}

struct slirp_ctx { int go, tapfd, ready, null; };

static int slirp_main(void *arg) {
    struct slirp_ctx *c = arg;
    char path[PATH_MAX];
    reset_signals();
    /* Quiet from the start: slirp4netns must not hold the build log open (guix sends
       its output to a /dev/null the daemon opened unless the client asked for debug
       output). */
    if (dup2(c->null, 1) == -1 || dup2(c->null, 2) == -1) _exit(1);

    phase = "usernsInitSync"; /* jguix: always, so the pid file is written first */
    wait_for(c->go, "go\n");
    close(c->go);

    phase = "setsid";
    if (setsid() == -1) fail(errno, "creating a new session");
    phase = "earlyIOSetup";
    int in = open("/dev/null", O_RDWR);
    if (in == -1) fail(errno, "cannot open `/dev/null'");
    if (dup2(in, 0) == -1) fail(errno, "cannot dup2 fd into stdin fd");
    if (in != 0) close(in);
    phase = "dropAmbientCapabilities";
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    phase = "setHostAndDomain"; /* guix leaves both empty */
    if (sethostname("", 0) == -1) fail(errno, "cannot set host name");
    if (setdomainname("", 0) == -1) fail(errno, "cannot set domain name");
    phase = "makeFilesystemsPrivate";
    if (mount(0, "/", 0, MS_REC | MS_PRIVATE, 0) == -1) fail(errno, "unable to make `/' private mount");
    phase = "makeChrootSeparateFilesystem";
    if (mount("none", S.slirp_root, "tmpfs", 0, 0) == -1) fail(errno, "unable to mount tmpfs on `%s'", S.slirp_root);
    phase = "prepareSlirpChroot";
    prepare_slirp_chroot(S.slirp_root);
    phase = "mountIntoChroot";
    for (int i = 0; i < nentries; i++) {
        if (snprintf(path, sizeof path, "%s%s", S.slirp_root, entries[i].path) >= (int) sizeof path)
            fail(ENAMETOOLONG, "`%s%s'", S.slirp_root, entries[i].path);
        bind_mount(entries[i].path, path, 1);
    }
    phase = "mountProc";
    snprintf(path, sizeof path, "%s/proc", S.slirp_root);
    create_dirs(path);
    if (mount("none", path, "proc", 0, 0) == -1) fail(errno, "mounting `%s'", path);
    phase = "chroot";
    pivot_into(S.slirp_root);

    phase = "closeMostFDs"; /* keep only the ready fd and the tap fd, at fixed numbers */
    int ready = fcntl(c->ready, F_DUPFD_CLOEXEC, 10), tap = fcntl(c->tapfd, F_DUPFD_CLOEXEC, 10);
    if (ready == -1 || tap == -1 || dup2(ready, SLIRP_READY_FD) == -1 || dup2(tap, SLIRP_TAP_FD) == -1)
        fail(errno, "duplicating fds");
    if (syscall(SYS_close_range, (unsigned) SLIRP_TAP_FD + 1, ~0U, 0U) == -1)
        for (int f = SLIRP_TAP_FD + 1; f < 65536; f++) close(f);

    int root_daemon = S.slirp_uidmap == NULL;
    phase = "lockMounts";
    lock_mounts(root_daemon);
    phase = "remapIdsTo0"; /* slirp4netns behaves differently when uid != 0 */
    char uidmap[64], gidmap[64];
    snprintf(uidmap, sizeof uidmap, "0 %u 1", (unsigned) S.slirp_uid);
    snprintf(gidmap, sizeof gidmap, "0 %u 1", (unsigned) S.slirp_gid);
    unshare_userns(0, uidmap, gidmap, root_daemon);
    phase = "setIDs";
    if (root_daemon && setgroups(0, NULL) == -1) fail(errno, "cannot set supplementary groups");
    if (setgid(0) == -1 || getgid() != 0 || getegid() != 0) fail(errno, "setgid failed");
    if (setuid(0) == -1 || getuid() != 0 || geteuid() != 0) fail(errno, "setuid failed");
    phase = "addSeccompFilter";
    if (S.slirp_seccomp) install_seccomp();
    phase = "exec";
    S.slirp_args[S.nslirp_args] = NULL;
    execvpe(S.slirp, S.slirp_args, environ);
    fail(errno, "executing `%s'", S.slirp);
}

pid_t spawn_slirp(int tapfd, int ready) {
    int go[2];
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null == -1) return -1;
    if (pipe2(go, O_CLOEXEC) == -1) { close(null); return -1; }
    struct slirp_ctx c = {go[0], tapfd, ready, null};
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
    if (S.slirp_uidmap) flags |= CLONE_NEWUSER;
    static char stack[256 * 1024] __attribute__((aligned(16)));
    pid_t pid = clone(slirp_main, stack + sizeof stack, flags, &c);
    close(go[0]);
    close(null);
    if (pid == -1) { close(go[1]); return -1; }
    if (S.slirp_uidmap) { /* initializeUserNamespace(pid, uid, gid, uid, gid) */
        char p[64];
        int ok = 1;
        snprintf(p, sizeof p, "/proc/%d/uid_map", (int) pid); ok &= write_file(p, S.slirp_uidmap) == 0;
        snprintf(p, sizeof p, "/proc/%d/setgroups", (int) pid); ok &= write_file(p, "deny") == 0;
        snprintf(p, sizeof p, "/proc/%d/gid_map", (int) pid); ok &= write_file(p, S.slirp_gidmap) == 0;
        if (!ok) { kill(pid, SIGKILL); close(go[1]); return pid; }
    }
    ctl_line("slirp %d\n", (int) pid);
    if (write(go[1], "go\n", 3) != 3) kill(pid, SIGKILL);
    close(go[1]);
    return pid;
}
