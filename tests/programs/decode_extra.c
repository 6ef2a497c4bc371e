/* Interval timers, times, utimes/futimesat/utime, ppoll's time left and
 * sigmask, NUMA memory policies, clone3's and clone's pidfd, the old termio
 * ioctls, and other calls builds and Python programs make.  For the
 * differential test against strace (tests/test_diff_strace.py); compiled
 * -m64 and -m32.  Values that differ between runs are avoided (or masked by
 * the test). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <termio.h>
#include <unistd.h>
#include <utime.h>

static void itimers(void)
{
    struct itimerval set = {{0, 0}, {100, 250000}}, old;
    syscall(SYS_setitimer, ITIMER_REAL, &set, &old);
    syscall(SYS_getitimer, ITIMER_REAL, &old);
    set.it_value.tv_sec = 0;
    set.it_value.tv_usec = 0;
    syscall(SYS_setitimer, ITIMER_REAL, &set, NULL);
    syscall(SYS_getitimer, ITIMER_VIRTUAL, &old);
    syscall(SYS_setitimer, ITIMER_PROF, &set, &old);
    syscall(SYS_getitimer, 7, &old); /* EINVAL */
    syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL); /* EFAULT */
    syscall(SYS_alarm, 0);
}

static void times_call(void)
{
    struct tms t;
    syscall(SYS_times, &t);
    syscall(SYS_times, NULL);
}

static void file_times(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/extra_times", dir);
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    close(fd);
    struct timeval tv[2] = {{1000000000, 5}, {1000000001, 0}};
    syscall(SYS_utimes, path, tv);
    syscall(SYS_utimes, path, NULL);
    syscall(SYS_futimesat, AT_FDCWD, path, tv);
    syscall(SYS_futimesat, AT_FDCWD, path, NULL);
#ifdef SYS_utime
    struct utimbuf ub = {1000000002, 1000000003};
    syscall(SYS_utime, path, &ub);
    syscall(SYS_utime, path, NULL);
#endif
    unlink(path);
}

static void ppolls(void)
{
    int fds[2];
    pipe(fds);
    struct pollfd p = {fds[0], POLLIN, 0};
    struct timespec ts = {0, 1000000};
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    syscall(SYS_ppoll, &p, 1, &ts, &mask, 8); /* times out */
    write(fds[1], "x", 1);
    ts.tv_sec = 5;
    ts.tv_nsec = 0;
    syscall(SYS_ppoll, &p, 1, &ts, NULL, 8); /* ready: time left */
    syscall(SYS_ppoll, &p, 1, NULL, &mask, 8);
    close(fds[0]);
    close(fds[1]);
}

static void mempolicy(void)
{
    /* Word by word, as many as maxnode - 1 bits need: 1 on x86_64, 2 on i386. */
    unsigned long mask[40] = {1, 0}, got[2] = {0, 0};
    int mode = -1;
    for (int i = 2; i < 40; i++)
        mask[i] = i;
    syscall(SYS_set_mempolicy, 0 /* MPOL_DEFAULT */, NULL, 0);
    syscall(SYS_set_mempolicy, 1 /* MPOL_PREFERRED */, mask, 64);
    syscall(SYS_get_mempolicy, &mode, got, 64, NULL, 0);
    syscall(SYS_set_mempolicy, 0, NULL, 0);
    syscall(SYS_get_mempolicy, &mode, NULL, 0, NULL, 0);
    syscall(SYS_get_mempolicy, &mode, got, 64, NULL, 4 /* MPOL_F_MEMS_ALLOWED */);
    syscall(SYS_get_mempolicy, &mode, NULL, 64, NULL, 1 /* MPOL_F_NODE: EINVAL */);
    syscall(SYS_get_mempolicy, &mode, got, 65, NULL, 3 /* MPOL_F_NODE|MPOL_F_ADDR: EFAULT */);
    syscall(SYS_set_mempolicy, 99, NULL, 0); /* EINVAL */
    syscall(SYS_set_mempolicy, 1, mask, 65);
    syscall(SYS_set_mempolicy, 1, mask, 1); /* no whole word: the address */
    syscall(SYS_set_mempolicy, 1, mask, 0); /* [] */
    syscall(SYS_set_mempolicy, 1 | (1 << 15) /* MPOL_F_STATIC_NODES */, mask, 64);
    syscall(SYS_set_mempolicy, 2 | (1 << 14) /* MPOL_F_RELATIVE_NODES */, (void *)8, 64); /* EFAULT */
    syscall(SYS_set_mempolicy, 1, mask, 40 * 64); /* more words than -s shows */
    syscall(SYS_set_mempolicy, 0, NULL, 0);
    void *page = (void *)(((uintptr_t)mask) & ~(uintptr_t)4095);
    syscall(SYS_mbind, page, 4096, 2 /* MPOL_BIND */, mask, 64, 0);
    syscall(SYS_mbind, page, 4096, 0, NULL, 0, 0);
    syscall(SYS_mbind, NULL, 4096, 2, mask, 64, 7); /* all three MPOL_MF_*: EINVAL */
    syscall(SYS_mbind, NULL, 4096, 7, mask, 64, 8); /* unknown mode and flag */
}

static void pidfds(void)
{
    /* SIGCHLD blocked: its delivery would race with waitpid's return. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int pidfd = -1;
    pid_t tid = 0;
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PIDFD | CLONE_PARENT_SETTID;
    args.pidfd = (uintptr_t)&pidfd;
    args.parent_tid = (uintptr_t)&tid;
    args.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    close(pidfd);
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PIDFD;
    args.pidfd = (uintptr_t)&pidfd;
    args.exit_signal = SIGCHLD;
    pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    close(pidfd);
#if defined(__x86_64__)
    pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, 0);
#else
    pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pidfd, 0, NULL);
#endif
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    close(pidfd);
}

static void termio_calls(void)
{
    struct termio t;
    memset(&t, 0, sizeof t);
    int fd = open("/dev/null", O_RDWR);
    ioctl(fd, TCGETA, &t); /* ENOTTY */
    ioctl(fd, TCSETA, &t);
    ioctl(fd, TCSETAW, &t);
    ioctl(fd, TCSETAF, &t);
    close(fd);
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0)
        return;
    grantpt(master);
    unlockpt(master);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    if (slave >= 0) {
        ioctl(slave, TCGETA, &t);
        ioctl(slave, TCSETA, &t);
        ioctl(slave, TCSETAW, &t);
        ioctl(slave, TCSETAF, &t);
        close(slave);
    }
    close(master);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    itimers();
    times_call();
    file_times(dir);
    ppolls();
    mempolicy();
    pidfds();
    termio_calls();
    prctl(PR_CAPBSET_READ, 48); /* no such capability: EINVAL */
    return 0;
}
