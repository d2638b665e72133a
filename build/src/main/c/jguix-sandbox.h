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
    const char *root, *cwd, *program, *store, *hostname, *domainname, *status, *pidfile;
    const char *uidmap, *gidmap, *enoexec, *oom;
    int proc, devshm, devpts, loopback, lockmounts, setids, personality_set, noexec;
    unsigned long personality;
    uid_t uid; gid_t gid;
    gid_t groups[64]; int ngroups;
    struct bind binds[MAX_ITEMS]; int nbinds;
    struct rlim rlims[16]; int nrlims;
    char *args[MAX_ITEMS + 1]; int nargs;
    char *env[MAX_ITEMS + 1]; int nenv;
};
extern struct spec S;


/* Fd of the setup socket in the child (the monitor says "go" when ids and pid file are written). */
extern int sync_fd;

/* Monitor failure: "jguix-sandbox: MESSAGE", exit 1. */
void die_monitor(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Entry point of the cloned builder process. */
int child_main(void *arg);
#endif
