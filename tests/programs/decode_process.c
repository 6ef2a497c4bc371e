/* Process calls whose arguments point at structs: sysinfo, prctl's
 * options, futex timeouts and operations, clone's and clone3's parent_tid and
 * pidfd, CPU affinity masks, group lists, and on i386 set_thread_area and
 * the 32-bit rlimit calls.  For the differential test against strace (tests/test_diff_strace.py);
 * compiled -m64 and -m32.  Values that differ between runs are avoided (or
 * masked by the test). */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __i386__
#include <asm/ldt.h>
#endif

static void names(void)
{
    char name[16];
    int value = -1;
    prctl(PR_SET_NAME, "decode-process");
    prctl(PR_GET_NAME, name);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    prctl(PR_GET_PDEATHSIG, &value);
    prctl(PR_SET_PDEATHSIG, 0);
    prctl(PR_GET_DUMPABLE);
    prctl(PR_SET_DUMPABLE, 1);
    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN);
    prctl(PR_CAPBSET_READ, CAP_CHOWN);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    prctl(PR_GET_CHILD_SUBREAPER, &value);
    prctl(PR_GET_TIMERSLACK);
    prctl(PR_GET_SECCOMP);
    prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
    prctl(PR_SET_KEEPCAPS, 0);
    prctl(PR_GET_KEEPCAPS);
}

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *timeout, uint32_t *uaddr2,
                  uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static void futexes(void)
{
    static uint32_t word = 1, other = 2;
    struct timespec rel = {0, 1000000};
    futex(&word, FUTEX_WAIT, 1, &rel, NULL, 0);
    futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
    futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0);
    futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    /* An absolute timeout already in the past: times out at once. */
    struct timespec past = {1, 0};
    futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &past, NULL, FUTEX_BITSET_MATCH_ANY);
    futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 1, &past, NULL, 0x5);
    futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x3);
    futex(&word, FUTEX_REQUEUE, 1, (const struct timespec *)2, &other, 0);
    futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (const struct timespec *)2, &other, 1);
    futex(&word, FUTEX_CMP_REQUEUE, 1, (const struct timespec *)2, &other, 7);
    futex(&word, FUTEX_WAKE_OP, 1, (const struct timespec *)1, &other,
          FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1));
    futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (const struct timespec *)0, &other,
          FUTEX_OP((FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT), 3, FUTEX_OP_CMP_EQ, 0));
}

static void clone_parent_tid(void)
{
    pid_t parent_tid = 0;
    int status;
#ifdef __i386__
    /* i386 clone: flags, stack, parent_tid, tls, child_tid. */
    long child = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, &parent_tid, 0, 0);
#else
    /* x86_64 clone: flags, stack, parent_tid, child_tid, tls. */
    long child = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, &parent_tid, 0, 0);
#endif
    if (child == 0)
        _exit(0);
    wait4((pid_t)child, &status, 0, NULL);
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PARENT_SETTID;
    args.parent_tid = (uintptr_t)&parent_tid;
    args.exit_signal = SIGCHLD;
    child = syscall(SYS_clone3, &args, sizeof args);
    if (child == 0)
        _exit(0);
    wait4((pid_t)child, &status, 0, NULL);
}

static void affinity(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    syscall(SYS_sched_getaffinity, 0, 8, &set);
    syscall(SYS_sched_getaffinity, 0, 3, &set); /* too small: EINVAL */
    syscall(SYS_sched_getaffinity, 0, 8, NULL);
    CPU_SET(0, &set);
    syscall(SYS_sched_setaffinity, 0, 8, &set);
    syscall(SYS_sched_setaffinity, 0, 8, NULL);
    CPU_ZERO(&set);
    CPU_SET(100, &set); /* no such CPU: EINVAL */
    syscall(SYS_sched_setaffinity, 0, 16, &set);
}

static void groups(void)
{
    gid_t list[64] = {100, 5, 42};
    gid_t saved[64];
    int count = syscall(SYS_getgroups, 64, saved);
    syscall(SYS_getgroups, 0, NULL);
    /* As root (the test runs as root or fails with EPERM), a list of ours. */
    syscall(SYS_setgroups, 3, list);
    syscall(SYS_getgroups, 64, list);
    syscall(SYS_getgroups, 1, list); /* too small: EINVAL */
    syscall(SYS_setgroups, 2, (void *)8);
#ifdef __i386__
    /* The old calls take 16-bit gids. */
    uint16_t old[3] = {7, 8, 9};
    syscall(SYS_setgroups32, 2, list);
    syscall(SYS_getgroups32, 64, list);
    syscall(SYS_setgroups, 3, old);
    syscall(SYS_getgroups, 64, old);
#endif
    if (count >= 0)
        syscall(SYS_setgroups, count, saved);
}

