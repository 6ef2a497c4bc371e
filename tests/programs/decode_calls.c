/* Calls each syscall atrace decodes, with known arguments, for the
 * differential test against strace (tests/test_diff_strace.py).  Every value
 * that could differ between runs (ports, times, random bytes) is avoided. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void handler(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[4096], buf[256];
    struct stat st;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    snprintf(path, sizeof path, "%s/file.txt", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    write(fd, "hello, world\n", 13);
    write(fd, "a longer line that is cut at thirty-two bytes\n", 46);
    struct iovec iov[2] = {{"one ", 4}, {"two\n", 4}};
    writev(fd, iov, 2);
    pwrite(fd, "XY", 2, 3);
    fsync(fd);
    close(fd);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    read(fd, buf, 5);
    lseek(fd, 0, SEEK_SET);
    read(fd, buf, sizeof buf);
    pread(fd, buf, 4, 2);
    lseek(fd, -2, SEEK_END);
    fcntl(fd, F_GETFD);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    int fd2 = fcntl(fd, F_DUPFD, 20);
    close(fd2);
    fd2 = dup(fd);
    dup2(fd, 30);
    dup3(fd, 31, O_CLOEXEC);
    close(fd2);
    close(30);
    close(31);
    ioctl(fd, TCGETS, buf);
    close(fd);
    stat(path, &st);
    lstat("/nonexistent", &st);
    access(path, R_OK | W_OK);
    access("/", F_OK);
    access("/nonexistent", X_OK);
    snprintf(buf, sizeof buf, "%s/link", dir);
    symlink("file.txt", buf);
    readlink(buf, path + 2048, 100);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s/sub", dir);
    mkdir(buf, 0755);
    chdir(buf);
    chdir("..");
    rmdir(buf);
    umask(022);
    int pfd[2];
    pipe2(pfd, O_CLOEXEC);
    close(pfd[0]);
    close(pfd[1]);
    pipe(pfd);
    struct pollfd p[2] = {{pfd[0], POLLIN, 0}, {pfd[1], POLLOUT, 0}};
    poll(p, 2, 0);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {EPOLLIN, {.u64 = 7}};
    epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev);
    struct epoll_event out[2];
    epoll_wait(ep, out, 2, 0);
    close(ep);
    close(pfd[0]);
    close(pfd[1]);

    void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m, 4096, PROT_READ);
    madvise(m, 8192, MADV_DONTNEED);
    munmap(m, 8192);

    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(9);
    a.sin_addr.s_addr = htonl(0x7f000001);
    connect(s, (struct sockaddr *)&a, sizeof a);
    close(s);
    s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    close(s);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    strcpy(un.sun_path, "/nonexistent/socket");
    connect(s, (struct sockaddr *)&un, sizeof un);
    close(s);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    sendto(sv[0], "ping", 4, 0, NULL, 0);
    recvfrom(sv[1], buf, sizeof buf, 0, NULL, NULL);
    shutdown(sv[0], SHUT_WR);
    close(sv[0]);
    close(sv[1]);

    struct timespec ts = {0, 1000};
    nanosleep(&ts, NULL);
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    prctl(PR_GET_DUMPABLE);
    struct rlimit rl;
    getrlimit(RLIMIT_CORE, &rl);
    getpid();
    getuid();
    kill(getpid(), 0);

    /* SIGCHLD blocked: delivered before or after wait4 returns, it would
       race between the strace and the atrace run of this program. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t child = fork();
    if (child == 0)
        _exit(3);
    int status;
    wait4(child, &status, 0, NULL);
    child = fork();
    if (child == 0) {
        kill(getpid(), SIGTERM);
        _exit(0);
    }
    waitpid(child, &status, 0);
    snprintf(path, sizeof path, "%s/file.txt", dir);
    unlink(path);
    return 0;
}
