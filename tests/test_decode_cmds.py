"""Decoding of calls whose arguments mean what a command says: prctl's
options, seccomp and the BPF programs it takes."""

from __future__ import annotations

import struct

from decoding_support import InPlace, TraceeMemory, compact, line, plan, render, run, trace, trace_in_place

from atrace.render.decode import prctl as prctl_decoder
from atrace.syscalls import ARCH_I386, ARCH_X86_64, prctls

EFAULT, EINVAL = -14, -22
PR_SET_TSC, PR_GET_TSC, PR_SET_SECUREBITS, PR_GET_SECUREBITS, PR_CAP_AMBIENT = 26, 25, 28, 27, 47
PR_MCE_KILL, PR_MCE_KILL_GET, PR_SCHED_CORE, PR_SET_VMA, PR_SET_SECCOMP = 33, 34, 62, 0x53564D41, 22
PR_GET_TID_ADDRESS, PR_SET_NAME, PR_SVE_SET_VL, PR_SET_TAGGED_ADDR_CTRL = 40, 15, 50, 55


def test_prctl_unknown_option_is_an_unsigned_int() -> None:
    args = [0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC, 0xFFFFFFFB]
    assert render("prctl", args, EINVAL, None, None) == (
        "prctl(0xffffffff /* PR_??? */, 0xfffffffe, 0xfffffffd, 0xfffffffc, 0xfffffffb) = -1 EINVAL (Invalid argument)"
    )


def test_prctl_options_by_table() -> None:
    assert render("prctl", [PR_SET_TSC, 0xDEADC0DEFACEBEEF], EINVAL, None, None) == (
        "prctl(PR_SET_TSC, 0xfacebeef /* PR_TSC_??? */) = -1 EINVAL (Invalid argument)"
    )
    assert render("prctl", [PR_SET_TSC, 0], EINVAL, None, None).startswith("prctl(PR_SET_TSC, 0 /* PR_TSC_??? */)")
    assert render("prctl", [PR_SET_SECUREBITS, 0xBADC0DED00000000], -1, None, None).startswith(
        "prctl(PR_SET_SECUREBITS, 0xbadc0ded00000000 /* SECBIT_??? */)"
    )
    assert render("prctl", [PR_GET_SECUREBITS, 7, 7, 7, 7], 0x11, None, None) == (
        "prctl(PR_GET_SECUREBITS) = 0x11 (SECBIT_NOROOT|SECBIT_KEEP_CAPS)"
    )
    assert render("prctl", [PR_CAP_AMBIENT, 2, 13, 0, 0], -1, None, None).startswith(
        "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0)"
    )
    assert render("prctl", [PR_CAP_AMBIENT, 0xFF, 0xAAAA, 0, 0], -1, None, None).startswith(
        "prctl(PR_CAP_AMBIENT, 0xff /* PR_CAP_AMBIENT_??? */, 0xaaaa, 0, 0)"
    )
    assert render("prctl", [PR_MCE_KILL, 1, 2, 0, 0], 0, None, None) == (
        "prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_DEFAULT, 0, 0) = 0"
    )
    assert render("prctl", [PR_MCE_KILL_GET, 0, 0, 0, 0], 2, None, None) == (
        "prctl(PR_MCE_KILL_GET, 0, 0, 0, 0) = 2 (PR_MCE_KILL_DEFAULT)"
    )
    assert render("prctl", [PR_SVE_SET_VL, (1 << 18) | 0xFF], EINVAL, None, None).startswith(
        "prctl(PR_SVE_SET_VL, PR_SVE_SET_VL_ONEXEC|0xff)"
    )
    value = 1 | 2 << 1 | 0xCAFE << 3 | 0x57A80000
    assert render("prctl", [PR_SET_TAGGED_ADDR_CTRL, value, 1, 2, 3], EINVAL, None, None).startswith(
        "prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_ASYNC|0xcafe<<PR_MTE_TAG_SHIFT|0x57a80000, "
        "0x1, 0x2, 0x3)"
    )


def test_prctl_values_the_kernel_writes() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<i", 2), 0x2000: struct.pack("<Q", 0x7F00DEAD),
                           0x3000: struct.pack("<Q", 0xC00C1E)})  # fmt: skip
    assert trace("prctl", memory, [PR_GET_TSC, 0x1000], 0) == "prctl(PR_GET_TSC, [PR_TSC_SIGSEGV]) = 0"
    assert trace("prctl", memory, [PR_GET_TSC, 0x1000], EFAULT) == (
        "prctl(PR_GET_TSC, 0x1000) = -1 EFAULT (Bad address)"
    )
    assert trace("prctl", memory, [PR_GET_TID_ADDRESS, 0x2000], 0) == "prctl(PR_GET_TID_ADDRESS, [0x7f00dead]) = 0"
    # i386: a 4-byte long is read.
    assert trace("prctl", memory, [PR_GET_TID_ADDRESS, 0x2000], 0, ARCH_I386) == (
        "prctl(PR_GET_TID_ADDRESS, [0x7f00dead]) = 0"
    )
    assert trace("prctl", memory, [PR_SCHED_CORE, 0, 0, 1, 0x3000], 0) == (
        "prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, 0, 0x1 /* PIDTYPE_TGID */, [0xc00c1e]) = 0"
    )
    # Other sched-core commands read nothing.
    memory.reads.clear()
    assert trace("prctl", memory, [PR_SCHED_CORE, 1, 5, 9, 0x3000], EINVAL) == (
        "prctl(PR_SCHED_CORE, PR_SCHED_CORE_CREATE, 5, 0x9 /* PIDTYPE_??? */, 0x3000) = -1 EINVAL (Invalid argument)"
    )
    assert memory.reads == []