static void clone3_without_pidfd(void)
{
    int pidfd = -1;
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = 0;
    args.pidfd = (uintptr_t)&pidfd; /* ignored without CLONE_PIDFD */
    args.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    args.flags = CLONE_PIDFD;
    args.pidfd = 0; /* EFAULT */
    syscall(SYS_clone3, &args, sizeof args);
}

static void i386_thread_area_and_rlimits(void)
{
#ifdef __i386__
    struct user_desc desc;
    memset(&desc, 0, sizeof desc);
    desc.entry_number = (unsigned)-1;
    desc.base_addr = 0x1000;
    desc.limit = 0xff;
    desc.seg_32bit = 1;
    desc.useable = 1;
    syscall(SYS_set_thread_area, &desc);
    syscall(SYS_get_thread_area, &desc);
    struct rlimit rl;
    syscall(SYS_ugetrlimit, RLIMIT_NOFILE, &rl);
    syscall(SYS_ugetrlimit, RLIMIT_STACK, &rl);
    syscall(SYS_getrlimit, RLIMIT_STACK, &rl);
    syscall(SYS_getrlimit, RLIMIT_AS, &rl);
    syscall(SYS_ugetrlimit, RLIMIT_CORE, &rl);
    syscall(SYS_setrlimit, RLIMIT_CORE, &rl);
    rl.rlim_cur = 0;
    syscall(SYS_setrlimit, RLIMIT_CORE, &rl);
#else
    struct rlimit rl;
    syscall(SYS_getrlimit, RLIMIT_STACK, &rl);
    syscall(SYS_setrlimit, RLIMIT_STACK, &rl);
#endif
}

static void pidfds(void)
{
    /* SIGCHLD blocked: its delivery would race with waitpid's return. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int pidfd = -1;
    pid_t tid = 0;
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PIDFD | CLONE_PARENT_SETTID;
    args.pidfd = (uintptr_t)&pidfd;
    args.parent_tid = (uintptr_t)&tid;
    args.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    close(pidfd);
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PIDFD;
    args.pidfd = (uintptr_t)&pidfd;
    args.exit_signal = SIGCHLD;
    pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    close(pidfd);
#if defined(__x86_64__)
    pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, 0);
#else
    pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pidfd, 0, NULL);
#endif
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    close(pidfd);
}

/* ptrace's requests on a pid that does not exist (ESRCH) or on itself
 * (already traced: EPERM), made with the raw call so that no stack address
 * of glibc's wrapper shows. */
static void ptrace_requests(void)
{
    const long nobody = 0x7ffffff0;
    syscall(SYS_ptrace, 0L, 0L, 0L, 0L);                       /* PTRACE_TRACEME */
    syscall(SYS_ptrace, 0xbadc0deL, nobody, 0L, 0L);           /* unknown */
    syscall(SYS_ptrace, 2L, nobody, 0x1000L, 0x2000L);         /* PTRACE_PEEKDATA */
    syscall(SYS_ptrace, 5L, nobody, 0x1000L, 0xdeadL);         /* PTRACE_POKEDATA */
    syscall(SYS_ptrace, 7L, nobody, 0L, (long)SIGUSR1);        /* PTRACE_CONT */
    syscall(SYS_ptrace, 16L, nobody, 0L, 0L);                  /* PTRACE_ATTACH */
    syscall(SYS_ptrace, 0x4200L, nobody, 0L, 0xaL);            /* PTRACE_SETOPTIONS */
    syscall(SYS_ptrace, 0x4206L, nobody, 0L, 0x100001L);       /* PTRACE_SEIZE */
    syscall(SYS_ptrace, 0x420eL, nobody, 88L, 0L);             /* PTRACE_GET_SYSCALL_INFO */
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    /* SIGCHLD blocked from the start: each child's SIGCHLD would otherwise
     * be delivered before or after the parent's wait returns, as the
     * scheduler has it, and the two traces would differ by that. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    struct sysinfo si;
    sysinfo(&si);
    names();
    futexes();
    clone_parent_tid();
    affinity();
    groups();
    clone3_without_pidfd();
    prctl(PR_CAPBSET_READ, 48); /* no such capability: EINVAL */
    i386_thread_area_and_rlimits();
    pidfds();
    ptrace_requests();
    /* perf_event_open's PERF_FLAG_* flags (no attr: EFAULT) */
    syscall(SYS_perf_event_open, 0L, 0L, -1L, -1L, 0x9L);
    return 0;
}
