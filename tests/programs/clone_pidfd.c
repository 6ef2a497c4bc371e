/*
 * clone_pidfd: a raw clone(CLONE_PIDFD | SIGCHLD) whose pidfd the kernel
 * writes at parent_tid (x86_64's argument order: flags, stack, parent_tid,
 * child_tid, tls); the child exits at once and is reaped.  Exit code 0.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

int main(void)
{
    int pidfd = -1;
    long pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
    if (pid == 0)
        _exit(0);
    if (pid < 0 || pidfd < 0)
        return 1;
    waitpid(pid, NULL, 0);
    return 0;
}