def test_prctl_names_cut_and_unterminated() -> None:
    memory = TraceeMemory({0x1000: b"123456789abcdef\0", 0x2000: b"short\0", 0x3000: b"f"})
    assert trace("prctl", memory, [PR_SET_NAME, 0x1000], 0) == 'prctl(PR_SET_NAME, "123456789abcdef"...) = 0'
    assert trace("prctl", memory, [PR_SET_NAME, 0x2000], 0) == 'prctl(PR_SET_NAME, "short") = 0'
    # No NUL before the end of readable memory: the address.
    assert trace("prctl", memory, [PR_SET_NAME, 0x3000], EFAULT) == (
        "prctl(PR_SET_NAME, 0x3000) = -1 EFAULT (Bad address)"
    )


def test_prctl_set_vma_name_is_the_fifth_argument() -> None:
    memory = TraceeMemory({0x5000: b"x" * 40 + b"\0"})
    assert trace("prctl", memory, [PR_SET_VMA, 0, 0x1000, 4096, 0x5000], EINVAL) == (
        f'prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x1000, 4096, "{"x" * 32}"...) = -1 EINVAL (Invalid argument)'
    )
    assert trace("prctl", memory, [PR_SET_VMA, 7, 0x1000, 4096, 0x5000], EINVAL) == (
        "prctl(PR_SET_VMA, 0x7 /* PR_SET_VMA_??? */, 0x1000, 0x1000, 0x5000) = -1 EINVAL (Invalid argument)"
    )


def test_prctl_split_where_the_kernel_writes() -> None:
    """Options read at exit are cut before what the kernel writes; the
    tracer reads exactly the options the renderer shows at exit."""
    assert prctl_decoder._prctl_split(_call([PR_GET_TSC, 0x1000])) == 1
    assert prctl_decoder._prctl_split(_call([PR_SCHED_CORE, 0, 0, 0, 0x1000])) == 4
    assert prctl_decoder._prctl_split(_call([PR_SET_TSC, 1])) == 2
    for option in prctls.PRCTL_EXIT_READS:
        memory = TraceeMemory({0x1000: b"\1" * 16})
        arg2 = 0 if option == PR_SCHED_CORE else 0x1000  # PR_SCHED_CORE_GET's cookie is arg5
        entry, exit_ = run(plan("prctl", memory, ARCH_X86_64), [option, arg2, 0, 0, 0x1000], 0)
        assert exit_["arg2"] is not None, option
        assert entry["arg2"] is None


def _call(args: list[int]) -> prctl_decoder.Call:
    from atrace.render.options import TextOptions
    from atrace.syscalls import by_name

    syscall = by_name(ARCH_X86_64, "prctl")
    assert syscall is not None
    return prctl_decoder.Call(syscall, ARCH_X86_64, args + [0] * (6 - len(args)), {}, None, None, TextOptions())


# -- seccomp and BPF programs -------------------------------------------------

SECCOMP_SET_MODE_FILTER, SECCOMP_GET_ACTION_AVAIL, SECCOMP_GET_NOTIF_SIZES = 1, 2, 3
LD_W_ABS, JEQ_K, RET_K, LD_W_IMM, ST, ALU_ADD_K, JA, MISC_TAX = 0x20, 0x15, 0x06, 0x00, 0x02, 0x04, 0x05, 0x07


def _program(*insns: tuple[int, int, int, int]) -> bytes:
    return b"".join(struct.pack("<HBBI", *insn) for insn in insns)


def _fprog(count: int, addr: int) -> bytes:
    return struct.pack("<H6xQ", count, addr)


def test_seccomp_filter_address_unless_verbose() -> None:
    code = _program((LD_W_ABS, 0, 0, 0), (JEQ_K, 0, 1, 3), (RET_K, 0, 0, 0x7FFF0000), (RET_K, 0, 0, 0x50010))
    memory = TraceeMemory({0x1000: _fprog(4, 0x2000), 0x2000: code})
    assert trace("seccomp", memory, [SECCOMP_SET_MODE_FILTER, 0, 0x1000], 0) == (
        "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=0x2000}) = 0"
    )
    entry, _ = run(plan("seccomp", memory, ARCH_X86_64), [SECCOMP_SET_MODE_FILTER, 2, 0x1000], 0)
    assert entry["uargs"] == [4, 0x2000, code]
    text = line("seccomp", [SECCOMP_SET_MODE_FILTER, 2, 0x1000], 0, entry, None, verbose=True)
    assert compact(text) == (
        "seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, {len=4, filter=["
        "BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x3, 0, 0x1), "
        "BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|0x10)]}) = 0"
    )


def test_bpf_classes_and_a_program_cut_by_unreadable_memory() -> None:
    code = _program((LD_W_IMM, 0, 0, 1 << 16), (ST, 0, 0, 0), (ALU_ADD_K, 0, 0, 2), (JA, 0, 0, 3),
                    (MISC_TAX, 0, 0, 0), (RET_K, 0, 0, 0x60000))  # fmt: skip
    memory = TraceeMemory({0x1000: _fprog(8, 0x2000), 0x2000: code})
    entry, _ = run(plan("prctl", memory, ARCH_X86_64), [PR_SET_SECCOMP, 2, 0x1000], EINVAL)
    text = line("prctl", [PR_SET_SECCOMP, 2, 0x1000], EINVAL, entry, None, verbose=True)
    assert compact(text) == (
        "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=8, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_IMM, 0x10000), "
        "BPF_STMT(BPF_ST, 0), BPF_STMT(BPF_ALU|BPF_K|BPF_ADD, 0x2), BPF_STMT(BPF_JMP|BPF_K|BPF_JA, 0x3), "
        "BPF_STMT(BPF_MISC|BPF_TAX, 0), BPF_STMT(BPF_RET|BPF_K, 0x60000 /* SECCOMP_RET_??? */), "
        "... /* 0x2030 */]}) = -1 EINVAL (Invalid argument)"
    )


