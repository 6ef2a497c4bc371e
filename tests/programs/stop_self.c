/*
 * stop_self: job control seen from the parent.
 *
 * The child stops itself with raise(SIGSTOP).  The parent's
 * waitpid(WUNTRACED) must report WIFSTOPPED with SIGSTOP.  The parent then
 * waits 200 ms and checks that the child really stayed stopped: right after
 * raise() returns the child writes a byte to the "ran" pipe, which must
 * still be empty.  The parent sends SIGCONT, and waitpid(WCONTINUED) must
 * report WIFCONTINUED.  Only then does the parent write a byte to the "go"
 * pipe that the resumed child waits on (so the child cannot exit before the
 * continue is observed); the child prints "child resumed" and exits 0,
 * which the parent checks.  A tracer that swallows the group-stop, resumes
 * the stopped child by itself, or leaves it stopped breaks one of these
 * steps.
 *
 * Exit codes: 31 success; 1 setup failed; 2 the child was not seen stopped
 * by SIGSTOP; 3 the child was not seen continued; 4 the child did not exit
 * 0; 5 the child ran while it should have been stopped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int go[2], ran[2];
    if (pipe(go) < 0 || pipe2(ran, O_NONBLOCK) < 0)
        return 1;
    pid_t c = fork();
    if (c < 0)
        return 1;
    if (c == 0) {
        char b;
        close(go[1]);
        raise(SIGSTOP);
        write(ran[1], "r", 1);
        if (read(go[0], &b, 1) != 1)
            _exit(5);
        printf("child resumed\n");
        fflush(stdout);
        _exit(0);
    }
    close(go[0]);
    close(ran[1]);
    int st = 0;
    if (waitpid(c, &st, WUNTRACED) != c || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP) {
        fprintf(stderr, "stop_self: expected a SIGSTOP stop, status 0x%x\n", st);
        kill(c, SIGKILL);
        return 2;
    }
    struct timespec t = {0, 200000000};
    nanosleep(&t, NULL);
    char b;
    if (read(ran[0], &b, 1) != -1 || errno != EAGAIN) {
        fprintf(stderr, "stop_self: the child ran while stopped\n");
        kill(c, SIGKILL);
        return 5;
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
