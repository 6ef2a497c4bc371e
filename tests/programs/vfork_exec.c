/*
 * vfork_exec: vfork() then execve("/bin/echo", "vfork-child") in the child.
 *
 * The parent (suspended by the kernel until the child execs) then waits for
 * the child and checks that it exited 0.
 *
 * Exit codes: 11 success; 1 vfork failed; 2 the child did not exit 0.
 * The child exits 127 if the exec fails.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t child = vfork();
    if (child < 0)
        return 1;
    if (child == 0) {
        execl("/bin/echo", "echo", "vfork-child", (char *)NULL);
        _exit(127);
    }
    int st;
    if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return 2;
    printf("child %d ok\n", child);
    return 11;
}
