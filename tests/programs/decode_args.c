/* Argument width and sign, values the kernel writes through a pointer and
 * return values strace explains.  For the differential test against strace
 * (tests/test_diff_strace.py); compiled -m64 and -m32.  Values that differ
 * between runs are avoided (or masked by the test). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Garbage in the upper half of a 64-bit register: the kernel reads an int
 * argument from the lower half only, and strace shows only that. */
#define HIGH ((long)(sizeof(long) > 4 ? 0xdefaced00000000ULL : 0))

static void widths(void)
{
    uint32_t word = 0;
    struct timespec bad = {0, -1};
    syscall(SYS_wait4, -1L, NULL, HIGH | 1L /* WNOHANG */, NULL); /* ECHILD */
    syscall(SYS_wait4, -1L, NULL, HIGH | 2L /* WSTOPPED */, NULL);
    syscall(SYS_dup3, HIGH | 1L, HIGH | 100L, HIGH | (long)O_CLOEXEC);
    close(100);
    syscall(SYS_futex, &word, HIGH | 1L /* FUTEX_WAKE */, HIGH | 0xfacefeedL, NULL, NULL, 0L);
    syscall(SYS_nanosleep, &bad, NULL); /* EINVAL: a negative tv_nsec, shown unsigned */
}

static void written(void)
{
    uid_t r, e, s;
    gid_t g[3];
    void *head;
    size_t len;
    struct sched_param param = {0};
    syscall(SYS_getresuid, &r, &e, &s);
    syscall(SYS_getresgid, &g[0], &g[1], &g[2]);
    syscall(SYS_getresuid, NULL, &e, &s); /* EFAULT: the addresses */
    syscall(SYS_get_robust_list, 0, &head, &len);
    syscall(SYS_sched_getparam, 0, &param);
    syscall(SYS_sched_getscheduler, 0);
    syscall(SYS_sched_setscheduler, 0, 0xfacefeed, &param); /* EINVAL */
    syscall(SYS_sched_get_priority_max, SCHED_RR);
}

static void residency(void)
{
    long page = sysconf(_SC_PAGESIZE);
    unsigned char vec[3];
    char *area = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    area[0] = 1; /* the first page is in memory, the others never touched */
    syscall(SYS_mincore, area, 2 * page + 1, vec);
    syscall(SYS_mincore, area, page, NULL); /* EFAULT */
    munmap(area, 3 * page);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    widths();
    written();
    residency();
    return 0;
}
