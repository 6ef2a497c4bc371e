/*
 * stop_self: job control seen from the parent.
 *
 * The child stops itself with raise(SIGSTOP).  The parent's
 * waitpid(WUNTRACED) must report WIFSTOPPED with SIGSTOP; the parent then
 * sends SIGCONT, and waitpid(WCONTINUED) must report WIFCONTINUED.  Only
 * then does the parent write a byte to a pipe that the resumed child is
 * waiting on (so the child cannot exit before the continue is observed);
 * the child prints "child resumed" and exits 0, which the parent checks.
 * A tracer that swallows the group-stop, or leaves the child stopped,
 * breaks one of these steps.
 *
 * Exit codes: 31 success; 1 setup failed; 2 the child was not seen stopped
 * by SIGSTOP; 3 the child was not seen continued; 4 the child did not exit 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int go[2];
    if (pipe(go) < 0)
        return 1;
    pid_t c = fork();
    if (c < 0)
        return 1;
    if (c == 0) {
        char b;
        close(go[1]);
        raise(SIGSTOP);
        if (read(go[0], &b, 1) != 1)
            _exit(5);
        printf("child resumed\n");
        fflush(stdout);
        _exit(0);
    }
    close(go[0]);
    int st = 0;
    if (waitpid(c, &st, WUNTRACED) != c || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP) {
        fprintf(stderr, "stop_self: expected a SIGSTOP stop, status 0x%x\n", st);
        kill(c, SIGKILL);
        return 2;
    }
    kill(c, SIGCONT);
    if (waitpid(c, &st, WCONTINUED) != c || !WIFCONTINUED(st)) {
        fprintf(stderr, "stop_self: expected a continue, status 0x%x\n", st);
        kill(c, SIGKILL);
        return 3;
    }
    write(go[1], "x", 1);
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "stop_self: expected exit 0, status 0x%x\n", st);
        return 4;
    }
    return 31;
}
