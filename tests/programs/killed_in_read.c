/*
 * killed_in_read: a process SIGKILLs itself from one thread while another
 * thread is blocked in read() on an empty pipe.
 *
 * The reader thread publishes its tid; the main thread waits until
 * /proc/self/task/TID/syscall shows that thread sitting in read (syscall 0
 * on x86_64), prints "reader TID blocked" and then kill(getpid(), SIGKILL).
 * The read never returns.
 *
 * Expected end: killed by SIGKILL.  Exit codes if something goes wrong:
 * 1 setup failure; 3 the reader was never seen blocked in read within 10 s;
 * 4 the kill returned.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile long reader_tid;

static void *reader(void *arg)
{
    (void)arg;
    char c;
    reader_tid = syscall(SYS_gettid);
    read(fds[0], &c, 1); /* blocks forever: nobody writes */
    return NULL;
}

static int in_read(long tid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    /* "0 0x3 ..." : syscall number 0 (read) on fd fds[0] */
    char want[32];
    snprintf(want, sizeof want, "0 0x%x ", fds[0]);
    return strncmp(buf, want, strlen(want)) == 0;
}

int main(void)
{
    pthread_t t;
    if (pipe(fds) < 0 || pthread_create(&t, NULL, reader, NULL) != 0)
        return 1;
    struct timespec ms = {0, 1000000};
    int i;
    for (i = 0; i < 10000; i++) {
        if (reader_tid && in_read(reader_tid))
            break;
        nanosleep(&ms, NULL);
    }
    if (i == 10000) {
        fprintf(stderr, "killed_in_read: reader never blocked in read\n");
        return 3;
    }
    /* Let the reader settle inside pipe_read's wait. */
    nanosleep(&ms, NULL);
    printf("reader %ld blocked\n", reader_tid);
    fflush(stdout);
    kill(getpid(), SIGKILL);
    return 4;
}
