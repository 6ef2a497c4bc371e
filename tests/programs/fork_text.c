/*
 * fork_text: a small forking program whose strace-style text trace has a
 * known shape.
 *
 * The parent installs a SIGUSR1 handler and sends itself SIGUSR1 with
 * kill() (si_code SI_USER), forks a child and blocks in wait4().  The child
 * prints "child C of P" (its pid and the parent's), sleeps 200 ms (so the parent's wait4 is pending while
 * the child's lines are printed: "<unfinished ...>" / "<... wait4
 * resumed>"), calls getppid() and exits 0.  The parent exits 0 once the
 * child exited 0.
 *
 * Exit codes: 0 success; 1 fork failed; 2 the child did not exit 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    kill(getpid(), SIGUSR1);

    pid_t parent = getpid();
    pid_t c = fork();
    if (c < 0)
        return 1;
    if (c == 0) {
        printf("child %d of %d\n", getpid(), parent);
        fflush(stdout);
        struct timespec t = {0, 200000000};
        nanosleep(&t, NULL);
        getppid();
        _exit(0);
    }
    int st;
    if (wait4(c, &st, 0, NULL) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return 2;
    return 0;
}