def test_seccomp_other_operations() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<I", 0x80000000), 0x2000: struct.pack("<HHH", 80, 24, 64)})
    assert trace("seccomp", memory, [SECCOMP_GET_ACTION_AVAIL, 0, 0x1000], 0) == (
        "seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [SECCOMP_RET_KILL_PROCESS]) = 0"
    )
    assert trace("seccomp", memory, [SECCOMP_GET_NOTIF_SIZES, 0, 0x2000], 0) == (
        "seccomp(SECCOMP_GET_NOTIF_SIZES, 0, {seccomp_notif=80, seccomp_notif_resp=24, seccomp_data=64}) = 0"
    )
    assert trace("seccomp", memory, [0xFFFFFFFF, 0xFFFFFFFF, 0], EINVAL) == (
        "seccomp(0xffffffff /* SECCOMP_SET_MODE_??? */, 0xffffffff, NULL) = -1 EINVAL (Invalid argument)"
    )


# -- syslog, reboot -----------------------------------------------------------


def test_syslog_actions() -> None:
    assert render("syslog", [10, 0, 0], 131072, None, None) == "syslog(10 /* SYSLOG_ACTION_SIZE_BUFFER */) = 131072"
    assert render("syslog", [8, 0xFACE, 8], 0, None, None) == (
        "syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, 0xface, 8 /* LOGLEVEL_DEBUG+1 */) = 0"
    )
    assert render("syslog", [0xFEEDBEEF, 0, 0xFFFFFFFF], EINVAL, None, None) == (
        "syslog(-17973521 /* SYSLOG_ACTION_??? */, NULL, -1) = -1 EINVAL (Invalid argument)"
    )
    # A read action: the kernel's text, as long as the return value says.
    memory = TraceeMemory({0x1000: b"<6>hello\nmore"})
    assert trace("syslog", memory, [3, 0x1000, 64], 9) == (
        'syslog(3 /* SYSLOG_ACTION_READ_ALL */, "<6>hello\\n", 64) = 9'
    )
    # strace's syslog-success: clear and console off/on ignore the buffer;
    # a read that returns 0 read the empty string (unless the buffer is NULL).
    for action, name in [(5, "CLEAR"), (6, "CONSOLE_OFF"), (7, "CONSOLE_ON")]:
        shown = render("syslog", [action, 0xFACE, 8], 0, None, None)
        assert shown == f"syslog({action} /* SYSLOG_ACTION_{name} */) = 0"
    assert trace("syslog", memory, [2, 0x1000, 64], 0) == 'syslog(2 /* SYSLOG_ACTION_READ */, "", 64) = 0'
    assert trace("syslog", memory, [2, 0, 64], 0) == "syslog(2 /* SYSLOG_ACTION_READ */, NULL, 64) = 0"


def test_reboot_magic_and_restart_command() -> None:
    restart2 = 0xA1B2C3D4
    memory = TraceeMemory({0x1000: b"reboot\0", 0x2000: b"A" * 255, 0x3000: b"B" * 100})
    assert trace("reboot", memory, [0xFEE1DEAD, 0x13111992, restart2, 0x1000], EINVAL) == (
        'reboot(LINUX_REBOOT_MAGIC1, 0x13111992 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_CMD_RESTART2, "reboot")'
        " = -1 EINVAL (Invalid argument)"
    )
    # 255 bytes and no NUL: cut; fewer, then unreadable memory: the address.
    assert trace("reboot", memory, [0, 85072278, restart2, 0x2000], EINVAL, limit=256).startswith(
        f'reboot(0 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_MAGIC2A, LINUX_REBOOT_CMD_RESTART2, "{"A" * 255}"...)'
    )
    assert trace("reboot", memory, [0, 0, restart2, 0x3000], EINVAL).endswith(
        "LINUX_REBOOT_CMD_RESTART2, 0x3000) = -1 EINVAL (Invalid argument)"
    )
    memory.reads.clear()
    assert trace("reboot", memory, [0, 0, 0, 0x1000], EINVAL) == (
        "reboot(0 /* LINUX_REBOOT_MAGIC_??? */, 0 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_CMD_CAD_OFF)"
        " = -1 EINVAL (Invalid argument)"
    )
    assert memory.reads == []


# -- System V IPC --------------------------------------------------------------

IPC_SET, IPC_STAT, IPC_INFO = 1, 2, 3


def _perm(mode: int) -> bytes:
    return struct.pack("<iIIIIIHH4xQQ", 0, 1000, 100, 0, 0, mode, 7, 0, 0, 0)


def test_ipc_get_keys_and_flags() -> None:
    assert render("msgget", [0xFDB9F531, 0xFACE1000 | 0o6125], -2, None, None) == (
        "msgget(0xfdb9f531, IPC_EXCL|IPC_NOWAIT|0xface1000|0125) = -1 ENOENT (No such file or directory)"
    )
    assert render("semget", [0, 1, 0o1600], 7, None, None) == "semget(IPC_PRIVATE, 1, IPC_CREAT|0600) = 7"
    assert render("shmget", [5, 4096, 0x54000000 | 0o14000], 3, None, None) == (
        "shmget(0x5, 4096, SHM_HUGETLB|SHM_NORESERVE|21<<SHM_HUGE_SHIFT|000) = 3"
    )


