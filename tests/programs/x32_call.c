/* Makes getpid through the x32 ABI (number 39 with the x32 bit, 0x40000000)
 * and then natively. A kernel without x32 support answers ENOSYS, but the
 * seccomp filter and the tracer see the call either way: under seccomp-bpf
 * with a set naming getpid, the x32 call must stop too. */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    errno = 0;
    long ret = syscall(0x40000000L | 39);
    printf("x32 getpid %s\n", ret > 0 ? "ok" : errno == ENOSYS ? "ENOSYS" : "failed");
    printf("native getpid %s\n", getpid() > 0 ? "ok" : "failed");
    return 0;
}
