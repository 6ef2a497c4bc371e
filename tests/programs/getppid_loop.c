/*
 * getppid_loop: calls getppid() N times (argv[1], default 10), then prints
 * its own "TracerPid:" line from /proc/self/status on stdout, so a test can
 * tell whether it was still traced after those calls.
 *
 * Exit codes: 0 success; 1 /proc/self/status could not be read.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10;
    for (int i = 0; i < n; i++)
        getppid();
    FILE *status = fopen("/proc/self/status", "r");
    if (!status)
        return 1;
    char line[256];
    while (fgets(line, sizeof line, status))
        if (strncmp(line, "TracerPid:", 10) == 0)
            fputs(line, stdout);
    fclose(status);
    return 0;
}
