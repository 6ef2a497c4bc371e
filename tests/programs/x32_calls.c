/* Calls made with the x32 ABI's bit in the syscall number, from a 64-bit
 * program (whether the kernel implements x32 or answers ENOSYS, the tracer
 * sees the call): getpid (39, shared with x86_64's table), and x32's own
 * writev (516) and rt_sigpending (522), numbered past every x86_64 call.
 * The iovec and its text live below 4 GiB (MAP_32BIT), where x32's 32-bit
 * pointers reach them. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define X32 0x40000000

int main(void) {
    static const char text[] = "x32 says hi\n";
    char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (low == MAP_FAILED)
        return 1;
    /* struct iovec of x32: two 32-bit words, then the text. */
    unsigned int *iov = (unsigned int *)low;
    memcpy(low + 8, text, sizeof text - 1);
    iov[0] = (unsigned int)(unsigned long)(low + 8);
    iov[1] = sizeof text - 1;
    syscall(X32 | 39);
    syscall(X32 | 516, 1, iov, 1);
    syscall(X32 | 522, 0, 8);
    return 0;
}
