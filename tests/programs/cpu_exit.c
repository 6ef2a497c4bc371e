/* Burns user time (a loop) and system time (reads of /dev/zero), prints
 * its own getrusage(RUSAGE_SELF) user and system time in ns, then ends as
 * argv[1] says:
 *   exit_group  returning from main (exit_group);
 *   exit        the exit call itself (the leader is the process's only
 *               task, so the process ends with it);
 *   kill        SIGKILL to itself;
 *   thread      as exit_group, the user time burnt in a second thread.
 * The trace's exit records must add up to about what it printed. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile unsigned long sink;

static void *spin(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; i < 100000000UL; i++)
        sink += i;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "exit_group";
    pthread_t thread;
    if (strcmp(how, "thread") == 0)
        pthread_create(&thread, NULL, spin, NULL);
    else
        spin(NULL);
    int fd = open("/dev/zero", O_RDONLY);
    char *buffer = malloc(4 << 20);
    for (int i = 0; i < 100; i++)
        if (read(fd, buffer, 4 << 20) < 0)
            return 1;
    if (strcmp(how, "thread") == 0)
        pthread_join(thread, NULL);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("%lld %lld\n", (long long)usage.ru_utime.tv_sec * 1000000000LL + usage.ru_utime.tv_usec * 1000LL,
           (long long)usage.ru_stime.tv_sec * 1000000000LL + usage.ru_stime.tv_usec * 1000LL);
    fflush(stdout);
    if (strcmp(how, "exit") == 0)
        syscall(SYS_exit, 0);
    if (strcmp(how, "kill") == 0)
        kill(getpid(), SIGKILL);
    return 0;
}
