/* File calls: statfs/fstatfs, utimes/futimesat/utime, and on i386 _llseek
 * and the 32-bit statfs calls.  For the differential test against strace (tests/test_diff_strace.py);
 * compiled -m64 and -m32.  Values that differ between runs are avoided (or
 * masked by the test). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

static void filesystems(const char *dir)
{
    struct statfs sf;
    statfs("/proc", &sf);
    statfs("/sys", &sf);
    statfs("/nonexistent", &sf);
    int fd = open("/proc/self", O_RDONLY | O_DIRECTORY);
    fstatfs(fd, &sf);
    close(fd);
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    fstatfs(fd, &sf);
    close(fd);
    fstatfs(-1, &sf);
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

static void i386_llseek_and_statfs(const char *self)
{
#ifdef __i386__
    int fd = open(self, O_RDONLY);
    long long pos;
    syscall(SYS__llseek, fd, 0, 5, &pos, SEEK_SET);
    syscall(SYS__llseek, fd, 1, 0, &pos, SEEK_SET);
    close(fd);
    struct statfs sf;
    syscall(SYS_statfs, "/proc", &sf);
    fd = open("/proc/self", O_RDONLY | O_DIRECTORY);
    syscall(SYS_fstatfs, fd, &sf);
    close(fd);
#else
    (void)self;
#endif
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    filesystems(dir);
    file_times(dir);
    i386_llseek_and_statfs(argv[0]);
    return 0;
}
