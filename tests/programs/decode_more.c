/* CPU affinity masks, alternate signal stacks, group lists, epoll_ctl's
 * EPOLL_CTL_DEL, ioctl requests that share numbers, clone3's optional
 * fields, file offsets (sendfile, splice, copy_file_range), utimensat's
 * times and fcntl's locks.  For the differential test against strace
 * (tests/test_diff_strace.py); compiled -m64 and -m32.  Values that differ
 * between runs are avoided (or masked by the test). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void affinity(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    syscall(SYS_sched_getaffinity, 0, 8, &set);
    syscall(SYS_sched_getaffinity, 0, 3, &set); /* too small: EINVAL */
    syscall(SYS_sched_getaffinity, 0, 8, NULL);
    CPU_SET(0, &set);
    syscall(SYS_sched_setaffinity, 0, 8, &set);
    syscall(SYS_sched_setaffinity, 0, 8, NULL);
    CPU_ZERO(&set);
    CPU_SET(100, &set); /* no such CPU: EINVAL */
    syscall(SYS_sched_setaffinity, 0, 16, &set);
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

static void groups(void)
{
    gid_t list[64] = {100, 5, 42};
    gid_t saved[64];
    int count = syscall(SYS_getgroups, 64, saved);
    syscall(SYS_getgroups, 0, NULL);
    /* As root (the test runs as root or fails with EPERM), a list of ours. */
    syscall(SYS_setgroups, 3, list);
    syscall(SYS_getgroups, 64, list);
    syscall(SYS_getgroups, 1, list); /* too small: EINVAL */
    syscall(SYS_setgroups, 2, (void *)8);
#ifdef __i386__
    /* The old calls take 16-bit gids. */
    uint16_t old[3] = {7, 8, 9};
    syscall(SYS_setgroups32, 2, list);
    syscall(SYS_getgroups32, 64, list);
    syscall(SYS_setgroups, 3, old);
    syscall(SYS_getgroups, 64, old);
#endif
    if (count >= 0)
        syscall(SYS_setgroups, count, saved);
}

static void epoll(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int fds[2];
    pipe(fds);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
    epoll_ctl(ep, EPOLL_CTL_MOD, fds[0], &ev);
    epoll_ctl(ep, EPOLL_CTL_DEL, fds[0], &ev);
    epoll_ctl(ep, EPOLL_CTL_DEL, fds[0], NULL);
    close(fds[0]);
    close(fds[1]);
    close(ep);
}

static void ioctls(const char *dir)
{
    char path[4096];
    strncpy(path, dir, sizeof path - 16);
    strcat(path, "/clone.src");
    int src = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(src, "data", 4);
    int dst = open("/dev/null", O_WRONLY);
    ioctl(dst, FICLONE, src);
    ioctl(-1, FICLONERANGE, NULL);
    ioctl(-1, FIDEDUPERANGE, NULL);
    ioctl(-1, 0x5437, 0); /* TIOCVHANGUP */
    ioctl(-1, _IOR(0x12, 0x34, int), 0);
    close(dst);
    close(src);
    unlink(path);
}

static void clones(void)
{
    int pidfd = -1;
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = 0;
    args.pidfd = (uintptr_t)&pidfd; /* ignored without CLONE_PIDFD */
    args.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    args.flags = CLONE_PIDFD;
    args.pidfd = 0; /* EFAULT */
    syscall(SYS_clone3, &args, sizeof args);
}

static void offsets_times_locks(const char *dir)
{
    char path[4096];
    strncpy(path, dir, sizeof path - 16);
    strcat(path, "/offsets");
    int in = open("/proc/self/exe", O_RDONLY);
    int out = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    off_t off = 0;
    sendfile(out, in, &off, 100);
    sendfile(out, in, NULL, 10);
    sendfile(out, in, (off_t *)8, 10);
    off = -5; /* EINVAL */
    sendfile(out, in, &off, 10);
    int64_t from = 0, to = 0;
    syscall(SYS_copy_file_range, in, &from, out, &to, 50, 0);
    syscall(SYS_copy_file_range, in, NULL, out, NULL, 50, 0);
    int fds[2];
    pipe(fds);
    splice(in, &from, fds[1], NULL, 20, 0);
    close(fds[0]);
    close(fds[1]);
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 5};
    fcntl(out, F_SETLK, &lock);
    fcntl(out, F_SETLKW, &lock);
    lock.l_type = F_RDLCK;
    fcntl(out, F_GETLK, &lock);
    fcntl(out, F_OFD_GETLK, &lock);
    lock.l_pid = 0;
    fcntl(out, F_OFD_SETLK, &lock);
    fcntl(out, F_SETLK, (void *)8);
    lock.l_whence = 7; /* EINVAL */
    lock.l_type = 9;
    fcntl(out, F_SETLK, &lock);
    struct timespec times[2] = {{1, 2}, {3, UTIME_NOW}};
    utimensat(AT_FDCWD, path, times, 0);
    times[0].tv_nsec = UTIME_OMIT;
    utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW);
    futimens(out, times);
    times[0].tv_nsec = 0;
    times[1].tv_sec = 1700000000;
    times[1].tv_nsec = 6;
    futimens(out, times);
    close(out);
    close(in);
    unlink(path);
}

int main(int argc, char **argv)
{
    affinity();
    altstack();
    groups();
    epoll();
    ioctls(argc > 1 ? argv[1] : "/tmp");
    clones();
    offsets_times_locks(argc > 1 ? argv[1] : "/tmp");
    return 0;
}
