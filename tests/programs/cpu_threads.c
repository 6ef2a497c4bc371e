/* Burns user time in two threads and system time in the main one, then
 * prints its own getrusage(RUSAGE_SELF) user and system time in ns (all
 * threads) just before exiting: the trace's exit records must add up to
 * about that. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

static volatile unsigned long sink;

static void *spin(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; i < 150000000UL; i++)
        sink += i;
    return NULL;
}

int main(void)
{
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&threads[i], NULL, spin, NULL);
    int fd = open("/dev/zero", O_RDONLY);
    char *buffer = malloc(4 << 20);
    for (int i = 0; i < 100; i++)
        if (read(fd, buffer, 4 << 20) < 0)
            return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("%lld %lld\n", (long long)usage.ru_utime.tv_sec * 1000000000LL + usage.ru_utime.tv_usec * 1000LL,
           (long long)usage.ru_stime.tv_sec * 1000000000LL + usage.ru_stime.tv_usec * 1000LL);
    fflush(stdout);
    return 0;
}