def test_ipc_ctl_structs_by_command() -> None:
    msqid = _perm(0o600) + struct.pack("<qqqQQQiiQQ", 0, 0, 1700000000, 0, 2, 16384, 11, 12, 0, 0)
    memory = TraceeMemory({0x1000: msqid, 0x2000: struct.pack("<7iH2x", 1, 2, 3, 4, 5, 6, 7, 8)})
    assert trace("msgctl", memory, [9, IPC_STAT, 0x1000], 0) == (
        "msgctl(9, IPC_STAT, {msg_perm={uid=1000, gid=100, mode=0600, key=0, cuid=0, cgid=0}, msg_stime=0, "
        "msg_rtime=0, msg_ctime=1700000000, msg_qnum=2, msg_qbytes=16384, msg_lspid=11, msg_lrpid=12}) = 0"
    )
    assert trace("msgctl", memory, [9, 0x100 | IPC_SET, 0x1000], 0) == (
        "msgctl(9, IPC_64|IPC_SET, {msg_perm={uid=1000, gid=100, mode=0600}, msg_qbytes=16384}) = 0"
    )
    assert trace("msgctl", memory, [9, IPC_INFO, 0x2000], 5) == (
        "msgctl(9, IPC_INFO, {msgpool=1, msgmap=2, msgmax=3, msgmnb=4, msgmni=5, msgssz=6, msgtql=7, msgseg=8}) = 5"
    )
    # Failed: what the kernel did not write is shown as the address.
    assert trace("msgctl", memory, [9, IPC_STAT, 0x1000], EINVAL) == (
        "msgctl(9, IPC_STAT, 0x1000) = -1 EINVAL (Invalid argument)"
    )
    semid = _perm(0o644) + struct.pack("<q8xq8xQ16x", 5, 6, 3)
    memory = TraceeMemory({0x3000: semid})
    assert trace("semctl", memory, [4, 0, IPC_STAT, 0x3000], 0) == (
        "semctl(4, 0, IPC_STAT, {sem_perm={uid=1000, gid=100, mode=0644, key=0, cuid=0, cgid=0}, sem_otime=5, "
        "sem_ctime=6, sem_nsems=3}) = 0"
    )
    assert render("semctl", [4, 0, 0, 0], 0, None, None) == "semctl(4, 0, IPC_RMID, NULL) = 0"
    # i386's structs are not decoded: nothing is read.
    memory.reads.clear()
    assert trace("semctl", memory, [4, 0, IPC_STAT, 0x3000], 0, ARCH_I386) == "semctl(4, 0, IPC_STAT, 0x3000) = 0"
    assert memory.reads == []


# -- quotactl ------------------------------------------------------------------


def test_quotactl_commands_and_structs() -> None:
    qcmd = lambda cmd, kind: cmd << 8 | kind  # noqa: E731
    dqblk = struct.pack("<8QI4x", 1, 2, 3, 4, 5, 6, 7, 8, 0xC0)
    memory = TraceeMemory({0x1000: b"/dev/sda1\0", 0x2000: dqblk, 0x3000: struct.pack("<I", 4)})
    assert trace("quotactl", memory, [qcmd(0x800007, 0), 0x1000, 5, 0x2000], 0) == (
        'quotactl(QCMD(Q_GETQUOTA, USRQUOTA), "/dev/sda1", 5, {dqb_bhardlimit=1, dqb_bsoftlimit=2, dqb_curspace=3, '
        "dqb_ihardlimit=4, dqb_isoftlimit=5, dqb_curinodes=6, ...}) = 0"
    )
    entry, exit_ = run(plan("quotactl", memory, ARCH_X86_64), [qcmd(0x800008, 2), 0x1000, 0xFFFFFFFF, 0x2000], 0)
    assert entry["addr"] == dqblk and exit_.get("addr") is None
    text = line("quotactl", [qcmd(0x800008, 2), 0x1000, 0xFFFFFFFF, 0x2000], 0, entry, exit_, verbose=True)
    assert compact(text) == (
        'quotactl(QCMD(Q_SETQUOTA, PRJQUOTA), "/dev/sda1", -1, {dqb_bhardlimit=1, dqb_bsoftlimit=2, dqb_curspace=3, '
        "dqb_ihardlimit=4, dqb_isoftlimit=5, dqb_curinodes=6, dqb_btime=7, dqb_itime=8, "
        "dqb_valid=0xc0 /* QIF_??? */}) = 0"
    )
    assert trace("quotactl_fd", memory, [3, qcmd(0x800004, 1), 0, 0x3000], 0) == (
        "quotactl_fd(3, QCMD(Q_GETFMT, GRPQUOTA), [QFMT_VFS_V1]) = 0"
    )
    assert trace("quotactl", memory, [qcmd(0x800003, 7), 0, 0, 0], EINVAL) == (
        "quotactl(QCMD(Q_QUOTAOFF, 0x7 /* ???QUOTA */), NULL) = -1 EINVAL (Invalid argument)"
    )


def test_quotactl_qcmd_styles_and_next_id() -> None:
    qcmd = 0x800002 << 8 | 0xED
    memory = TraceeMemory({0x1000: b"/q\0", 0x2000: struct.pack("<8QII", *range(1, 9), 0x3F, 77)})
    assert trace("quotactl", memory, [qcmd, 0x1000, 1, 0], EINVAL, const_style="raw").startswith(
        f'quotactl({qcmd}, "/q", 0x1, NULL) = -1'
    )
    assert trace("quotactl", memory, [qcmd, 0x1000, 1, 0], EINVAL, const_style="verbose").startswith(
        f'quotactl({qcmd} /* QCMD(Q_QUOTAON, 0xed /* ???QUOTA */) */, "/q", 0x1 /* QFMT_VFS_OLD */, NULL) = -1'
    )
    assert trace("quotactl", memory, [0, 0, 0, 0], EINVAL, const_style="verbose").startswith(
        "quotactl(0 /* QCMD(0 /* Q_??? */, USRQUOTA) */, NULL, 0, NULL) = -1"
    )
    # Q_GETNEXTQUOTA's id comes before the `...`.
    assert trace("quotactl", memory, [0x800009 << 8, 0x1000, 0, 0x2000], 0).endswith(
        "dqb_curinodes=6, dqb_id=77, ...}) = 0"
    )


