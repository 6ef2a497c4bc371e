/* A tracee that installs its own seccomp filter, as sandboxed programs do:
 * "allow" allows every call; "errno" makes getppid fail with EPERM and
 * allows the rest. Then it calls getppid and getpid and prints what they
 * returned: the same under atrace (with or without its own filter) as
 * untraced. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int deny = argc > 1 && strcmp(argv[1], "errno") == 0;
    struct sock_filter allow_all[] = {
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_filter deny_getppid[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {
        .len = deny ? sizeof deny_getppid / sizeof deny_getppid[0] : 1,
        .filter = deny ? deny_getppid : allow_all,
    };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
        perror("seccomp");
        return 1;
    }
    errno = 0;
    long ppid = syscall(SYS_getppid);
    int ppid_errno = errno;
    printf("getppid %s errno %d\n", ppid > 0 ? "ok" : "failed", ppid_errno);
    printf("getpid %s\n", getpid() > 0 ? "ok" : "failed");
    return 0;
}
