/*
 * exec_from_thread: a non-leader thread calls execve().
 *
 * Without arguments: the main thread starts a second thread "sleeper" that
 * blocks forever, then starts the thread "execer", which prints
 * "pid P tid T" (T != P) on stdout and re-executes this program with the
 * argument "after-exec".  The main thread blocks in pthread_join meanwhile.
 * The kernel kills the other threads, and the execing thread takes over the
 * leader's tid P.
 *
 * With "after-exec": prints "after-exec pid P tid T" (now T == P) and exits
 * with 42.
 *
 * Exit codes: 42 success (the exec happened); 1 a setup call failed;
 * 2 execve returned.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *self_path;

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

static void *execer(void *arg)
{
    (void)arg;
    printf("pid %d tid %ld\n", getpid(), syscall(SYS_gettid));
    fflush(stdout);
    char *argv[] = {self_path, "after-exec", NULL};
    execv(self_path, argv);
    perror("execv");
    _exit(2);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
        printf("after-exec pid %d tid %ld\n", getpid(), syscall(SYS_gettid));
        return 42;
    }
    self_path = argv[0];
    pthread_t s, e;
    if (pthread_create(&s, NULL, sleeper, NULL) != 0)
        return 1;
    if (pthread_create(&e, NULL, execer, NULL) != 0)
        return 1;
    pthread_join(e, NULL); /* never returns: the exec replaces us */
    return 1;
}
