/*
 * leader_exit: the thread-group leader calls pthread_exit() while another
 * thread runs on and ends the process with exit(7).
 *
 * The worker waits until the leader has really gone (its
 * /proc/PID/task/PID/stat state is 'Z', the zombie leader of a live thread
 * group), then prints "leader gone" and calls exit(7).  Under ptrace the
 * leader only becomes a zombie once the tracer lets its exit proceed.
 *
 * Exit codes: 7 success; 1 setup failure; 3 the leader never became a
 * zombie within 10 s (e.g. a tracer kept it stopped).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pid_t pid;

static char leader_state(void)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/task/%d/stat", pid, pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* state follows "(comm) " */
    return p && p[1] && p[2] ? p[2] : '?';
}

static void *worker(void *arg)
{
    (void)arg;
    struct timespec ms = {0, 1000000};
    for (int i = 0; i < 10000; i++) {
        if (leader_state() == 'Z') {
            printf("leader gone\n");
            fflush(stdout);
            exit(7);
        }
        nanosleep(&ms, NULL);
    }
    fprintf(stderr, "leader_exit: leader never became a zombie\n");
    exit(3);
}

int main(void)
{
    pthread_t t;
    pid = getpid();
    if (pthread_create(&t, NULL, worker, NULL) != 0)
        return 1;
    pthread_exit(NULL);
}