def test_quotactl_xfs_commands() -> None:
    qcmd = lambda cmd, kind: cmd << 8 | kind  # noqa: E731
    dquot = struct.pack("<bBHI6QiiHH4x3QiH10x", -2, 0x89, 0x10, 7, 1, 2, 3, 4, 5, 6, -1, 9, 10, 11, 12, 13, 14, -15, 16)
    statv = struct.pack("<bxHI", 1, 0x41, 9) + struct.pack("<QQI4x", 1, 2, 3) * 3 + struct.pack("<iiiHH", 4, 5, 6, 7, 8)
    memory = TraceeMemory({0x1000: b"/dev/x\0", 0x2000: struct.pack("<I", 0x25), 0x3000: dquot,
                           0x4000: statv + bytes(160 - len(statv))})  # fmt: skip
    assert trace("quotactl", memory, [qcmd(0x5801, 0), 0x1000, 5, 0x2000], EINVAL).startswith(
        'quotactl(QCMD(Q_XQUOTAON, USRQUOTA), "/dev/x", [FS_QUOTA_UDQ_ACCT|FS_QUOTA_GDQ_ACCT|FS_QUOTA_PDQ_ENFD]) = -1'
    )
    assert trace("quotactl", memory, [qcmd(0x5806, 1), 0x1000, 5, 0x2000], EINVAL).startswith(
        'quotactl(QCMD(Q_XQUOTARM, GRPQUOTA), "/dev/x", [FS_USER_QUOTA|FS_GROUP_QUOTA|0x20]) = -1'
    )
    assert trace("quotactl", memory, [qcmd(0x5807, 0), 0x1000, 5, 0x2000], 0) == (
        'quotactl(QCMD(Q_XQUOTASYNC, USRQUOTA), "/dev/x") = 0'
    )
    brief = ('quotactl(QCMD(Q_XSETQLIM, PRJQUOTA), "/dev/x", 7, {d_version=-2, d_flags=FS_USER_QUOTA|0x88, '
             "d_fieldmask=0x10, d_id=7, d_blk_hardlimit=1, d_blk_softlimit=2, d_ino_hardlimit=3, d_ino_softlimit=4, "
             "d_bcount=5, d_icount=6")  # fmt: skip
    assert trace("quotactl", memory, [qcmd(0x5804, 2), 0x1000, 7, 0x3000], 0) == brief + ", ...}) = 0"
    verbose = line("quotactl", [qcmd(0x5804, 2), 0x1000, 7, 0x3000], 0, {"special": "/dev/x", "addr": dquot}, {},
                   verbose=True)  # fmt: skip
    assert compact(verbose) == brief + (
        ", d_itimer=-1, d_btimer=9, d_iwarns=10, d_bwarns=11, d_rtb_hardlimit=12, d_rtb_softlimit=13, "
        "d_rtbcount=14, d_rtbtimer=-15, d_rtbwarns=16}) = 0"
    )
    # The kernel writes fs_quota_statv: shown at exit, the version alone without -v.
    assert trace("quotactl", memory, [qcmd(0x5808, 0), 0x1000, 0, 0x4000], 0) == (
        'quotactl(QCMD(Q_XGETQSTATV, USRQUOTA), "/dev/x", {qs_version=1, ...}) = 0'
    )
    entry, exit_ = run(plan("quotactl", memory, ARCH_X86_64), [qcmd(0x5808, 0), 0x1000, 0, 0x4000], 0)
    assert compact(line("quotactl", [qcmd(0x5808, 0), 0x1000, 0, 0x4000], 0, entry, exit_, verbose=True)) == (
        'quotactl(QCMD(Q_XGETQSTATV, USRQUOTA), "/dev/x", {qs_version=1, qs_flags=FS_QUOTA_UDQ_ACCT|0x40, '
        "qs_incoredqs=9, qs_uquota={qfs_ino=1, qfs_nblks=2, qfs_nextents=3}, qs_gquota={qfs_ino=1, qfs_nblks=2, "
        "qfs_nextents=3}, qs_pquota={qfs_ino=1, qfs_nblks=2, qfs_nextents=3}, qs_btimelimit=4, qs_itimelimit=5, "
        "qs_rtbtimelimit=6, qs_bwarnlimit=7, qs_iwarnlimit=8}) = 0"
    )


def _uring_params(flags: int, wq_fd: int, resv: int = 0, filled: bool = False) -> bytes:
    head = struct.pack("<6Ii3I", 2 if filled else 0, 4 if filled else 0, flags, 0, 0, 0x1FFF | 0x2000 if filled else 0,
                       wq_fd, 0, resv, 0)  # fmt: skip
    sq = struct.pack("<8IQ", 0, 4, 16, 24, 36, 32, 128, 0, 5 if filled else 0)
    cq = struct.pack("<8IQ", 8, 12, 20, 28, 44, 64, 40, 0, 0)
    return head + sq + cq


