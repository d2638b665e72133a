/* jguix-sandbox --server: the monitor of many builds, each in a child forked from this long-running
 * process, for a daemon that keeps one running (org.jguix.build.sandbox.SandboxServer).  A build
 * then costs a fork of this small static program instead of a process start from the JVM (the
 * JDK's posix_spawn of jspawnhelper, which execs the helper: two exec, dynamic linking and the
 * JVM's own process bookkeeping, about 5 ms of CPU, a tenth of a trivial build's).  The monitor
 * child does exactly what `jguix-sandbox -' does with the same spec.
 *
 * Requests on stdin (binary; ID a 4-byte big-endian number chosen by the daemon):
 *   'R' ID LEN(4) SPEC     run a build: SPEC as `jguix-sandbox -' reads it on its stdin
 *   'C' ID                 the daemon has opened the build's pipes: close our ends of them
 *   'T' ID | 'K' ID        SIGTERM (the monitor kills the builder's tree) | SIGKILL to the monitor
 * Replies on stdout, one line each:
 *   started ID PID LOG CTL the monitor runs as PID; its stdout+stderr (the log) and its control
 *                          channel are pipes whose read ends are our fds LOG and CTL: the daemon
 *                          opens /proc/OURPID/fd/LOG and .../CTL (a new reader of each pipe),
 *                          then sends 'C'.  We keep them until then, so that the fd numbers cannot
 *                          be reused by another build's pipes in the meantime.
 *   failed ID MESSAGE      no monitor (pipe or fork failed)
 *   exit ID CODE           the monitor ended: its exit code, or 128 + signal
 * At end-of-file on stdin (the daemon is gone) every monitor gets SIGTERM and the server exits.
 * A monitor that finds the server gone (PR_SET_PDEATHSIG) gets SIGTERM too. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "jguix-sandbox.h"

#define MAX_RUNS 4096

/* The pipes' ends stay open here until 'C': the reads so that their fd numbers stay ours, the
   writes so that the daemon's open of /proc/OURPID/fd/N never waits for a writer (a pipe opened
   that way is a FIFO: opening it to read blocks while nobody writes). */
struct run { uint32_t id; pid_t pid; int logr, ctlr, logw, ctlw; };
static struct run runs[MAX_RUNS];
static int nruns;

static struct run *find(uint32_t id) {
    for (int i = 0; i < nruns; i++) if (runs[i].id == id) return &runs[i];
    return NULL;
}

static void close_pipes(struct run *r) {
    if (r->logr >= 0) { close(r->logr); close(r->ctlr); close(r->logw); close(r->ctlw); }
    r->logr = r->ctlr = r->logw = r->ctlw = -1;
}

/* Forgets a run whose monitor is reaped and whose pipes are closed. */
static void drop_if_done(struct run *r) {
    if (r->pid > 0 || r->logr >= 0) return;
    *r = runs[--nruns];
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static void start(uint32_t id, char *spec, size_t len, int sfd) {
    int log[2], ctl[2];
    if (nruns == MAX_RUNS) { dprintf(1, "failed %u too many builds\n", id); return; }
    if (pipe2(log, O_CLOEXEC) == -1) { dprintf(1, "failed %u pipe: %s\n", id, strerror(errno)); return; }
    if (pipe2(ctl, O_CLOEXEC) == -1) {
        dprintf(1, "failed %u pipe: %s\n", id, strerror(errno));
        close(log[0]); close(log[1]);
        return;
    }
    pid_t server = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* The monitor: `jguix-sandbox -' with the spec already here. */
        sigset_t none; sigemptyset(&none); sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != server) _exit(1);
        close(sfd);
        for (int i = 0; i < nruns; i++) close_pipes(&runs[i]);
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null == -1 || dup2(null, 0) == -1 || dup2(log[1], 1) == -1 || dup2(log[1], 2) == -1) _exit(1);
        close(log[0]); close(ctl[0]); close(log[1]);
        ctl_fd = ctl[1];
        parse_spec(spec, len);
        exit(run_monitor());
    }
    if (pid == -1) {
        dprintf(1, "failed %u fork: %s\n", id, strerror(errno));
        close(log[0]); close(ctl[0]); close(log[1]); close(ctl[1]);
        return;
    }
    runs[nruns++] = (struct run){id, pid, log[0], ctl[0], log[1], ctl[1]};
    dprintf(1, "started %u %d %d %d\n", id, (int) pid, log[0], ctl[0]);
}

static void reap(void) {
    int status; pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < nruns; i++) {
            if (runs[i].pid != pid) continue;
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            dprintf(1, "exit %u %d\n", runs[i].id, code);
            runs[i].pid = 0;
            drop_if_done(&runs[i]);
            break;
        }
    }
}

int server_main(void) {
    signal(SIGPIPE, SIG_IGN);
    sigset_t chld; sigemptyset(&chld); sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC);
    if (sfd == -1) die_monitor("signalfd: %s", strerror(errno));
    size_t cap = 1 << 16, have = 0;
    unsigned char *in = malloc(cap);
    if (!in) die_monitor("out of memory");
    for (;;) {
        struct pollfd p[2] = {{0, POLLIN, 0}, {sfd, POLLIN, 0}};
        if (poll(p, 2, -1) == -1) {
            if (errno == EINTR) continue;
            die_monitor("poll: %s", strerror(errno));
        }
        if (p[1].revents) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == -1 && errno == EINTR) { }
            reap();
        }
        if (!p[0].revents) continue;
        if (have == cap) {
            if (cap >= (size_t) MAX_SPEC + 16) die_monitor("request larger than %d bytes", MAX_SPEC);
            cap *= 2;
            if (!(in = realloc(in, cap))) die_monitor("out of memory");
        }
        ssize_t n = read(0, in + have, cap - have);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        have += (size_t) n;
        size_t used = 0;
        while (have - used >= 5) {
            unsigned char *q = in + used;
            uint32_t id = be32(q + 1);
            if (q[0] == 'R') {
                if (have - used < 9) break;
                uint32_t len = be32(q + 5);
                if (len > MAX_SPEC) die_monitor("spec larger than %d bytes", MAX_SPEC);
                if (have - used < 9 + (size_t) len) break;
                start(id, (char *) q + 9, len, sfd);
                used += 9 + (size_t) len;
                continue;
            }
            struct run *r = find(id);
            if (q[0] == 'C') {
                if (r) { close_pipes(r); drop_if_done(r); }
            } else if (q[0] == 'T' || q[0] == 'K') {
                if (r && r->pid > 0) kill(r->pid, q[0] == 'T' ? SIGTERM : SIGKILL);
            } else {
                die_monitor("unknown request `%c'", q[0]);
            }
            used += 5;
        }
        memmove(in, in + used, have - used);
        have -= used;
    }
    /* The daemon is gone: stop every build. */
    for (int i = 0; i < nruns; i++) if (runs[i].pid > 0) kill(runs[i].pid, SIGTERM);
    return 0;
}
