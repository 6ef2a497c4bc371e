/*
 * fork_many N: fork N children one after the other; each exits at once with
 * its index modulo 100; the parent reaps each before the next fork. Exit 0
 * when every child exited with its own code, 1 otherwise. A tree of N + 1
 * short-lived tasks, for -ff (one file per task) under a low fd limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    int n = atoi(argv[1]);
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid == 0)
            _exit(i % 100);
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != i % 100)
            return 1;
    }
    return 0;
}