def test_io_uring_setup_params_in_and_filled() -> None:
    memory = InPlace({0x1000: _uring_params(0, -1)}, {0x1000: _uring_params(0, -1, filled=True)})
    assert trace_in_place("io_uring_setup", memory, [2, 0x1000], 4) == (
        "io_uring_setup(2, {flags=0, sq_thread_cpu=0, sq_thread_idle=0, sq_entries=2, cq_entries=4, "
        "features=IORING_FEAT_SINGLE_MMAP|IORING_FEAT_NODROP|IORING_FEAT_SUBMIT_STABLE|IORING_FEAT_RW_CUR_POS|"
        "IORING_FEAT_CUR_PERSONALITY|IORING_FEAT_FAST_POLL|IORING_FEAT_POLL_32BITS|IORING_FEAT_SQPOLL_NONFIXED|"
        "IORING_FEAT_EXT_ARG|IORING_FEAT_NATIVE_WORKERS|IORING_FEAT_RSRC_TAGS|IORING_FEAT_CQE_SKIP|"
        "IORING_FEAT_LINKED_FILE|0x2000, sq_off={head=0, tail=4, ring_mask=16, ring_entries=24, flags=36, "
        "dropped=32, array=128, resv2=0x5}, cq_off={head=8, tail=12, ring_mask=20, ring_entries=28, overflow=44, "
        "cqes=64, flags=40}}) = 4"
    )
    # Failed: what was passed in; wq_fd with IORING_SETUP_ATTACH_WQ; reserved words when not 0.
    failed = TraceeMemory({0x1000: _uring_params(0xFFFFFFFF, -5, resv=7)})
    assert trace("io_uring_setup", failed, [1, 0x1000], EINVAL) == (
        "io_uring_setup(1, {flags=IORING_SETUP_IOPOLL|IORING_SETUP_SQPOLL|IORING_SETUP_SQ_AFF|IORING_SETUP_CQSIZE|"
        "IORING_SETUP_CLAMP|IORING_SETUP_ATTACH_WQ|IORING_SETUP_R_DISABLED|IORING_SETUP_SUBMIT_ALL|"
        "IORING_SETUP_COOP_TASKRUN|IORING_SETUP_TASKRUN_FLAG|IORING_SETUP_SQE128|IORING_SETUP_CQE32|0xfffff000, "
        "sq_thread_cpu=0, sq_thread_idle=0, wq_fd=-5, resv=[0, 0x7, 0]}) = -1 EINVAL (Invalid argument)"
    )
    assert trace("io_uring_setup", failed, [1, 0x1001 + 0x1000], EINVAL).startswith("io_uring_setup(1, 0x2001) = -1")


def test_io_uring_enter_counts_flags_and_mask() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<Q", 1 << 0 | 1 << 8 | 1 << 18)})
    args = [3, 0x0DEFACEDDEADBEEF, 0x0DEFACEDCAFEF00D, 0xFFFFFFFF, 0x1000, 8]
    assert trace("io_uring_enter", memory, args, EINVAL) == (
        "io_uring_enter(3, 3735928559, 3405705229, IORING_ENTER_GETEVENTS|IORING_ENTER_SQ_WAKEUP|IORING_ENTER_SQ_WAIT|"
        "IORING_ENTER_EXT_ARG|IORING_ENTER_REGISTERED_RING|0xffffffe0, [HUP KILL STOP], 8)"
        " = -1 EINVAL (Invalid argument)"
    )


def test_futex_waitv_waiters() -> None:
    waiter = struct.pack("<QQI4x", 0, 0x7000, 0x82) + struct.pack("<QQII", 1, 0, 0xFFFFFFFF, 0xFFFFFFFF)
    memory = TraceeMemory({0x1000: waiter, 0x2000: struct.pack("<qq", 1, 2)})
    assert trace("futex_waitv", memory, [0x1000, 2, 0, 0x2000, 1], EINVAL) == (
        "futex_waitv([{val=0, uaddr=0x7000, flags=FUTEX_32|FUTEX_PRIVATE_FLAG}, {val=0x1, uaddr=NULL, "
        "flags=FUTEX_32|FUTEX_PRIVATE_FLAG|0xffffff7d, __reserved=0xffffffff}], 2, 0, {tv_sec=1, tv_nsec=2}, "
        "CLOCK_MONOTONIC) = -1 EINVAL (Invalid argument)"
    )
    # Three asked for, two readable: where memory ended.
    assert trace("futex_waitv", memory, [0x1000, 3, 0, 0, 0], EINVAL).startswith(
        "futex_waitv([{val=0, uaddr=0x7000, flags=FUTEX_32|FUTEX_PRIVATE_FLAG}, {val=0x1, uaddr=NULL, "
        "flags=FUTEX_32|FUTEX_PRIVATE_FLAG|0xffffff7d, __reserved=0xffffffff}, ... /* 0x1030 */], 3, 0, NULL,"
    )
    assert trace("futex_waitv", memory, [0x1000, 0, 0, 0, 0xFFFFFFFF], EINVAL) == (
        "futex_waitv([], 0, 0, NULL, 0xffffffff /* CLOCK_??? */) = -1 EINVAL (Invalid argument)"
    )


def test_kexec_segments_flags_and_cmdline() -> None:
    segments = b"".join(struct.pack("<4Q", i, 10 + i, 0, 20 + i) for i in range(3))
    memory = TraceeMemory({0x1000: segments, 0x3000: b"console=ttyS0\0"})
    assert trace("kexec_load", memory, [0xDEAD, 3, 0x1000, (42 << 16) | 3], -38) == (
        "kexec_load(0xdead, 3, [{buf=NULL, bufsz=10, mem=NULL, memsz=20}, {buf=0x1, bufsz=11, mem=NULL, memsz=21}, "
        "{buf=0x2, bufsz=12, mem=NULL, memsz=22}], KEXEC_ARCH_SH|KEXEC_ON_CRASH|KEXEC_PRESERVE_CONTEXT)"
        " = -1 ENOSYS (Function not implemented)"
    )
    # More than -s asked for: the first -s, then "..." (more was readable) or where memory ended.
    assert "{buf=0x1, bufsz=11, mem=NULL, memsz=21}, ...], KEXEC_ARCH_DEFAULT)" in trace(
        "kexec_load", memory, [0, 3, 0x1000, 0], -38, limit=2
    )
    assert "{buf=0x2, bufsz=12, mem=NULL, memsz=22}, ... /* 0x1060 */], 0xda7a0000 /* KEXEC_ARCH_??? */)" in trace(
        "kexec_load", memory, [0, 5, 0x1000, 0xDA7A0000], -38, limit=3
    )
    assert trace("kexec_load", memory, [0, 17, 0x1000, 0], -38).startswith("kexec_load(NULL, 17, 0x1000, KEXEC_ARCH")
    assert trace("kexec_file_load", memory, [3, 4, 14, 0x3000, 6], -38) == (
        'kexec_file_load(3, 4, 14, "console=ttyS0\\0", KEXEC_FILE_ON_CRASH|KEXEC_FILE_NO_INITRAMFS)'
        " = -1 ENOSYS (Function not implemented)"
    )
    assert trace("kexec_file_load", memory, [3, 4, 15, 0x3000, 0], -38, limit=32).startswith(
        "kexec_file_load(3, 4, 15, 0x3000, 0)"
    )


