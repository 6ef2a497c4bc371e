/* A process's signal state: sigaltstack, sigaction with and without
 * SA_SIGINFO, sigprocmask, and signals delivered to handlers (the mask
 * sigreturn restores).  For the differential test against strace (tests/test_diff_strace.py);
 * compiled -m64 and -m32.  Values that differ between runs are avoided (or
 * masked by the test). */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile int handled;
static void handler(int sig) { handled = sig; }
static void info_handler(int sig, siginfo_t *info, void *context)
{
    (void)info;
    (void)context;
    handled = sig;
}

static void altstack(void)
{
    static char stack[65536];
    stack_t ss = {.ss_sp = stack, .ss_size = sizeof stack, .ss_flags = 0}, old;
    sigaltstack(NULL, &old);
    sigaltstack(&ss, &old);
    sigaltstack(&ss, NULL);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, &old);
    ss.ss_flags = 12345; /* invalid: EINVAL, the old one unwritten */
    sigaltstack(&ss, &old);
    sigaltstack((stack_t *)8, NULL);
}

static void signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    raise(SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGUSR2);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    altstack();
    signals();
    return 0;
}
