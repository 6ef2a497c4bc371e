/* A 64-bit program that makes i386 system calls with `int $0x80`: the
 * tracer must decode them with the i386 table (getpid is 20 there, 39 on
 * x86_64; write is 4, not 1) and say when the process changes mode. */
#include <unistd.h>

int main(void)
{
    static const char msg[] = "via int80\n";
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");  /* getpid */
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(4L), "b"(1L), "c"((long)msg), "d"((long)sizeof msg - 1)
                     : "memory");  /* write(1, msg, 10): msg is below 4 GiB in a non-PIE build */
    write(1, "native\n", 7);
    return 0;
}
