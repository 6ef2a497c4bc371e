/* Children that live and die before their parent's fork event is read.
 *
 * waitpid(-1) favours the newest tracees, so a vfork child that exits at
 * once can be reaped before the tracer sees its parent's PTRACE_EVENT_VFORK
 * (and likewise for fork). The tracer must not then wait for it forever.
 * The forking is done by a child of the launched process: the launched
 * process itself is the tracer's real child, which waitpid checks first.
 * Exits 0 when every child reported exit status 7.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int fork_many(void)
{
    for (int i = 0; i < 200; i++) {
        pid_t pid = (i % 2) ? vfork() : fork();
        if (pid < 0) {
            perror("fork");
            return 2;
        }
        if (pid == 0)
            _exit(7);
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 7)
            return 1;
    }
    return 0;
}

int main(void)
{
    pid_t worker = fork();
    if (worker < 0) {
        perror("fork");
        return 2;
    }
    if (worker == 0)
        _exit(fork_many());
    int status;
    if (waitpid(worker, &status, 0) != worker || !WIFEXITED(status))
        return 3;
    return WEXITSTATUS(status);
}
