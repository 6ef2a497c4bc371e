/*
 * mass_kill: fork 2000 children into one process group, then SIGKILL the
 * whole group with a single kill(-pgid, SIGKILL).
 *
 * The first child leads a new process group; every later child joins it
 * (both sides call setpgid, the usual shell idiom, so there is no race).
 * The children just pause().  The parent is not in the group, so it
 * survives, reaps all 2000 children and checks each was killed by SIGKILL.
 *
 * Prints "killed N" on stdout.
 * Exit codes: 21 success; 1 fork/setpgid/kill failed; 2 a child did not die
 * of SIGKILL or a wait failed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define NCHILDREN 2000

int main(void)
{
    pid_t pgid = 0;
    for (int i = 0; i < NCHILDREN; i++) {
        pid_t c = fork();
        if (c < 0) {
            perror("fork");
            kill(-pgid, SIGKILL);
            return 1;
        }
        if (c == 0) {
            setpgid(0, pgid); /* pgid 0 for the first child: its own pid */
            for (;;)
                pause();
        }
        if (pgid == 0)
            pgid = c;
        if (setpgid(c, pgid) < 0) {
            perror("setpgid");
            return 1;
        }
    }
    if (kill(-pgid, SIGKILL) < 0) {
        perror("kill");
        return 1;
    }
    int killed = 0, bad = 0;
    for (int i = 0; i < NCHILDREN; i++) {
        int st;
        if (wait(&st) < 0) {
            perror("wait");
            return 2;
        }
        if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
            killed++;
        else
            bad++;
    }
    printf("killed %d\n", killed);
    return bad ? 2 : 21;
}
