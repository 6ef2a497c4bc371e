/*
 * inherit_report: prints what the process inherited from whoever started it.
 *
 *   fds: 0 1 2          the open file descriptors (from /proc/self/fd,
 *                       leaving out the one used to list the directory)
 *   SigBlk: ...         the blocked-signal mask, from /proc/self/status
 *   SigIgn: ...         the ignored-signal mask, from /proc/self/status
 *
 * A tracer must start its command with exactly what the tracer's own caller
 * gave it: no extra descriptors (the trace file, sockets, event fds) and
 * the caller's signal mask and ignored signals, not the tracer's.
 *
 * Exit code: 71 success; 1 /proc could not be read.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int main(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return 1;
    int fds[1024], n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 1024) {
        if (e->d_name[0] == '.')
            continue;
        int fd = atoi(e->d_name);
        if (fd != dirfd(d))
            fds[n++] = fd;
    }
    closedir(d);
    qsort(fds, n, sizeof fds[0], cmp_int);
    printf("fds:");
    for (int i = 0; i < n; i++)
        printf(" %d", fds[i]);
    printf("\n");

    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 1;
    char line[256];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "SigBlk:", 7) == 0 || strncmp(line, "SigIgn:", 7) == 0)
            fputs(line, stdout);
    fclose(f);
    return 71;
}
