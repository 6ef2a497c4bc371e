"""Calls whose pointer argument means what a command argument says:
seccomp's operations, the System V IPC control commands, quotactl's,
syslog's actions, reboot's commands, arch_prctl's.

For each such call: the index of its command argument, the bits of it that
choose (the rest are flags such as IPC_64), and per command what the
pointer argument holds and when the tracer copies it: "in" at entry (the
program passes it), "out" at exit when the call succeeded (the kernel
writes it).  The size is in bytes per ABI (64-bit longs, 32-bit longs),
"fprog" for a struct sock_fprog and the BPF program it points to, "ret"
for as many bytes as the call returned (up to -s), or "path" for a path.  The
tracer reads by it (atrace.tracer.call_readers), the renderer shows by it
(atrace.render.decode: seccomp, ipc, quota, misc).  Values and layouts from the kernel's uapi
headers (linux/seccomp.h, linux/ipc.h, linux/msg.h, linux/shm.h,
linux/sem.h, linux/quota.h, linux/reboot.h).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

IN, OUT = "in", "out"


class CmdArg(NamedTuple):
    when: str  # IN or OUT
    shape: str  # the renderer's name for what it is
    wide: int | str  # bytes in a 64-bit ABI ("fprog": a sock_fprog and its program)
    narrow: int | str  # bytes in i386


class CmdCall(NamedTuple):
    command: int  # index of the command argument
    mask: int  # the bits of it that choose (after the shift)
    pointer: int  # index of the argument that points to memory
    commands: dict[int, CmdArg]
    shift: int = 0  # quotactl's command is above its quota type


SECCOMP_SET_MODE_FILTER, SECCOMP_GET_ACTION_AVAIL, SECCOMP_GET_NOTIF_SIZES = 1, 2, 3
SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_READ_CLEAR = 2, 3, 4
LINUX_REBOOT_CMD_RESTART2 = 0xA1B2C3D4
# RESTART2's command string: the kernel copies at most 256 bytes, NUL included.
REBOOT_ARG_SIZE = 256
_SYSLOG_TEXT = CmdArg(OUT, "text", "ret", "ret")

# quotactl's commands (linux/quota.h; QCMD(cmd, type) is cmd << 8 | type).
Q_SYNC, Q_QUOTAON, Q_QUOTAOFF, Q_GETFMT, Q_GETINFO, Q_SETINFO = (
    0x800001,
    0x800002,
    0x800003,
    0x800004,
    0x800005,
    0x800006,
)
Q_GETQUOTA, Q_SETQUOTA, Q_GETNEXTQUOTA = 0x800007, 0x800008, 0x800009
QCMD_SHIFT = 8
# XFS's quota commands (linux/dqblk_xfs.h: XQM_CMD(x) is 'X' << 8 | x).
Q_XQUOTAON, Q_XQUOTAOFF, Q_XGETQUOTA, Q_XSETQLIM, Q_XGETQSTAT = 0x5801, 0x5802, 0x5803, 0x5804, 0x5805
Q_XQUOTARM, Q_XQUOTASYNC, Q_XGETQSTATV, Q_XGETNEXTQUOTA = 0x5806, 0x5807, 0x5808, 0x5809
# struct fs_disk_quota (112 bytes) and fs_quota_statv (160) are the same in
# every ABI; struct fs_quota_stat is 80 bytes in the 64-bit ABI (i386's
# packs its u64s differently: not decoded, size 0).
_XFS_FLAGS = CmdArg(IN, "xfs_flags", 4, 4)
_XFS_DQBLK_OUT = CmdArg(OUT, "xfs_dqblk", 112, 112)
# struct if_dqblk and if_nextdqblk (72 bytes), struct if_dqinfo (24): no longs.
_QUOTA_COMMANDS = {
    Q_XQUOTAON: _XFS_FLAGS, Q_XQUOTAOFF: _XFS_FLAGS, Q_XQUOTARM: CmdArg(IN, "xfs_types", 4, 4),
    Q_XGETQUOTA: _XFS_DQBLK_OUT, Q_XGETNEXTQUOTA: _XFS_DQBLK_OUT, Q_XSETQLIM: CmdArg(IN, "xfs_dqblk", 112, 112),
    Q_XGETQSTAT: CmdArg(OUT, "xfs_qstat", 80, 0), Q_XGETQSTATV: CmdArg(OUT, "xfs_qstatv", 160, 160),
    Q_QUOTAON: CmdArg(IN, "path", "path", "path"),
    Q_SETQUOTA: CmdArg(IN, "dqblk", 72, 72), Q_GETQUOTA: CmdArg(OUT, "dqblk", 72, 72),
    Q_GETNEXTQUOTA: CmdArg(OUT, "nextdqblk", 72, 72),
    Q_SETINFO: CmdArg(IN, "dqinfo", 24, 24), Q_GETINFO: CmdArg(OUT, "dqinfo", 24, 24),
    Q_GETFMT: CmdArg(OUT, "quota_format", 4, 4),
}  # fmt: skip

# System V IPC control commands (the IPC_64 bit, 0x100, is a flag: masked
# off).  The structs are the 64-bit ABI's (asm-generic and x86's msgbuf.h,
# shmbuf.h, sembuf.h: struct ipc64_perm is 48 bytes); i386's are not
# decoded (size 0: its address is shown).
IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO = 0, 1, 2, 3
MSG_STAT, MSG_INFO, MSG_STAT_ANY = 11, 12, 13
SHM_STAT, SHM_INFO, SHM_STAT_ANY = 13, 14, 15
SEM_STAT, SEM_INFO, SEM_STAT_ANY = 18, 19, 20
IPC_CMD_MASK = 0xFF
_MSQID_OUT = CmdArg(OUT, "msqid_ds", 120, 0)
_MSGINFO = CmdArg(OUT, "msginfo", 32, 0)
_SHMID_OUT = CmdArg(OUT, "shmid_ds", 112, 0)
_SEMID_OUT = CmdArg(OUT, "semid_ds", 104, 0)
_SEMINFO = CmdArg(OUT, "seminfo", 40, 0)

CMD_CALLS: dict[str, CmdCall] = {
    "seccomp": CmdCall(0, 0xFFFFFFFF, 2, {
        SECCOMP_SET_MODE_FILTER: CmdArg(IN, "fprog", "fprog", "fprog"),
        SECCOMP_GET_ACTION_AVAIL: CmdArg(IN, "seccomp_action", 4, 4),
        SECCOMP_GET_NOTIF_SIZES: CmdArg(OUT, "notif_sizes", 6, 6),
    }),
    "syslog": CmdCall(0, 0xFFFFFFFF, 1, {
        SYSLOG_ACTION_READ: _SYSLOG_TEXT, SYSLOG_ACTION_READ_ALL: _SYSLOG_TEXT, SYSLOG_ACTION_READ_CLEAR: _SYSLOG_TEXT,
    }),
    "msgctl": CmdCall(1, IPC_CMD_MASK, 2, {
        IPC_SET: CmdArg(IN, "msqid_ds", 120, 0), IPC_STAT: _MSQID_OUT, MSG_STAT: _MSQID_OUT,
        MSG_STAT_ANY: _MSQID_OUT, IPC_INFO: _MSGINFO, MSG_INFO: _MSGINFO,
    }),
    "shmctl": CmdCall(1, IPC_CMD_MASK, 2, {
        IPC_SET: CmdArg(IN, "shmid_ds", 112, 0), IPC_STAT: _SHMID_OUT, SHM_STAT: _SHMID_OUT,
        SHM_STAT_ANY: _SHMID_OUT, IPC_INFO: CmdArg(OUT, "shminfo", 72, 0), SHM_INFO: CmdArg(OUT, "shm_info", 48, 0),
    }),
    "semctl": CmdCall(2, IPC_CMD_MASK, 3, {
        IPC_SET: CmdArg(IN, "semid_ds", 104, 0), IPC_STAT: _SEMID_OUT, SEM_STAT: _SEMID_OUT,
        SEM_STAT_ANY: _SEMID_OUT, IPC_INFO: _SEMINFO, SEM_INFO: _SEMINFO,
    }),
    "quotactl": CmdCall(0, 0xFFFFFF, 3, _QUOTA_COMMANDS, QCMD_SHIFT),
    "quotactl_fd": CmdCall(1, 0xFFFFFF, 3, _QUOTA_COMMANDS, QCMD_SHIFT),
    "reboot": CmdCall(2, 0xFFFFFFFF, 3, {
        LINUX_REBOOT_CMD_RESTART2: CmdArg(IN, "cstr", REBOOT_ARG_SIZE, REBOOT_ARG_SIZE),
    }),
}  # fmt: skip

# arch_prctl's commands that write through their pointer (asm/prctl.h): the
# fs/gs base (an unsigned long) and the xfeature masks (a u64).
ARCH_GET_FS, ARCH_GET_GS = 0x1003, 0x1004
ARCH_GET_XCOMP_SUPP, ARCH_GET_XCOMP_PERM, ARCH_GET_XCOMP_GUEST_PERM = 0x1021, 0x1022, 0x1024
_XFEATURE_MASK = CmdArg(OUT, "xfeatures", 8, 8)
CMD_CALLS["arch_prctl"] = CmdCall(0, 0xFFFFFFFF, 1, {
    ARCH_GET_FS: CmdArg(OUT, "base", 8, 4), ARCH_GET_GS: CmdArg(OUT, "base", 8, 4),
    ARCH_GET_XCOMP_SUPP: _XFEATURE_MASK, ARCH_GET_XCOMP_PERM: _XFEATURE_MASK, ARCH_GET_XCOMP_GUEST_PERM: _XFEATURE_MASK,
})  # fmt: skip


def command_arg(call: str, args: Sequence[int]) -> CmdArg | None:
    """What the call's pointer argument holds for its command, or None."""
    described = CMD_CALLS.get(call)
    if described is None:
        return None
    return described.commands.get(args[described.command] >> described.shift & described.mask)


