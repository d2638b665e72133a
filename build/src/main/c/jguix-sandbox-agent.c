/* jguix-sandbox --agent PROGRAM ARG...: runs a guix-daemon "agent" (guix substitute) the way
 * util.cc:Agent::Agent does — stdin inherited (the daemon's requests), stdout and stderr one
 * pipe (messages), fd 4 another (replies), own session, cwd / — and multiplexes the two output
 * pipes onto this program's stdout as frames, in the order guix-daemon's select loop
 * (local-store.cc:getLineFromSubstituter) handles them: when both are readable, messages first.
 *
 *   frame = TAG (1 byte: 'M' messages, 'R' replies) LEN (4 bytes, big-endian) LEN bytes
 *   LEN 0 = end-of-file of that pipe; after both, the agent is reaped and this program exits 0.
 *
 * Why a helper: the JDK gives a child three pipes only, and two pumping threads on two pipes
 * cannot tell which of two writes came first; a poll() loop in one process can.  The agent gets
 * SIGKILL when this helper dies (PR_SET_PDEATHSIG), i.e. when the daemon destroys it. */
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
#include <sys/wait.h>
#include <unistd.h>

/* How long an end-of-file on the replies waits for one on the messages (see below). */
#define EOF_GRACE_MS 100

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n; len -= (size_t) n;
    }
    return 0;
}

static int frame(char tag, const char *data, uint32_t len) {
    unsigned char head[5] = {(unsigned char) tag, (unsigned char) (len >> 24), (unsigned char) (len >> 16),
                             (unsigned char) (len >> 8), (unsigned char) len};
    if (write_all(1, head, sizeof head) < 0) return -1;
    return len ? write_all(1, data, len) : 0;
}

int agent_main(char **argv) {
    int msgs[2], reps[2];
    if (pipe2(msgs, O_CLOEXEC) == -1 || pipe2(reps, O_CLOEXEC) == -1) {
        fprintf(stderr, "jguix-sandbox --agent: pipe: %s\n", strerror(errno));
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == -1) {
        fprintf(stderr, "jguix-sandbox --agent: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
        setsid();
        signal(SIGPIPE, SIG_DFL);
        if (dup2(msgs[1], 1) == -1 || dup2(msgs[1], 2) == -1 || dup2(reps[1], 4) == -1) _exit(1);
        if (chdir("/") == -1) _exit(1);
        execv(argv[0], argv);
        /* commonChildInit + execv failure: the text guix-daemon's child would write to stderr */
        dprintf(2, "error: executing `%s': %s\n", argv[0], strerror(errno));
        _exit(1);
    }
    close(msgs[1]);
    close(reps[1]);
    close(0); /* the agent holds the requests pipe now: its end-of-file must reach the agent */
    struct pollfd fds[2] = {{msgs[0], POLLIN, 0}, {reps[0], POLLIN, 0}};
    int open = 2;
    int reply_eof_pending = 0; /* replies ended, reported after the messages' end */
    char buf[4096];
    while (open > 0) {
        if (poll(fds, 2, -1) == -1) {
            if (errno == EINTR) continue;
            break;
        }
        /* Like getLineFromSubstituter: messages first, one read per round. */
        int i = fds[0].fd >= 0 && fds[0].revents ? 0 : fds[1].fd >= 0 && fds[1].revents ? 1 : -1;
        if (i < 0) continue;
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) n = 0;
        if (n == 0 && i == 1 && fds[0].fd >= 0) {
            /* The replies ended while the messages are open.  An agent that exits closes both,
             * but the kernel may let us see them one at a time; guix-daemon, looking less often,
             * sees both and reports the messages' end ("died unexpectedly").  So wait a moment
             * for the messages before passing this end-of-file on. */
            struct pollfd m = {fds[0].fd, POLLIN, 0};
            if (poll(&m, 1, EOF_GRACE_MS) > 0) {
                reply_eof_pending = 1;
                close(fds[1].fd);
                fds[1].fd = -1;
                continue;
            }
        }
        if (frame(i == 0 ? 'M' : 'R', buf, (uint32_t) n) < 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            break;
        }
        if (n == 0) {
            close(fds[i].fd);
            fds[i].fd = -1;
            open--;
            if (i == 0 && reply_eof_pending) {
                reply_eof_pending = 0;
                if (frame('R', buf, 0) < 0) break;
                open--;
            }
        }
    }
    int status;
    while (waitpid(pid, &status, 0) == -1 && errno == EINTR) {
    }
    return 0;
}
