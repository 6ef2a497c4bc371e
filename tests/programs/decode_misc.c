/* Calls whose arguments point at structs atrace decodes besides those of
 * decode_calls.c: statfs, sysinfo, prctl, futex timeouts, select's time
 * left, clone's parent_tid, the mask sigreturn restores, and the i386-only
 * set_thread_area, _llseek and 32-bit rlimit.  For the differential test
 * against strace (tests/test_diff_strace.py); every value that differs
 * between runs is either avoided or masked by the test. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __i386__
#include <asm/ldt.h>
#endif

static volatile int handled;
static void handler(int sig) { handled = sig; }
static void info_handler(int sig, siginfo_t *info, void *context)
{
    (void)info;
    (void)context;
    handled = sig;
}

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

static void names(void)
{
    char name[16];
    int value = -1;
    prctl(PR_SET_NAME, "decode-misc");
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

static void selects(void)
{
    int pfd[2];
    pipe(pfd);
    fd_set in, out;
    FD_ZERO(&in);
    FD_SET(pfd[0], &in);
    struct timeval tv = {0, 1000};
    select(pfd[0] + 1, &in, NULL, NULL, &tv);
    FD_ZERO(&in);
    FD_SET(pfd[0], &in);
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    select(pfd[1] + 1, &in, &out, NULL, &tv);
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    select(pfd[1] + 1, NULL, &out, NULL, NULL);
    struct timespec ts = {5, 0};
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    pselect(pfd[1] + 1, NULL, &out, NULL, &ts, NULL);
    ts.tv_sec = 0;
    ts.tv_nsec = 1000;
    FD_ZERO(&in);
    FD_SET(pfd[0], &in);
    pselect(pfd[0] + 1, &in, NULL, NULL, &ts, NULL);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGHUP);
    ts.tv_sec = 5;
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    pselect(pfd[1] + 1, NULL, &out, NULL, &ts, &mask);
    /* glibc's select() is pselect6: the old call itself, by number. */
#ifdef __i386__
    long old_select = SYS__newselect;
#else
    long old_select = SYS_select;
#endif
    tv.tv_sec = 0;
    tv.tv_usec = 1000;
    FD_ZERO(&in);
    FD_SET(pfd[0], &in);
    syscall(old_select, pfd[0] + 1, &in, NULL, NULL, &tv);
    tv.tv_sec = 5;
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    syscall(old_select, pfd[1] + 1, NULL, &out, NULL, &tv);
    FD_ZERO(&out);
    FD_SET(pfd[1], &out);
    syscall(old_select, pfd[1] + 1, NULL, &out, NULL, NULL);
    close(pfd[0]);
    close(pfd[1]);
}

static void clones(void)
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

static void signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    raise(SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGUSR2);
}

static void i386_only(const char *self)
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
    int fd = open(self, O_RDONLY);
    long long pos;
    syscall(SYS__llseek, fd, 0, 5, &pos, SEEK_SET);
    syscall(SYS__llseek, fd, 1, 0, &pos, SEEK_SET);
    close(fd);
    struct rlimit rl;
    syscall(SYS_ugetrlimit, RLIMIT_NOFILE, &rl);
    syscall(SYS_ugetrlimit, RLIMIT_STACK, &rl);
    syscall(SYS_getrlimit, RLIMIT_STACK, &rl);
    syscall(SYS_getrlimit, RLIMIT_AS, &rl);
    syscall(SYS_ugetrlimit, RLIMIT_CORE, &rl);
    syscall(SYS_setrlimit, RLIMIT_CORE, &rl);
    rl.rlim_cur = 0;
    syscall(SYS_setrlimit, RLIMIT_CORE, &rl);
    struct statfs sf;
    syscall(SYS_statfs, "/proc", &sf);
    fd = open("/proc/self", O_RDONLY | O_DIRECTORY);
    syscall(SYS_fstatfs, fd, &sf);
    close(fd);
#else
    (void)self;
    struct rlimit rl;
    syscall(SYS_getrlimit, RLIMIT_STACK, &rl);
    syscall(SYS_setrlimit, RLIMIT_STACK, &rl);
#endif
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    struct sysinfo si;
    sysinfo(&si);
    filesystems(dir);
    names();
    futexes();
    selects();
    clones();
    signals();
    i386_only(argv[0]);
    return 0;
}
