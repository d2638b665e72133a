/* killUser for jguix-sandbox: `--kill-user UID', `--kill-server', and the monitor's kill after a
 * build (kill-user in the spec).  See jguix-sandbox.c for the command lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "jguix-sandbox.h"

/* killUser (util.cc): fork, setuid(uid), one kill(-1, SIGKILL), which reaches every
   process of uid (and spares the caller).  0, or -1 with the reason in err. */
static int kill_user_into(long uid, char *err, size_t errlen) {
    if (uid == 0) { snprintf(err, errlen, "refusing to kill all processes of root"); return -1; }
    int msg[2];
    if (pipe2(msg, O_CLOEXEC) == -1) { snprintf(err, errlen, "pipe: %s", strerror(errno)); return -1; }
    pid_t pid = fork();
    if (pid == -1) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(msg[0]); close(msg[1]);
        return -1;
    }
    if (pid == 0) {
        close(msg[0]);
        if (setgroups(0, NULL) == -1 || setuid((uid_t) uid) == -1) {
            dprintf(msg[1], "cannot set uid %ld: %s", uid, strerror(errno)); _exit(1);
        }
        /* Once: kill(-1) returns 0 whenever any other process exists (EPERM is not
           reported), so "until ESRCH" would never end. */
        int r;
        do r = kill(-1, SIGKILL); while (r == -1 && errno == EINTR);
        if (r == -1 && errno != ESRCH) { dprintf(msg[1], "cannot kill processes of uid %ld: %s", uid, strerror(errno)); _exit(1); }
        _exit(0);
    }
    close(msg[1]);
    size_t len = 0; ssize_t n;
    while (len < errlen - 1 && ((n = read(msg[0], err + len, errlen - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
        if (n > 0) len += (size_t) n;
    err[len] = 0;
    close(msg[0]);
    int status;
    while (waitpid(pid, &status, 0) == -1)
        if (errno != EINTR) { snprintf(err, errlen, "waiting for the killer: %s", strerror(errno)); return -1; }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (len == 0) snprintf(err, errlen, "killing the processes of uid %ld failed", uid);
    return -1;
}

int kill_user(long uid) {
    char err[512];
    if (kill_user_into(uid, err, sizeof err) == 0) return 0;
    fprintf(stderr, "jguix-sandbox: %s\n", err);
    return 1;
}

/* --kill-server: kill_user for each "UID" line on stdin, one "ok" / "error MESSAGE" line each. */
int kill_server(void) {
    signal(SIGPIPE, SIG_IGN);
    char line[64], err[512];
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strlen(line);
        if (len == 0 || line[len - 1] != '\n') { printf("error bad request\n"); fflush(stdout); return 1; }
        line[len - 1] = 0;
        char *end; errno = 0;
        long uid = strtol(line, &end, 10);
        int bad = errno || line[0] < '0' || line[0] > '9' || *end || uid > INT_MAX;
        if (bad) snprintf(err, sizeof err, "bad uid `%s'", line);
        if (bad || kill_user_into(uid, err, sizeof err) != 0) {
            for (char *c = err; *c; c++) if (*c == '\n') *c = ' ';
            printf("error %s\n", err);
        } else {
            printf("ok\n");
        }
        if (fflush(stdout) != 0) return 1;
    }
    return 0;
}