def test_fsconfig_by_command() -> None:
    memory = TraceeMemory({0x1000: b"source\0", 0x2000: b"/dev/none\0", 0x3000: b"\x01\x02\x03", 0x4000: b"k" * 300})
    assert trace("fsconfig", memory, [3, 1, 0x1000, 0x2000, 0], EINVAL) == (
        'fsconfig(3, FSCONFIG_SET_STRING, "source", "/dev/none", 0) = -1 EINVAL (Invalid argument)'
    )
    assert trace("fsconfig", memory, [3, 2, 0x1000, 0x3000, 3], EINVAL) == (
        'fsconfig(3, FSCONFIG_SET_BINARY, "source", "\\x01\\x02\\x03", 3) = -1 EINVAL (Invalid argument)'
    )
    # A key is at most 256 bytes with its NUL: cut even under a larger -s.
    assert trace("fsconfig", memory, [3, 0, 0x4000, 0x2000, -100 & 0xFFFFFFFF], EINVAL, limit=300) == (
        f'fsconfig(3, FSCONFIG_SET_FLAG, "{"k" * 256}"..., 0x2000, -100) = -1 EINVAL (Invalid argument)'
    )
    memory.reads.clear()
    assert trace("fsconfig", memory, [3, 6, 0x1000, 0x2000, 0], EINVAL) == (
        "fsconfig(3, FSCONFIG_CMD_CREATE, 0x1000, 0x2000, 0) = -1 EINVAL (Invalid argument)"
    )
    assert memory.reads == []


PR_GET_FP_MODE, PR_PAC_SET_ENABLED_KEYS, PR_PAC_GET_ENABLED_KEYS, PR_GET_TAGGED_ADDR_CTRL = 46, 60, 61, 56
PR_SET_SPECULATION_CTRL, PR_GET_SPECULATION_CTRL, PR_SET_PTRACER = 53, 52, 0x59616D61


def test_prctl_styles_of_values_strace_prints_whole() -> None:
    """A vector length and a tagged address control are one number to -X
    raw and verbose; an unknown flag word loses its comment with -X raw."""
    vl = [PR_SVE_SET_VL, 0xFACEFEED, 1, 2, 3]
    assert render("prctl", vl, EINVAL, None, None).startswith(
        "prctl(PR_SVE_SET_VL, PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT|0xfac80000|0xfeed)"
    )
    assert render("prctl", vl, EINVAL, None, None, const_style="raw").startswith("prctl(0x32, 0xfacefeed)")
    assert render("prctl", vl, EINVAL, None, None, const_style="verbose").startswith(
        "prctl(0x32 /* PR_SVE_SET_VL */, 0xfacefeed /* PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT|0xfac80000|0xfeed */)"
    )
    assert render("prctl", [PR_SVE_SET_VL, 0x10000], 0, None, None) == "prctl(PR_SVE_SET_VL, 0x10000|0) = 0"
    tagged = [PR_SET_TAGGED_ADDR_CTRL, 5, 1, 2, 3]
    assert render("prctl", tagged, EINVAL, None, None, const_style="raw").startswith("prctl(0x37, 0x5, 0x1, 0x2, 0x3)")
    assert render("prctl", tagged, EINVAL, None, None, const_style="verbose").startswith(
        "prctl(0x37 /* PR_SET_TAGGED_ADDR_CTRL */, 0x5 /* PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_ASYNC */, 0x1"
    )
    pac = [PR_PAC_SET_ENABLED_KEYS, 0x7FFFFFF0, 0, 0, 1]
    assert render("prctl", pac, EINVAL, None, None, const_style="raw").startswith("prctl(0x3c, 0x7ffffff0, 0, 0, 0x1)")
    assert render("prctl", pac, EINVAL, None, None).startswith(
        "prctl(PR_PAC_SET_ENABLED_KEYS, 0x7ffffff0 /* PR_PAC_??? */"
    )
    # A pid type: the number alone with -X raw.
    assert render("prctl", [PR_SCHED_CORE, 0, 5, 1, 0], EINVAL, None, None, const_style="raw").startswith(
        "prctl(0x3e, 0, 5, 0x1, NULL)"
    )
    assert render("prctl", [PR_SET_PTRACER, (1 << 64) - 1], 0, None, None, const_style="verbose") == (
        "prctl(0x59616d61 /* PR_SET_PTRACER */, -1 /* PR_SET_PTRACER_ANY */) = 0"
    )


def test_prctl_speculation_control_values() -> None:
    assert render("prctl", [PR_SET_SPECULATION_CTRL, 0, 3], EINVAL, None, None).startswith(
        "prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0x3 /* PR_SPEC_??? */)"
    )
    assert render("prctl", [PR_SET_SPECULATION_CTRL, 0, 8], EINVAL, None, None).startswith(
        "prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, PR_SPEC_FORCE_DISABLE)"
    )
    # An unknown speculation: its control in plain hex.
    assert render("prctl", [PR_SET_SPECULATION_CTRL, 3, 0xDECAFEEDBEEFDA7E], EINVAL, None, None).startswith(
        "prctl(PR_SET_SPECULATION_CTRL, 0x3 /* PR_SPEC_??? */, 0xdecafeedbeefda7e)"
    )
    assert render("prctl", [PR_GET_SPECULATION_CTRL, 0], 0, None, None) == (
        "prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = 0 (PR_SPEC_NOT_AFFECTED)"
    )
    assert render("prctl", [PR_GET_SPECULATION_CTRL, 1], 42, None, None) == (
        "prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH) = 0x2a (PR_SPEC_ENABLE|PR_SPEC_FORCE_DISABLE|0x20)"
    )
    assert render("prctl", [PR_GET_SPECULATION_CTRL, 1], 32, None, None).endswith(") = 0x20")


