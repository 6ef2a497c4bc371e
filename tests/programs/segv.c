/*
 * segv: dies of SIGSEGV, with core dumps disabled for itself only.
 *
 * The program sets its own RLIMIT_CORE to 0 before faulting, so that any
 * core file found afterwards cannot come from it: a tracer that re-raises
 * the signal on itself (as strace does) must make sure it does not dump
 * core either.
 *
 * Expected end: killed by SIGSEGV, no core dumped.  Exit code 1 if the
 * write to NULL somehow survives.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>

int main(void)
{
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    printf("about to fault\n");
    fflush(stdout);
    *(volatile int *)0 = 1;
    return 1;
}
