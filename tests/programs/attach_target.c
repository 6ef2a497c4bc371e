/*
 * attach_target MODE FILE NTHREADS: a long-running target for "atrace -p".
 *
 * FILE is created and mapped shared, as an array of uint64:
 *   [0]      stop flag, set to non-zero by the test to end the program;
 *   [1 + i]  progress counter of worker i (i < NTHREADS).
 * Worker 0 is the main thread; NTHREADS - 1 more threads are created.
 * MODE "busy": each worker increments its counter in a tight loop, making no
 *   system call (a running, never-sleeping target).
 * MODE "calls": each worker makes a getppid() call per increment (a running
 *   target that makes system calls as fast as it can: a flood of events).
 * MODE "sleep": each worker loops nanosleep(20 ms) then increments its
 *   counter (a target that is almost always blocked in a syscall).  A
 *   nanosleep that returns early (EINTR) is counted as an error: attaching
 *   and detaching must be invisible to the program.
 * The test reads the counters through the file to see the workers advance.
 *
 * Exit codes: 61 success (stop flag seen, no nanosleep error); 1 bad usage
 * or setup failure; 2 some nanosleep returned an error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 16

static volatile uint64_t *shared;
static int sleep_mode;
static int calls_mode;
static volatile int errors;

static void *worker(void *arg)
{
    long i = (long)arg;
    struct timespec t = {0, 20000000};
    while (!shared[0]) {
        if (sleep_mode && nanosleep(&t, NULL) != 0)
            errors++;
        if (calls_mode)
            getppid();
        shared[1 + i]++;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 1;
    sleep_mode = strcmp(argv[1], "sleep") == 0;
    calls_mode = strcmp(argv[1], "calls") == 0;
    int n = atoi(argv[3]);
    if (n < 1 || n > MAX_THREADS)
        return 1;
    size_t size = sizeof(uint64_t) * (1 + MAX_THREADS);
    int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, size) < 0)
        return 1;
    shared = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED)
        return 1;
    close(fd);
    pthread_t th[MAX_THREADS];
    for (long i = 1; i < n; i++)
        if (pthread_create(&th[i], NULL, worker, (void *)i) != 0)
            return 1;
    worker((void *)0);
    for (long i = 1; i < n; i++)
        pthread_join(th[i], NULL);
    return errors ? 2 : 61;
}
