/* Calls whose arguments are named constants, flags, modes, signals and
 * device numbers, with fixed results, for the -X / -e abbrev= / -e raw=
 * tests (test_const_style.py).  Each call's result does not depend on the
 * machine: fds are 3, 4, 5 in order, failures are on paths or pids that
 * cannot exist. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
    syscall(SYS_lseek, fd, 0, SEEK_END);
    struct stat st;
    syscall(SYS_fstat, fd, &st);
    syscall(SYS_mprotect, 0x10000, 0, PROT_READ | PROT_EXEC);
    syscall(SYS_mprotect, 0x10000, 0, PROT_NONE);
    syscall(SYS_mmap, 0, 0, PROT_NONE, 0, -1, 0);
    syscall(SYS_umask, 022);
    syscall(SYS_umask, 07777);
    syscall(SYS_umask, 022);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
    syscall(SYS_kill, 0x7ffffff0, SIGUSR1);
    syscall(SYS_mknod, "/nonexistent/xstyle", S_IFCHR | 0600, makedev(1, 7));
    syscall(SYS_mknod, "/nonexistent/xstyle", S_IFIFO | S_ISUID | 0644, 0);
    syscall(SYS_eventfd2, 0, EFD_CLOEXEC | EFD_NONBLOCK);
    syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    syscall(SYS_memfd_create, "xstyle", 30u << 26);
    syscall(SYS_unlinkat, AT_FDCWD, "/nonexistent/xstyle", AT_REMOVEDIR);
    struct timespec nap = {0, 1000};
    syscall(SYS_nanosleep, &nap, NULL);
    return 0;
}
