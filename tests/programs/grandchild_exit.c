/*
 * grandchild_exit: the root exits 3 while its grandchild is still running
 * and later exits 5.
 *
 * root --fork--> child --fork--> grandchild
 * The child exits 4 right after forking; the root reaps it and exits 3; the
 * grandchild (now an orphan) sleeps 300 ms, long enough for the root to be
 * gone, and exits 5.  A tracer must report the root's status (3), not the status of
 * the last task to finish.
 *
 * Prints "grandchild P" (the grandchild's pid) from the grandchild.
 * Exit codes: root 3 (1 on setup failure), child 4, grandchild 5.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    pid_t c = fork();
    if (c < 0)
        return 1;
    if (c == 0) {
        pid_t g = fork();
        if (g < 0)
            _exit(1);
        if (g == 0) {
            printf("grandchild %d\n", getpid());
            fflush(stdout);
            struct timespec t = {0, 300000000};
            nanosleep(&t, NULL);
            _exit(5);
        }
        _exit(4);
    }
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 4)
        return 1;
    return 3;
}
