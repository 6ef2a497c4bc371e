/* Calls whose arguments mean what a command or option says: prctl's
 * options, seccomp's operations (a filter that allows everything).  For the
 * differential test against strace (tests/test_diff_strace.py); compiled
 * -m64 and -m32.  Values that differ between runs are avoided. */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/quota.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif
#ifndef PR_SCHED_CORE
#define PR_SCHED_CORE 62
#endif
#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif

static void options(void)
{
    int value = -1;
    uint64_t cookie = 0;
    char name[16];
    prctl(PR_SET_NAME, "a-name-longer-than-fifteen");
    prctl(PR_GET_NAME, name);
    prctl(PR_GET_TSC, &value);
    prctl(PR_SET_TSC, PR_TSC_ENABLE);
    prctl(PR_SET_TSC, 0);
    prctl(PR_GET_UNALIGN, &value);
    prctl(PR_SET_UNALIGN, PR_UNALIGN_NOPRINT | PR_UNALIGN_SIGBUS);
    prctl(PR_SET_DUMPABLE, 3);
    prctl(PR_GET_KEEPCAPS);
    prctl(PR_GET_SECUREBITS);
    prctl(PR_SET_SECUREBITS, 0x10000);
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0);
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    prctl(PR_CAP_AMBIENT, 0xff, 1, 2, 3);
    prctl(PR_MCE_KILL_GET, 0, 0, 0, 0);
    prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_DEFAULT, 0, 0);
    prctl(PR_GET_CHILD_SUBREAPER, &value);
    prctl(PR_SET_TIMERSLACK, 50000);
    prctl(PR_GET_TIMERSLACK);
    prctl(PR_GET_ENDIAN, &value);
    prctl(PR_SCHED_CORE, 0, 0, 0, &cookie);
    prctl(PR_SCHED_CORE, 7, 0, 9, 0);
    prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0, 4096, "an anonymous name");
    prctl(PR_SET_SYSCALL_USER_DISPATCH, 0, 0, 0, 0);
    prctl(0x7fffffff, 1, 2, 3, 4);
}

static void seccomp_calls(void)
{
    struct sock_filter allow[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_K | BPF_JEQ, 0xffff, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof(allow) / sizeof(allow[0]), allow};
    unsigned int action = SECCOMP_RET_KILL_PROCESS;
    uint16_t sizes[3];
    syscall(__NR_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action);
    syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, sizes);
    syscall(__NR_seccomp, 0xff, 0, 0);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0x40, &prog);
    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &prog);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
    prctl(PR_GET_SECCOMP);
}

static void other_commands(void)
{
    /* Wrong magic numbers: the kernel refuses before anything happens. */
    syscall(__NR_reboot, 0, 0, 0xA1B2C3D4, "restart-command");
    syscall(__NR_reboot, 0xfee1dead, 0x12345678, 0x12345678, 0);
    syscall(__NR_syslog, 10, 0, 0);
    syscall(__NR_syslog, 8, 0, 42);
    syscall(__NR_syslog, 99, 0, -1);
    /* IPC keys and flags; no object is created (the ids would differ between runs). */
    syscall(__NR_msgget, 0xfdb9f531, 0xface1000 | 06125);
    syscall(__NR_semget, 0xfdb9f531, 3, 06125);
    syscall(__NR_shmget, 0xfdb9f531, 4096, 0x54000000 | 014640);
    syscall(__NR_msgctl, -1, 2, 0);
    syscall(__NR_shmctl, -1, 0x100 | 1, 0);
    /* quotactl on a device that does not exist: ENOENT, after the decoding. */
    unsigned int format = 0;
    struct dqinfo info = {604800, 86400, 1, 7};
    quotactl(QCMD(Q_GETFMT, USRQUOTA), "/dev/no-such-device", 0, (caddr_t)&format);
    quotactl(QCMD(Q_SETINFO, GRPQUOTA), "/dev/no-such-device", 0, (caddr_t)&info);
    quotactl(QCMD(Q_QUOTAON, USRQUOTA), "/dev/no-such-device", 2, (caddr_t)"/no-such-file");
    quotactl(QCMD(Q_GETQUOTA, 2), "/dev/no-such-device", -1, (caddr_t)&info);
    syscall(__NR_quotactl, 0xbadc0ded, 0, -1, 0);
    /* fsconfig on fd -1: EBADF, after the decoding. */
    syscall(__NR_fsconfig, -1, 1, "source", "/dev/none", 0);
    syscall(__NR_fsconfig, -1, 2, "blob", "\1\2\3", 3);
    syscall(__NR_fsconfig, -1, 3, "path", "/dev/none", -100);
    syscall(__NR_fsconfig, -1, 5, "fd", 0, 1);
    syscall(__NR_fsconfig, -1, 6, 0, 0, 0);
}

int main(void)
{
    options();
    other_commands();
    seccomp_calls();
    return 0;
}
