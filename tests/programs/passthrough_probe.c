/*
 * passthrough_probe TRIGGER COMMAND: opens TRIGGER (where a test makes
 * atrace's reader fail, or waits to signal atrace), sleeps argv[3] ms if
 * given, then does what a program under a seccomp filter that has lost
 * its tracer could no longer do, and prints each result on stdout:
 *
 *   handled N          3 raise(SIGUSR1) delivered to a handler
 *   stopped SIG / still stopped yes|no / child exited N
 *                      a child stops itself (SIGSTOP); waitpid(WUNTRACED)
 *                      must see the stop, and 50 ms later it must still be
 *                      stopped (/proc state T, or t under a tracer); SIGCONT
 *                      lets it exit 7
 *   exec child exited N
 *                      a forked child execs /bin/sh -c COMMAND (127: the
 *                      exec failed)
 *   open ok / open ERR a traced call (openat of /dev/null)
 *   traced / untraced  its TracerPid
 *
 * Exit code 0 when every step went as untraced; 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

static int is_stopped(pid_t pid)
{
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = 0;
    char *end = strrchr(stat, ')');
    return end && end[1] == ' ' && (end[2] == 'T' || end[2] == 't');
}

static int traced(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    int found = 0;
    if (!status)
        return -1;
    while (fgets(line, sizeof line, status))
        if (strncmp(line, "TracerPid:", 10) == 0)
            found = atoi(line + 10) != 0;
    fclose(status);
    return found;
}

int main(int argc, char **argv)
{
    int ok = 1, status, fd;
    pid_t pid;
    if (argc < 3)
        return 2;
    setvbuf(stdout, NULL, _IONBF, 0);
    fd = open(argv[1], O_RDONLY | O_CREAT, 0600);
    if (fd >= 0)
        close(fd);
    if (argc > 3) {
        struct timespec pause = {atoi(argv[3]) / 1000, (atoi(argv[3]) % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }

    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < 3; i++)
        raise(SIGUSR1);
    printf("handled %d\n", (int)handled);
    ok &= handled == 3;

    pid = fork();
    if (pid == 0) {
        raise(SIGSTOP);
        _exit(7);
    }
    if (waitpid(pid, &status, WUNTRACED) != pid)
        return 1;
    printf("stopped %s\n", WIFSTOPPED(status) ? strsignal(WSTOPSIG(status)) : "no");
    ok &= WIFSTOPPED(status);
    struct timespec moment = {0, 50 * 1000000L};
    nanosleep(&moment, NULL);
    int still = is_stopped(pid);
    printf("still stopped %s\n", still ? "yes" : "no");
    ok &= still;
    kill(pid, SIGCONT);
    while (waitpid(pid, &status, 0) == pid && !WIFEXITED(status) && !WIFSIGNALED(status))
        ;
    printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    ok &= WIFEXITED(status) && WEXITSTATUS(status) == 7;

    pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", argv[2], (char *)NULL);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    printf("exec child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;

    fd = open("/dev/null", O_RDONLY);
    printf("open %s\n", fd >= 0 ? "ok" : strerror(errno));
    ok &= fd >= 0;

    printf("%s\n", traced() ? "traced" : "untraced");
    return ok ? 0 : 1;
}
