/*
 * stop_loop: makes one kind of system call N times, for the per-stop cost
 * (scripts/bench_stops.py) and for tests that count every stop.
 *
 *   stop_loop getppid N   N getppid() calls (no memory to read)
 *   stop_loop openat N    N openat(AT_FDCWD, "/dev/null") + close() pairs
 *                         (a path read at each openat entry)
 *
 * Calls go through syscall(2), so no libc caching can hide one. Prints the
 * number of calls made on stdout: a test can check the program really ran.
 *
 * Exit codes: 0 success; 1 bad arguments; 2 a call failed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3)
        return 1;
    long n = atol(argv[2]);
    if (strcmp(argv[1], "getppid") == 0) {
        for (long i = 0; i < n; i++)
            syscall(SYS_getppid);
    } else if (strcmp(argv[1], "openat") == 0) {
        for (long i = 0; i < n; i++) {
            long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
            if (fd < 0)
                return 2;
            syscall(SYS_close, fd);
        }
    } else {
        return 1;
    }
    printf("%ld\n", n);
    return 0;
}
