/* Descriptor calls: epoll_ctl (EPOLL_CTL_DEL too), file offsets (sendfile,
 * splice, copy_file_range), fcntl's locks, utimensat's times, ppoll's time
 * left and sigmask, select/pselect6/_newselect's time left, io_uring_setup, fcntl's owner and signal.  For the differential test against strace (tests/test_diff_strace.py);
 * compiled -m64 and -m32.  Values that differ between runs are avoided (or
 * masked by the test). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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

static void selects(void)
{
    int pfd[2];
    pipe(pfd);
    fd_set in, out;
    FD_ZERO(&in);
    FD_SET(pfd[0], &in);
    struct timeval tv = {0, 1000};
    select(pfd[0] + 1, &in, NULL, NULL, &tv);
    FD_ZERO(&in);
    FD_SET(pfd[0], &in);
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    select(pfd[1] + 1, &in, &out, NULL, &tv);
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    select(pfd[1] + 1, NULL, &out, NULL, NULL);
    struct timespec ts = {5, 0};
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    pselect(pfd[1] + 1, NULL, &out, NULL, &ts, NULL);
    ts.tv_sec = 0;
    ts.tv_nsec = 1000;
    FD_ZERO(&in);
    FD_SET(pfd[0], &in);
    pselect(pfd[0] + 1, &in, NULL, NULL, &ts, NULL);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGHUP);
    ts.tv_sec = 5;
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    pselect(pfd[1] + 1, NULL, &out, NULL, &ts, &mask);
    /* glibc's select() is pselect6: the old call itself, by number. */
#ifdef __i386__
    long old_select = SYS__newselect;
#else
    long old_select = SYS_select;
#endif
    tv.tv_sec = 0;
    tv.tv_usec = 1000;
    FD_ZERO(&in);
    FD_SET(pfd[0], &in);
    syscall(old_select, pfd[0] + 1, &in, NULL, NULL, &tv);
    tv.tv_sec = 5;
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    syscall(old_select, pfd[1] + 1, NULL, &out, NULL, &tv);
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    syscall(old_select, pfd[1] + 1, NULL, &out, NULL, NULL);
    close(pfd[0]);
    close(pfd[1]);
}

/* io_uring_setup: a ring made (the params the kernel fills), one refused
 * (a bad flag), and the F_SETOWN_EX/F_GETOWN_EX and F_SETSIG/F_GETSIG
 * fcntls on a pipe. */
static void uring_and_owner(void)
{
    uint32_t params[30];
    memset(params, 0, sizeof(params));
    long fd = syscall(__NR_io_uring_setup, 2, params);
    if (fd >= 0)
        close((int)fd);
    memset(params, 0, sizeof(params));
    params[2] = 0x80000000u; /* no such flag: EINVAL */
    syscall(__NR_io_uring_setup, 1, params);
    int fds[2];
    if (pipe(fds) != 0)
        return;
    int owner[2] = {1 /* F_OWNER_PID */, 0}; /* 0: no owner (a pid differs between runs) */
    fcntl(fds[0], 15 /* F_SETOWN_EX */, owner);
    fcntl(fds[0], 16 /* F_GETOWN_EX */, owner);
    fcntl(fds[0], F_SETSIG, SIGUSR1);
    fcntl(fds[0], F_GETSIG);
    close(fds[0]);
    close(fds[1]);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    epoll();
    offsets_times_locks(dir);
    ppolls();
    selects();
    uring_and_owner();
    return 0;
}
