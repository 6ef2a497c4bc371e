/* Signal calls whose siginfo_t strace decodes: rt_sigqueueinfo and
 * rt_tgsigqueueinfo pass one in, rt_sigtimedwait and waitid have the kernel
 * fill one (and rt_sigtimedwait returns the signal taken); a bad address and
 * a failed call show the address. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
int main(void) {
    sigset_t set; sigemptyset(&set); sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    siginfo_t si; memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1; si.si_code = SI_QUEUE; si.si_pid = getpid(); si.si_uid = getuid();
    si.si_value.sival_int = 42;
    syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si);
    siginfo_t got; struct timespec ts = {1, 0};
    syscall(SYS_rt_sigtimedwait, &set, &got, &ts, 8);
    syscall(SYS_rt_sigtimedwait, &set, &got, &ts, 8);
    syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), SIGUSR1, &si);
    syscall(SYS_rt_sigtimedwait, &set, NULL, &ts, 8);
    pid_t c = fork(); if (c == 0) _exit(3);
    siginfo_t w; memset(&w, 0, sizeof w);
    waitid(P_PID, c, &w, WEXITED);
    waitid(P_PID, c, &w, WEXITED);
    syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void*)16);
    return 0;
}
