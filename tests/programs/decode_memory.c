/* Memory calls: NUMA memory policies (set_mempolicy, get_mempolicy, mbind)
 * and their node masks.  For the differential test against strace (tests/test_diff_strace.py);
 * compiled -m64 and -m32.  Values that differ between runs are avoided (or
 * masked by the test). */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static void mempolicy(void)
{
    /* Word by word, as many as maxnode - 1 bits need: 1 on x86_64, 2 on i386. */
    unsigned long mask[40] = {1, 0}, got[2] = {0, 0};
    int mode = -1;
    for (int i = 2; i < 40; i++)
        mask[i] = i;
    syscall(SYS_set_mempolicy, 0 /* MPOL_DEFAULT */, NULL, 0);
    syscall(SYS_set_mempolicy, 1 /* MPOL_PREFERRED */, mask, 64);
    syscall(SYS_get_mempolicy, &mode, got, 64, NULL, 0);
    syscall(SYS_set_mempolicy, 0, NULL, 0);
    syscall(SYS_get_mempolicy, &mode, NULL, 0, NULL, 0);
    syscall(SYS_get_mempolicy, &mode, got, 64, NULL, 4 /* MPOL_F_MEMS_ALLOWED */);
    syscall(SYS_get_mempolicy, &mode, NULL, 64, NULL, 1 /* MPOL_F_NODE: EINVAL */);
    syscall(SYS_get_mempolicy, &mode, got, 65, NULL, 3 /* MPOL_F_NODE|MPOL_F_ADDR: EFAULT */);
    syscall(SYS_set_mempolicy, 99, NULL, 0); /* EINVAL */
    syscall(SYS_set_mempolicy, 1, mask, 65);
    syscall(SYS_set_mempolicy, 1, mask, 1); /* no whole word: the address */
    syscall(SYS_set_mempolicy, 1, mask, 0); /* [] */
    syscall(SYS_set_mempolicy, 1 | (1 << 15) /* MPOL_F_STATIC_NODES */, mask, 64);
    syscall(SYS_set_mempolicy, 2 | (1 << 14) /* MPOL_F_RELATIVE_NODES */, (void *)8, 64); /* EFAULT */
    syscall(SYS_set_mempolicy, 1, mask, 40 * 64); /* more words than -s shows */
    syscall(SYS_set_mempolicy, 0, NULL, 0);
    void *page = (void *)(((uintptr_t)mask) & ~(uintptr_t)4095);
    syscall(SYS_mbind, page, 4096, 2 /* MPOL_BIND */, mask, 64, 0);
    syscall(SYS_mbind, page, 4096, 0, NULL, 0, 0);
    syscall(SYS_mbind, NULL, 4096, 2, mask, 64, 7); /* all three MPOL_MF_*: EINVAL */
    syscall(SYS_mbind, NULL, 4096, 7, mask, 64, 8); /* unknown mode and flag */
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    mempolicy();
    return 0;
}
