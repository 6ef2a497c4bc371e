/*
 * pidns_structs: pids inside structs, for --pidns-translation.  Run in a
 * pid namespace of its own (unshare -Urpf), where it is pid 1:
 *   - getsockopt(SO_PEERCRED) on a socketpair: the kernel writes its pid;
 *   - ioctl(-1, BLKTRACESETUP, {..., pid=getpid()}): the pid goes in (EBADF).
 * Exit code 0; 1 if a call did not behave as described.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/blktrace_api.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return 1;
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.pid != getpid())
        return 1;
    struct blk_user_trace_setup setup;
    memset(&setup, 0, sizeof(setup));
    setup.buf_size = 4096;
    setup.buf_nr = 2;
    setup.pid = getpid();
    if (ioctl(-1, BLKTRACESETUP, &setup) != -1 || errno != EBADF)
        return 1;
    return 0;
}
