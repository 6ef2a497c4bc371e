/*
 * threads_getppid: 8 threads each call getppid() exactly 500 times.
 *
 * The main thread makes no getppid() call, so a tracer must report exactly
 * 8 * 500 = 4000 getppid entries and 4000 exits, from 8 distinct tids.
 * getppid() is issued with syscall(2) so no libc caching can hide calls.
 *
 * Prints "tid N" for each worker thread on stdout (one line per thread).
 * Exit code: 0 on success, 1 if a thread could not be created/joined.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NTHREADS 8
#define NCALLS 500

static pthread_barrier_t start;

static void *worker(void *arg)
{
    long *tid_out = arg;
    *tid_out = syscall(SYS_gettid);
    /* All threads start together so the tracer sees them interleaved. */
    pthread_barrier_wait(&start);
    for (int i = 0; i < NCALLS; i++)
        syscall(SYS_getppid);
    return NULL;
}

int main(void)
{
    pthread_t th[NTHREADS];
    long tids[NTHREADS];

    pthread_barrier_init(&start, NULL, NTHREADS);
    for (int i = 0; i < NTHREADS; i++)
        if (pthread_create(&th[i], NULL, worker, &tids[i]) != 0)
            return 1;
    for (int i = 0; i < NTHREADS; i++)
        if (pthread_join(th[i], NULL) != 0)
            return 1;
    for (int i = 0; i < NTHREADS; i++)
        printf("tid %ld\n", tids[i]);
    return 0;
}
