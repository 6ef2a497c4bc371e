/* What a traced command inherited, printed on stderr (stdout may be closed):
 * the process relationships, umask, a rlimit, cwd, signal state, open fds,
 * and one environment variable. test_resident.py compares this between a
 * resident-served run, an in-process run and an untraced one. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    struct rlimit nofile;
    char cwd[PATH_MAX];
    sigset_t blocked;
    mode_t mask = umask(0);

    getrlimit(RLIMIT_NOFILE, &nofile);
    fprintf(stderr, "pid=%d ppid=%d pgid=%d sid=%d\n", (int) getpid(), (int) getppid(), (int) getpgrp(),
            (int) getsid(0));
    fprintf(stderr, "umask=%03o nofile=%llu cwd=%s\n", (unsigned) mask, (unsigned long long) nofile.rlim_cur,
            getcwd(cwd, sizeof cwd) ? cwd : "?");
    sigprocmask(SIG_BLOCK, NULL, &blocked);
    for (int sig = 1; sig < 32; sig++) {
        struct sigaction action;
        sigaction(sig, NULL, &action);
        if (action.sa_handler == SIG_IGN)
            fprintf(stderr, "ignored %d\n", sig);
        if (sigismember(&blocked, sig))
            fprintf(stderr, "blocked %d\n", sig);
    }
    for (int fd = 0; fd < 10; fd++) {
        char link[64], target[PATH_MAX];
        ssize_t n;
        if (fcntl(fd, F_GETFD) < 0)
            continue;
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        n = readlink(link, target, sizeof target - 1);
        target[n < 0 ? 0 : n] = '\0';
        fprintf(stderr, "fd %d %s\n", fd, target);
    }
    fprintf(stderr, "PROBE_VAR=%s\n", getenv("PROBE_VAR") ? getenv("PROBE_VAR") : "(unset)");
    return 0;
}
