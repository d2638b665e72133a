/* Shared declarations of jguix-sandbox.c (monitor, spec) and jguix-sandbox-child.c
 * (the builder's set-up phases).  See jguix-sandbox.c for the protocol. */
#ifndef JGUIX_SANDBOX_H
#define JGUIX_SANDBOX_H
#include <sys/resource.h>
#include <sys/types.h>

#define MAX_ITEMS 65536
#define MAX_SPEC (64 * 1024 * 1024)

struct bind { const char *target, *source; int ro; };
struct rlim { int resource; rlim_t soft, hard; };

struct spec {
    const char *root, *cwd, *program, *store, *hostname, *domainname;
    const char *uidmap, *gidmap, *enoexec, *oom, *builtin_error;
    int proc, devshm, devpts, loopback, lockmounts, setids, personality_set, noexec;
    int plain, builtin;                 /* mode D/B: no namespaces; exec a builtin's program */
    long kill_uid;                      /* > 0: killUser(kill_uid) once the builder is gone */
    int tap, tap_ipv6, route_localnet;  /* fixed-output network: tap0 in the builder */
    /* slirp4netns, started by the monitor for the builder's tap device */
    const char *slirp, *slirp_root, *slirp_uidmap, *slirp_gidmap;
    uid_t slirp_uid; gid_t slirp_gid;
    int slirp_seccomp;
    char *slirp_args[64 + 1]; int nslirp_args;
    unsigned long personality;
    uid_t uid; gid_t gid;
    gid_t groups[64]; int ngroups;
    struct bind binds[MAX_ITEMS]; int nbinds;
    struct rlim rlims[16]; int nrlims;
    char *args[MAX_ITEMS + 1]; int nargs;
    char *env[MAX_ITEMS + 1]; int nenv;
};
extern struct spec S;


/* The setup socket: the builder's end (the monitor says "go" on it when ids and pid file
 * are written; the builder sends its tap fd on it) and the monitor's end (slirp4netns's
 * ready fd), which the builder closes first thing. */
extern int sync_fd, parent_fd;

/* The control channel (the helper's original stderr; close-on-exec): the monitor's "pid N",
 * "slirp N" and "exit N" / "signal N" lines for the daemon.  ctl_line writes one. */
extern int ctl_fd;
void ctl_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* In slirp4netns (spawn_slirp) the ready fd is 3 and the tap fd 4. */
#define SLIRP_READY_FD 3
#define SLIRP_TAP_FD 4

/* Monitor failure: "jguix-sandbox: MESSAGE", exit 1. */
void die_monitor(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Entry point of the cloned builder process. */
int child_main(void *arg);

/* ---- shared by the builder and slirp4netns set-up (jguix-sandbox-child.c) ---- */

/* Current phase label; fail() reports "while setting up the child process: in phase
 * LABEL: MESSAGE[: strerror(err)]" on fd 2 (guix's runChildSetup), then _exit(1). */
extern const char *phase;
void fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void reset_signals(void);
void create_dirs(const char *path);
void bind_mount(const char *source, const char *target, int ro);
int write_file(const char *path, const char *content);
void wait_for(int fd, const char *msg);
void pivot_into(const char *root);
/* unshareAndInitUserns: unshare(flags | CLONE_NEWUSER) with these maps, written by a
 * helper process that stays in the current user namespace. */
void unshare_userns(int flags, const char *uidmap, const char *gidmap, int allow_setgroups);
void lock_mounts(int allow_setgroups);

/* ---- fixed-output network (jguix-sandbox-net.c) ---- */

/* setupTap (build.cc): tap0 configured as slirp4netns expects, its fd sent on sync_fd. */
void setup_tap(void);
/* The monitor's side: the tap fd from the builder, or -1 if it ended first. */
int receive_tap(int sock);
/* spawnSlirp4netns: starts S.slirp for the tap fd, ready fd = ready; its pid or -1. */
pid_t spawn_slirp(int tapfd, int ready);
/* The spec from a buffer (NUL-terminated records; the strings stay in buf), into S. */
void parse_spec(char *buf, size_t len);
/* The monitor for S: clone the builder, wait, report on ctl_fd; its exit code. */
int run_monitor(void);
/* jguix-sandbox-kill.c: killUser(uid), 0 or 1 with a "jguix-sandbox:" line; --kill-server */
int kill_user(long uid);
int kill_server(void);
/* jguix-sandbox-server.c */
int server_main(void);
/* jguix-sandbox-agent.c */
int agent_main(char **argv);
#endif