def test_prctl_returns_in_hex_explained_abbreviated() -> None:
    """Returned flag words: hex, their names abbreviated even with -X
    verbose, none with -X raw or when no name is known."""
    assert render("prctl", [PR_GET_SECUREBITS], 0x100, None, None) == "prctl(PR_GET_SECUREBITS) = 0x100"
    assert render("prctl", [PR_GET_SECUREBITS], 1, None, None, const_style="verbose") == (
        "prctl(0x1b /* PR_GET_SECUREBITS */) = 0x1 (SECBIT_NOROOT)"
    )
    assert render("prctl", [PR_GET_SECUREBITS], 1, None, None, const_style="raw") == "prctl(0x1b) = 0x1"
    assert render("prctl", [PR_GET_FP_MODE], 0x20, None, None) == "prctl(PR_GET_FP_MODE) = 0x20"
    assert render("prctl", [PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0], 1, None, None) == (
        "prctl(PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0) = 0x1 (PR_PAC_APIAKEY)"
    )
    assert render("prctl", [PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0], 0xBEEF0, None, None).endswith(") = 0xbeef0")
    assert render("prctl", [PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0], 0, None, None) == (
        "prctl(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0) = 0 (!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE)"
    )
    assert render("prctl", [PR_SVE_SET_VL, 0], 0xDEAD, None, None) == "prctl(PR_SVE_SET_VL, 0) = 0xdead"
    assert render("prctl", [PR_SVE_SET_VL, 0], 0x4EA57, None, None) == (
        "prctl(PR_SVE_SET_VL, 0) = 0x4ea57 (PR_SVE_SET_VL_ONEXEC|0xea57)"
    )


def test_prctl_sched_core_get_reads_its_cookie_whatever_the_upper_half() -> None:
    """The sub-command is an int: garbage above it does not stop the read."""
    memory = TraceeMemory({0x3000: struct.pack("<Q", 0xDEADC0DEBADC0DED)})
    assert trace("prctl", memory, [PR_SCHED_CORE, 0xFFFFFFFF00000000, 7, 0, 0x3000], 0) == (
        "prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, 7, 0 /* PIDTYPE_PID */, [0xdeadc0debadc0ded]) = 0"
    )


ARCH_SET_GS, ARCH_GET_FS, ARCH_GET_CPUID, ARCH_GET_XCOMP_PERM, ARCH_REQ_XCOMP_PERM = (
    0x1001,
    0x1003,
    0x1011,
    0x1022,
    0x1023,
)


def test_arch_prctl_commands() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<Q", 0x7F0012345000), 0x2000: struct.pack("<Q", 0),
                           0x3000: struct.pack("<Q", 0x687FF)})  # fmt: skip
    assert trace("arch_prctl", memory, [ARCH_GET_FS, 0x1000], 0) == "arch_prctl(ARCH_GET_FS, [0x7f0012345000]) = 0"
    assert trace("arch_prctl", memory, [ARCH_GET_FS, 0x2000], 0) == "arch_prctl(ARCH_GET_FS, [NULL]) = 0"
    assert trace("arch_prctl", memory, [ARCH_GET_FS, 0], EFAULT) == (
        "arch_prctl(ARCH_GET_FS, NULL) = -1 EFAULT (Bad address)"
    )
    assert trace("arch_prctl", memory, [ARCH_GET_FS, 0x1000], EFAULT) == (
        "arch_prctl(ARCH_GET_FS, 0x1000) = -1 EFAULT (Bad address)"
    )
    assert trace("arch_prctl", memory, [ARCH_GET_XCOMP_PERM, 0x3000], 0) == (
        "arch_prctl(ARCH_GET_XCOMP_PERM, [0x687ff /* XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_BNDREGS|"
        "XFEATURE_MASK_BNDCSR|XFEATURE_MASK_AVX512|XFEATURE_MASK_PT|XFEATURE_MASK_PKRU|XFEATURE_MASK_PASID|"
        "XFEATURE_MASK_LBR|XFEATURE_MASK_XTILE */]) = 0"
    )
    assert trace("arch_prctl", memory, [ARCH_GET_XCOMP_PERM, 0x2000], 0) == "arch_prctl(ARCH_GET_XCOMP_PERM, [0]) = 0"
    # The other commands read nothing.
    memory.reads.clear()
    assert trace("arch_prctl", memory, [ARCH_SET_GS, 0x1000], 0) == "arch_prctl(ARCH_SET_GS, 0x1000) = 0"
    assert trace("arch_prctl", memory, [ARCH_GET_CPUID, 0xDEADC0DE], 1) == "arch_prctl(ARCH_GET_CPUID) = 1"
    assert trace("arch_prctl", memory, [ARCH_REQ_XCOMP_PERM, 0xB], 3) == (
        "arch_prctl(ARCH_REQ_XCOMP_PERM, 0xb /* XFEATURE_??? */) = 0x3 (XFEATURE_MASK_FPSSE)"
    )
    assert trace("arch_prctl", memory, [0xDEADC0DE, 0], EINVAL) == (
        "arch_prctl(0xdeadc0de /* ARCH_??? */, 0) = -1 EINVAL (Invalid argument)"
    )
    assert memory.reads == []
    assert render("arch_prctl", [ARCH_REQ_XCOMP_PERM, 0], 3, None, None, const_style="raw") == (
        "arch_prctl(0x1023, 0) = 0x3"
    )
