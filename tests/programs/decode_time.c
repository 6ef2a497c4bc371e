/* Time calls: interval timers (setitimer, getitimer, alarm) and times.  For the differential test against strace (tests/test_diff_strace.py);
 * compiled -m64 and -m32.  Values that differ between runs are avoided (or
 * masked by the test). */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <unistd.h>

static void itimers(void)
{
    struct itimerval set = {{0, 0}, {100, 250000}}, old;
    syscall(SYS_setitimer, ITIMER_REAL, &set, &old);
    syscall(SYS_getitimer, ITIMER_REAL, &old);
    set.it_value.tv_sec = 0;
    set.it_value.tv_usec = 0;
    syscall(SYS_setitimer, ITIMER_REAL, &set, NULL);
    syscall(SYS_getitimer, ITIMER_VIRTUAL, &old);
    syscall(SYS_setitimer, ITIMER_PROF, &set, &old);
    syscall(SYS_getitimer, 7, &old); /* EINVAL */
    syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL); /* EFAULT */
    syscall(SYS_alarm, 0);
}

static void times_call(void)
{
    struct tms t;
    syscall(SYS_times, &t);
    syscall(SYS_times, NULL);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    itimers();
    times_call();
    return 0;
}