def read_size(call: str, args: Sequence[int], when: str, wide: bool) -> int | str | None:
    """What the tracer copies for the call at entry (IN) or exit (OUT)."""
    found = command_arg(call, args)
    if found is None or found.when != when:
        return None
    return found.wide if wide else found.narrow


# ptrace's requests whose data argument points to memory (linux/ptrace.h):
# the word PTRACE_PEEK* and PTRACE_GETEVENTMSG store, the siginfo_t of
# PTRACE_GETSIGINFO/PTRACE_SETSIGINFO (128 bytes), the signal masks, the
# seccomp metadata's filter index, and struct ptrace_syscall_info (88 bytes
# in every ABI: its fields are all __u64 or smaller; the renderer shows no
# more of it than the size argument and the return value both cover).
PTRACE_PEEKTEXT, PTRACE_PEEKDATA, PTRACE_PEEKUSER = 1, 2, 3
PTRACE_GETEVENTMSG, PTRACE_GETSIGMASK, PTRACE_SETSIGMASK = 0x4201, 0x420A, 0x420B
PTRACE_SECCOMP_GET_METADATA, PTRACE_GET_SYSCALL_INFO = 0x420D, 0x420E
PTRACE_SYSCALL_INFO_SIZE = 88
PTRACE_GETSIGINFO, PTRACE_SETSIGINFO, SIGINFO_SIZE = 0x4202, 0x4203, 128
_PTRACE_WORD = CmdArg(OUT, "word", 8, 4)
CMD_CALLS["ptrace"] = CmdCall(0, (1 << 64) - 1, 3, {
    PTRACE_GETSIGINFO: CmdArg(OUT, "siginfo", SIGINFO_SIZE, SIGINFO_SIZE),
    PTRACE_SETSIGINFO: CmdArg(IN, "siginfo", SIGINFO_SIZE, SIGINFO_SIZE),
    PTRACE_PEEKTEXT: _PTRACE_WORD, PTRACE_PEEKDATA: _PTRACE_WORD, PTRACE_PEEKUSER: _PTRACE_WORD,
    PTRACE_GETEVENTMSG: _PTRACE_WORD,
    PTRACE_GETSIGMASK: CmdArg(OUT, "sigset", 8, 8), PTRACE_SETSIGMASK: CmdArg(IN, "sigset", 8, 8),
    PTRACE_SECCOMP_GET_METADATA: CmdArg(IN, "seccomp_metadata", 8, 8),
    PTRACE_GET_SYSCALL_INFO: CmdArg(OUT, "syscall_info", PTRACE_SYSCALL_INFO_SIZE, PTRACE_SYSCALL_INFO_SIZE),
})  # fmt: skip

# bpf's union bpf_attr (linux/bpf.h), per command: BPF_PROG_LOAD's part is
# shown as far as strace 6.1 knows it (to fd_array: 128 bytes, the same in
# every ABI, its pointers being __aligned_u64) and the size argument covers;
# up to a page is copied (the kernel's limit), so that the renderer knows
# whether all of the size is readable and whether the bytes past 128 are 0.
BPF_PROG_LOAD, BPF_PROG_LOAD_SIZE, BPF_ATTR_MAX = 5, 128, 4096
CMD_CALLS["bpf"] = CmdCall(0, 0xFFFFFFFF, 1, {
    BPF_PROG_LOAD: CmdArg(IN, "bpf_prog_load", BPF_ATTR_MAX, BPF_ATTR_MAX),
})  # fmt: skip
