"""Constant and flag tables of the per-call decoders (prctl, seccomp, IPC,
ptrace...): data only, merged into atrace.render.flag_tables' TABLES and
CONSTANTS so that atrace.render.flags prints them like every other table.

Values from the kernel's uapi headers (linux/prctl.h, linux/securebits.h,
linux/seccomp.h, linux/ipc.h, linux/ptrace.h); names as strace prints them.
"""

from __future__ import annotations

from .net_tables import NET_CONSTANTS, NET_TABLES, NET_UNKNOWN_PREFIX

FlagTable = list[tuple[int, str]]

# prctl options strace 6.1 knows that the base table lacks.
MORE_PRCTL_OPTIONS: dict[int, str] = {
    43: "PR_MPX_ENABLE_MANAGEMENT", 44: "PR_MPX_DISABLE_MANAGEMENT",
    50: "PR_SVE_SET_VL", 51: "PR_SVE_GET_VL", 54: "PR_PAC_RESET_KEYS", 55: "PR_SET_TAGGED_ADDR_CTRL",
    56: "PR_GET_TAGGED_ADDR_CTRL", 57: "PR_SET_IO_FLUSHER", 58: "PR_GET_IO_FLUSHER",
    59: "PR_SET_SYSCALL_USER_DISPATCH", 60: "PR_PAC_SET_ENABLED_KEYS", 61: "PR_PAC_GET_ENABLED_KEYS",
    62: "PR_SCHED_CORE", 63: "PR_SME_SET_VL", 64: "PR_SME_GET_VL",
}  # fmt: skip

DECODER_TABLES: dict[str, FlagTable] = {
    "secbits": [(1 << 0, "SECBIT_NOROOT"), (1 << 1, "SECBIT_NOROOT_LOCKED"), (1 << 2, "SECBIT_NO_SETUID_FIXUP"),
                (1 << 3, "SECBIT_NO_SETUID_FIXUP_LOCKED"), (1 << 4, "SECBIT_KEEP_CAPS"),
                (1 << 5, "SECBIT_KEEP_CAPS_LOCKED"), (1 << 6, "SECBIT_NO_CAP_AMBIENT_RAISE"),
                (1 << 7, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED")],
    "pr_unalign": [(1, "PR_UNALIGN_NOPRINT"), (2, "PR_UNALIGN_SIGBUS")],
    "pr_fp_mode": [(1, "PR_FP_MODE_FR"), (2, "PR_FP_MODE_FRE")],
    "pr_pac_keys": [(1, "PR_PAC_APIAKEY"), (2, "PR_PAC_APIBKEY"), (4, "PR_PAC_APDAKEY"), (8, "PR_PAC_APDBKEY"),
                    (16, "PR_PAC_APGAKEY")],
    # PR_PAC_SET_ENABLED_KEYS takes the address keys only.
    "pr_pac_enabled_keys": [(1, "PR_PAC_APIAKEY"), (2, "PR_PAC_APIBKEY"), (4, "PR_PAC_APDAKEY"),
                            (8, "PR_PAC_APDBKEY")],
    "pr_sve_vl": [(1 << 18, "PR_SVE_SET_VL_ONEXEC"), (1 << 17, "PR_SVE_VL_INHERIT")],
    "pr_sme_vl": [(1 << 18, "PR_SME_SET_VL_ONEXEC"), (1 << 17, "PR_SME_VL_INHERIT")],
    "pr_spec_flags": [(1, "PR_SPEC_PRCTL"), (2, "PR_SPEC_ENABLE"), (4, "PR_SPEC_DISABLE"),
                      (8, "PR_SPEC_FORCE_DISABLE"), (16, "PR_SPEC_DISABLE_NOEXEC")],
    "seccomp_filter_flags": [(1, "SECCOMP_FILTER_FLAG_TSYNC"), (2, "SECCOMP_FILTER_FLAG_LOG"),
                             (4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), (8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"),
                             (16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"),
                             (32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV")],
}  # fmt: skip

DECODER_CONSTANTS: dict[str, dict[int, str]] = {
    "pr_tsc": {1: "PR_TSC_ENABLE", 2: "PR_TSC_SIGSEGV"},
    "pr_cap_ambient": {1: "PR_CAP_AMBIENT_IS_SET", 2: "PR_CAP_AMBIENT_RAISE", 3: "PR_CAP_AMBIENT_LOWER",
                       4: "PR_CAP_AMBIENT_CLEAR_ALL"},
    "pr_mce_kill": {0: "PR_MCE_KILL_CLEAR", 1: "PR_MCE_KILL_SET"},
    "pr_mce_kill_policy": {0: "PR_MCE_KILL_LATE", 1: "PR_MCE_KILL_EARLY", 2: "PR_MCE_KILL_DEFAULT"},
    "pr_sched_core": {0: "PR_SCHED_CORE_GET", 1: "PR_SCHED_CORE_CREATE", 2: "PR_SCHED_CORE_SHARE_TO",
                      3: "PR_SCHED_CORE_SHARE_FROM"},
    "pidtype": {0: "PIDTYPE_PID", 1: "PIDTYPE_TGID", 2: "PIDTYPE_PGID", 3: "PIDTYPE_SID"},
    "pr_sys_dispatch": {0: "PR_SYS_DISPATCH_OFF", 1: "PR_SYS_DISPATCH_ON"},
    "pr_set_vma": {0: "PR_SET_VMA_ANON_NAME"},
    "pr_spec": {0: "PR_SPEC_STORE_BYPASS", 1: "PR_SPEC_INDIRECT_BRANCH", 2: "PR_SPEC_L1D_FLUSH"},
    # PR_SET_SPECULATION_CTRL's control: one value, not a mask.
    "pr_spec_set": {2: "PR_SPEC_ENABLE", 4: "PR_SPEC_DISABLE", 8: "PR_SPEC_FORCE_DISABLE",
                    16: "PR_SPEC_DISABLE_NOEXEC"},
    "seccomp_mode": {0: "SECCOMP_MODE_DISABLED", 1: "SECCOMP_MODE_STRICT", 2: "SECCOMP_MODE_FILTER"},
    "seccomp_op": {0: "SECCOMP_SET_MODE_STRICT", 1: "SECCOMP_SET_MODE_FILTER", 2: "SECCOMP_GET_ACTION_AVAIL",
                   3: "SECCOMP_GET_NOTIF_SIZES"},
    "seccomp_ret": {0: "SECCOMP_RET_KILL_THREAD", 0x80000000: "SECCOMP_RET_KILL_PROCESS",
                    0x30000: "SECCOMP_RET_TRAP", 0x50000: "SECCOMP_RET_ERRNO", 0x7FC00000: "SECCOMP_RET_USER_NOTIF",
                    0x7FF00000: "SECCOMP_RET_TRACE", 0x7FFC0000: "SECCOMP_RET_LOG",
                    0x7FFF0000: "SECCOMP_RET_ALLOW"},
}  # fmt: skip

# The prefix of an unknown value's comment (`0xff /* PR_TSC_??? */`).
DECODER_UNKNOWN_PREFIX: dict[str, str] = {
    "secbits": "SECBIT_", "pr_unalign": "PR_UNALIGN_", "pr_fp_mode": "PR_FP_MODE_", "pr_pac_keys": "PR_PAC_",
    "pr_pac_enabled_keys": "PR_PAC_", "pr_tsc": "PR_TSC_", "pr_cap_ambient": "PR_CAP_AMBIENT_",
    "pr_mce_kill": "PR_MCE_KILL_", "pr_mce_kill_policy": "PR_MCE_KILL_", "pr_sched_core": "PR_SCHED_CORE_",
    "pidtype": "PIDTYPE_", "pr_sys_dispatch": "PR_SYS_DISPATCH_", "pr_set_vma": "PR_SET_VMA_",
    "pr_spec": "PR_SPEC_", "pr_spec_flags": "PR_SPEC_", "pr_spec_set": "PR_SPEC_", "seccomp_mode": "SECCOMP_MODE_",
    "seccomp_op": "SECCOMP_SET_MODE_", "seccomp_filter_flags": "SECCOMP_FILTER_FLAG_", "seccomp_ret": "SECCOMP_RET_",
    "dumpable": "SUID_DUMP_",
}  # fmt: skip

DECODER_CONSTANTS.update({
    "syslog_action": {0: "SYSLOG_ACTION_CLOSE", 1: "SYSLOG_ACTION_OPEN", 2: "SYSLOG_ACTION_READ",
                      3: "SYSLOG_ACTION_READ_ALL", 4: "SYSLOG_ACTION_READ_CLEAR", 5: "SYSLOG_ACTION_CLEAR",
                      6: "SYSLOG_ACTION_CONSOLE_OFF", 7: "SYSLOG_ACTION_CONSOLE_ON", 8: "SYSLOG_ACTION_CONSOLE_LEVEL",
                      9: "SYSLOG_ACTION_SIZE_UNREAD", 10: "SYSLOG_ACTION_SIZE_BUFFER"},
    "loglevel": {0: "LOGLEVEL_EMERG", 1: "LOGLEVEL_ALERT", 2: "LOGLEVEL_CRIT", 3: "LOGLEVEL_ERR",
                 4: "LOGLEVEL_WARNING", 5: "LOGLEVEL_NOTICE", 6: "LOGLEVEL_INFO", 7: "LOGLEVEL_DEBUG",
                 8: "LOGLEVEL_DEBUG+1"},
    "reboot_magic": {0xFEE1DEAD: "LINUX_REBOOT_MAGIC1", 672274793: "LINUX_REBOOT_MAGIC2",
                     85072278: "LINUX_REBOOT_MAGIC2A", 369367448: "LINUX_REBOOT_MAGIC2B",
                     537993216: "LINUX_REBOOT_MAGIC2C"},
    "reboot_cmd": {0x01234567: "LINUX_REBOOT_CMD_RESTART", 0xCDEF0123: "LINUX_REBOOT_CMD_HALT",
                   0x89ABCDEF: "LINUX_REBOOT_CMD_CAD_ON", 0x00000000: "LINUX_REBOOT_CMD_CAD_OFF",
                   0x4321FEDC: "LINUX_REBOOT_CMD_POWER_OFF", 0xA1B2C3D4: "LINUX_REBOOT_CMD_RESTART2",
                   0xD000FCE2: "LINUX_REBOOT_CMD_SW_SUSPEND", 0x45584543: "LINUX_REBOOT_CMD_KEXEC"},
})  # fmt: skip
DECODER_UNKNOWN_PREFIX.update({"syslog_action": "SYSLOG_ACTION_", "loglevel": "LOGLEVEL_",
                               "reboot_magic": "LINUX_REBOOT_MAGIC_", "reboot_cmd": "LINUX_REBOOT_CMD_"})  # fmt: skip

_IPC_COMMON = {0: "IPC_RMID", 1: "IPC_SET", 2: "IPC_STAT", 3: "IPC_INFO"}
DECODER_CONSTANTS.update({
    "msgctl": {**_IPC_COMMON, 11: "MSG_STAT", 12: "MSG_INFO", 13: "MSG_STAT_ANY"},
    "shmctl": {**_IPC_COMMON, 11: "SHM_LOCK", 12: "SHM_UNLOCK", 13: "SHM_STAT", 14: "SHM_INFO", 15: "SHM_STAT_ANY"},
    "semctl": {**_IPC_COMMON, 11: "GETPID", 12: "GETVAL", 13: "GETALL", 14: "GETNCNT", 15: "GETZCNT", 16: "SETVAL",
               17: "SETALL", 18: "SEM_STAT", 19: "SEM_INFO", 20: "SEM_STAT_ANY"},
})  # fmt: skip
DECODER_TABLES.update({
    "ipc_get": [(0o1000, "IPC_CREAT"), (0o2000, "IPC_EXCL"), (0o4000, "IPC_NOWAIT")],
    "shm_get": [(0o1000, "IPC_CREAT"), (0o2000, "IPC_EXCL"), (0o4000, "SHM_HUGETLB"), (0o10000, "SHM_NORESERVE")],
})  # fmt: skip
DECODER_UNKNOWN_PREFIX.update({"msgctl": "MSG_", "shmctl": "SHM_", "semctl": "SEM_"})

# Socket options the base tables lack, by level (merged into them).
MORE_SOCKOPTS: dict[str, dict[int, str]] = {
    "ip": {36: "IP_DROP_MEMBERSHIP", 42: "MCAST_JOIN_GROUP", 45: "MCAST_LEAVE_GROUP"},
    "ipv6": {20: "IPV6_ADD_MEMBERSHIP", 21: "IPV6_DROP_MEMBERSHIP", 27: "IPV6_JOIN_ANYCAST", 28: "IPV6_LEAVE_ANYCAST",
             42: "MCAST_JOIN_GROUP", 45: "MCAST_LEAVE_GROUP"},
}  # fmt: skip
DECODER_CONSTANTS["raw"] = {1: "ICMP_FILTER"}
DECODER_UNKNOWN_PREFIX["raw"] = "ICMP_"

DECODER_CONSTANTS.update({
    "quota_cmd": {0x800001: "Q_SYNC", 0x800002: "Q_QUOTAON", 0x800003: "Q_QUOTAOFF", 0x800004: "Q_GETFMT",
                  0x800005: "Q_GETINFO", 0x800006: "Q_SETINFO", 0x800007: "Q_GETQUOTA", 0x800008: "Q_SETQUOTA",
                  0x800009: "Q_GETNEXTQUOTA"},
    "quota_type": {0: "USRQUOTA", 1: "GRPQUOTA", 2: "PRJQUOTA"},
    "quota_format": {1: "QFMT_VFS_OLD", 2: "QFMT_VFS_V0", 3: "QFMT_OCFS2", 4: "QFMT_VFS_V1"},
})  # fmt: skip
DECODER_TABLES.update({
    "dqblk_valid": [(1, "QIF_BLIMITS"), (2, "QIF_SPACE"), (4, "QIF_ILIMITS"), (8, "QIF_INODES"), (16, "QIF_BTIME"),
                    (32, "QIF_ITIME")],
    "dqi_flags": [(1, "DQF_ROOT_SQUASH"), (0x10000, "DQF_SYS_FILE")],
    "dqi_valid": [(1, "IIF_BGRACE"), (2, "IIF_IGRACE"), (4, "IIF_FLAGS")],
})  # fmt: skip
DECODER_UNKNOWN_PREFIX.update({"quota_cmd": "Q_", "quota_format": "QFMT_VFS_", "dqblk_valid": "QIF_",
                               "dqi_flags": "DQF_", "dqi_valid": "IIF_"})  # fmt: skip

DECODER_TABLES["io_uring_enter"] = [(1, "IORING_ENTER_GETEVENTS"), (2, "IORING_ENTER_SQ_WAKEUP"),
                                    (4, "IORING_ENTER_SQ_WAIT"), (8, "IORING_ENTER_EXT_ARG"),
                                    (16, "IORING_ENTER_REGISTERED_RING")]  # fmt: skip
DECODER_UNKNOWN_PREFIX["io_uring_enter"] = "IORING_ENTER_"

# struct futex_waitv's flags: the size of the futex and FUTEX_PRIVATE_FLAG.
DECODER_TABLES["futex_waitv_flags"] = [(2, "FUTEX_32"), (128, "FUTEX_PRIVATE_FLAG")]

DECODER_TABLES.update({
    "kexec_file": [(1, "KEXEC_FILE_UNLOAD"), (2, "KEXEC_FILE_ON_CRASH"), (4, "KEXEC_FILE_NO_INITRAMFS")],
    "kexec": [(1, "KEXEC_ON_CRASH"), (2, "KEXEC_PRESERVE_CONTEXT")],
})  # fmt: skip
DECODER_CONSTANTS["kexec_arch"] = {
    0: "KEXEC_ARCH_DEFAULT", 3 << 16: "KEXEC_ARCH_386", 4 << 16: "KEXEC_ARCH_68K", 15 << 16: "KEXEC_ARCH_PARISC",
    62 << 16: "KEXEC_ARCH_X86_64", 20 << 16: "KEXEC_ARCH_PPC", 21 << 16: "KEXEC_ARCH_PPC64",
    50 << 16: "KEXEC_ARCH_IA_64", 40 << 16: "KEXEC_ARCH_ARM", 22 << 16: "KEXEC_ARCH_S390", 42 << 16: "KEXEC_ARCH_SH",
    10 << 16: "KEXEC_ARCH_MIPS_LE", 8 << 16: "KEXEC_ARCH_MIPS", 183 << 16: "KEXEC_ARCH_AARCH64",
    243 << 16: "KEXEC_ARCH_RISCV", 258 << 16: "KEXEC_ARCH_LOONGARCH",
}  # fmt: skip
DECODER_UNKNOWN_PREFIX.update({"kexec_file": "KEXEC_FILE_", "kexec": "KEXEC_", "kexec_arch": "KEXEC_ARCH_"})

DECODER_CONSTANTS["fsconfig_cmd"] = {
    0: "FSCONFIG_SET_FLAG", 1: "FSCONFIG_SET_STRING", 2: "FSCONFIG_SET_BINARY", 3: "FSCONFIG_SET_PATH",
    4: "FSCONFIG_SET_PATH_EMPTY", 5: "FSCONFIG_SET_FD", 6: "FSCONFIG_CMD_CREATE", 7: "FSCONFIG_CMD_RECONFIGURE",
}  # fmt: skip
DECODER_UNKNOWN_PREFIX["fsconfig_cmd"] = "FSCONFIG_"

# The modem lines of TIOCMGET and TIOCMSET (asm-generic/termios.h).
DECODER_TABLES["tiocm"] = [(0x1, "TIOCM_LE"), (0x2, "TIOCM_DTR"), (0x4, "TIOCM_RTS"), (0x8, "TIOCM_ST"),
                           (0x10, "TIOCM_SR"), (0x20, "TIOCM_CTS"), (0x40, "TIOCM_CAR"), (0x80, "TIOCM_RNG"),
                           (0x100, "TIOCM_DSR"), (0x2000, "TIOCM_OUT1"), (0x4000, "TIOCM_OUT2"),
                           (0x8000, "TIOCM_LOOP")]  # fmt: skip


def merge_decoder_tables(
    tables: dict[str, FlagTable], constants: dict[str, dict[int, str]], unknown: dict[str, str]
) -> None:
    """Add these tables to atrace.render.flag_tables' (called there once)."""
    from ..syscalls._ioctl_names import IOCTL_NAMES

    tables.update(DECODER_TABLES)
    constants.update(DECODER_CONSTANTS)
    unknown.update(DECODER_FLAG_UNKNOWN)
    constants["prctl"].update(MORE_PRCTL_OPTIONS)
    for level, names in MORE_SOCKOPTS.items():
        constants[level].update(names)
    # Every request the kernel headers name (generated), under the names already there.
    constants["ioctl"] = {**IOCTL_NAMES, **constants["ioctl"]}


# x86's xsave features (asm/fpu/types.h), as strace 6.1 names them: the
# masks of several bits first, so that they are named whole.
DECODER_TABLES["x86_xfeatures"] = [
    (0x3, "XFEATURE_MASK_FPSSE"), (1 << 0, "XFEATURE_MASK_FP"), (1 << 1, "XFEATURE_MASK_SSE"),
    (1 << 2, "XFEATURE_MASK_YMM"), (1 << 3, "XFEATURE_MASK_BNDREGS"), (1 << 4, "XFEATURE_MASK_BNDCSR"),
    (0xE0, "XFEATURE_MASK_AVX512"), (1 << 5, "XFEATURE_MASK_OPMASK"), (1 << 6, "XFEATURE_MASK_ZMM_Hi256"),
    (1 << 7, "XFEATURE_MASK_Hi16_ZMM"), (1 << 8, "XFEATURE_MASK_PT"), (1 << 9, "XFEATURE_MASK_PKRU"),
    (1 << 10, "XFEATURE_MASK_PASID"), (1 << 15, "XFEATURE_MASK_LBR"), (0x60000, "XFEATURE_MASK_XTILE"),
    (1 << 17, "XFEATURE_MASK_XTILE_CFG"), (1 << 18, "XFEATURE_MASK_XTILE_DATA"),
]  # fmt: skip
DECODER_CONSTANTS["x86_xfeature"] = {
    0: "XFEATURE_FP", 1: "XFEATURE_SSE", 2: "XFEATURE_YMM", 3: "XFEATURE_BNDREGS", 4: "XFEATURE_BNDCSR",
    5: "XFEATURE_OPMASK", 6: "XFEATURE_ZMM_Hi256", 7: "XFEATURE_Hi16_ZMM", 8: "XFEATURE_PT_UNIMPLEMENTED_SO_FAR",
    9: "XFEATURE_PKRU", 10: "XFEATURE_PASID", 15: "XFEATURE_LBR", 17: "XFEATURE_XTILE_CFG", 18: "XFEATURE_XTILE_DATA",
}  # fmt: skip


# Flag words and values of process, module and namespace calls (linux/memfd.h,
# asm-generic/mman-common.h, linux/module.h, linux/sched.h, linux/swap.h,
# in strace's order; fadvise's advice has its table there.
DECODER_TABLES.update({
    "memfd_secret": [(0o2000000, "O_CLOEXEC")],
    "pkey_access": [(1, "PKEY_DISABLE_ACCESS"), (2, "PKEY_DISABLE_WRITE"), (4, "PKEY_DISABLE_EXECUTE")],
    "module_init": [(1, "MODULE_INIT_IGNORE_MODVERSIONS"), (2, "MODULE_INIT_IGNORE_VERMAGIC"),
                    (4, "MODULE_INIT_COMPRESSED_FILE")],
    "delete_module": [(0o4000, "O_NONBLOCK"), (0o1000, "O_TRUNC")],
    "unshare": [(0x80, "CLONE_NEWTIME"), (0x100, "CLONE_VM"), (0x200, "CLONE_FS"), (0x400, "CLONE_FILES"),
                (0x800, "CLONE_SIGHAND"), (0x10000, "CLONE_THREAD"), (0x20000, "CLONE_NEWNS"),
                (0x40000, "CLONE_SYSVSEM"), (0x2000000, "CLONE_NEWCGROUP"), (0x4000000, "CLONE_NEWUTS"),
                (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"), (0x20000000, "CLONE_NEWPID"),
                (0x40000000, "CLONE_NEWNET")],
    "setns": [(0x80, "CLONE_NEWTIME"), (0x20000, "CLONE_NEWNS"), (0x2000000, "CLONE_NEWCGROUP"),
              (0x4000000, "CLONE_NEWUTS"), (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"),
              (0x20000000, "CLONE_NEWPID"), (0x40000000, "CLONE_NEWNET")],
    "swap": [(0x8000, "SWAP_FLAG_PREFER"), (0x10000, "SWAP_FLAG_DISCARD"), (0x20000, "SWAP_FLAG_DISCARD_ONCE"),
             (0x40000, "SWAP_FLAG_DISCARD_PAGES")],
})  # fmt: skip
DECODER_UNKNOWN_PREFIX["fadvise"] = "POSIX_FADV_"
# The comment of a flag word with no known flag (atrace.render.flag_tables' FLAG_UNKNOWN).
DECODER_FLAG_UNKNOWN = {"pkey_access": "PKEY_???", "module_init": "MODULE_INIT_???", "delete_module": "O_???",
                        "unshare": "CLONE_???", "setns": "CLONE_NEW???"}  # fmt: skip
# pkey_access, unshare and clone3 are a C long (flag_tables' LONG_FLAGS).
DECODER_CONSTANTS["ioprio_who"] = {1: "IOPRIO_WHO_PROCESS", 2: "IOPRIO_WHO_PGRP", 3: "IOPRIO_WHO_USER"}
DECODER_CONSTANTS["ioprio_class"] = {0: "IOPRIO_CLASS_NONE", 1: "IOPRIO_CLASS_RT", 2: "IOPRIO_CLASS_BE",
                                     3: "IOPRIO_CLASS_IDLE"}  # fmt: skip
DECODER_UNKNOWN_PREFIX.update({"ioprio_who": "IOPRIO_WHO_", "ioprio_class": "IOPRIO_CLASS_"})
DECODER_CONSTANTS["kcmp_type"] = {0: "KCMP_FILE", 1: "KCMP_VM", 2: "KCMP_FILES", 3: "KCMP_FS", 4: "KCMP_SIGHAND",
                                  5: "KCMP_IO", 6: "KCMP_SYSVSEM", 7: "KCMP_EPOLL_TFD"}  # fmt: skip
DECODER_UNKNOWN_PREFIX["kcmp_type"] = "KCMP_"
# Special key serials (linux/keyctl.h).
DECODER_CONSTANTS["key_spec"] = {
    -1: "KEY_SPEC_THREAD_KEYRING", -2: "KEY_SPEC_PROCESS_KEYRING", -3: "KEY_SPEC_SESSION_KEYRING",
    -4: "KEY_SPEC_USER_KEYRING", -5: "KEY_SPEC_USER_SESSION_KEYRING", -6: "KEY_SPEC_GROUP_KEYRING",
    -7: "KEY_SPEC_REQKEY_AUTH_KEY", -8: "KEY_SPEC_REQUESTOR_KEYRING",
}  # fmt: skip
# clone3's flags (all 64 bits: no exit signal in the low byte): strace's
# clone flags (CLONE_DETACHED, which the kernel ignores, unnamed), then the
# flags only clone3 can pass.
DECODER_TABLES["clone3"] = [
    (0x100, "CLONE_VM"), (0x200, "CLONE_FS"), (0x400, "CLONE_FILES"), (0x800, "CLONE_SIGHAND"),
    (0x1000, "CLONE_PIDFD"), (0x2000, "CLONE_PTRACE"), (0x4000, "CLONE_VFORK"), (0x8000, "CLONE_PARENT"),
    (0x10000, "CLONE_THREAD"), (0x20000, "CLONE_NEWNS"), (0x40000, "CLONE_SYSVSEM"), (0x80000, "CLONE_SETTLS"),
    (0x100000, "CLONE_PARENT_SETTID"), (0x200000, "CLONE_CHILD_CLEARTID"), (0x800000, "CLONE_UNTRACED"),
    (0x1000000, "CLONE_CHILD_SETTID"), (0x2000000, "CLONE_NEWCGROUP"), (0x4000000, "CLONE_NEWUTS"),
    (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"), (0x20000000, "CLONE_NEWPID"),
    (0x40000000, "CLONE_NEWNET"), (0x80000000, "CLONE_IO"), (0x80, "CLONE_NEWTIME"),
    (0x100000000, "CLONE_CLEAR_SIGHAND"), (0x200000000, "CLONE_INTO_CGROUP"),
]  # fmt: skip
DECODER_FLAG_UNKNOWN["clone3"] = "CLONE_???"
# The socket and IPC decoders' tables (atrace.render.net_tables).
DECODER_TABLES.update(NET_TABLES)
DECODER_CONSTANTS.update(NET_CONSTANTS)
DECODER_UNKNOWN_PREFIX.update(NET_UNKNOWN_PREFIX)
# ptrace's requests (linux/ptrace.h, x86's asm/ptrace-abi.h), its
# PTRACE_O_* options and struct ptrace_syscall_info's op.
DECODER_CONSTANTS["ptrace"] = {
    0: "PTRACE_TRACEME", 1: "PTRACE_PEEKTEXT", 2: "PTRACE_PEEKDATA", 3: "PTRACE_PEEKUSER", 4: "PTRACE_POKETEXT",
    5: "PTRACE_POKEDATA", 6: "PTRACE_POKEUSER", 7: "PTRACE_CONT", 8: "PTRACE_KILL", 9: "PTRACE_SINGLESTEP",
    12: "PTRACE_GETREGS", 13: "PTRACE_SETREGS", 14: "PTRACE_GETFPREGS", 15: "PTRACE_SETFPREGS", 16: "PTRACE_ATTACH",
    17: "PTRACE_DETACH", 18: "PTRACE_GETFPXREGS", 19: "PTRACE_SETFPXREGS", 24: "PTRACE_SYSCALL",
    25: "PTRACE_GET_THREAD_AREA", 26: "PTRACE_SET_THREAD_AREA", 30: "PTRACE_ARCH_PRCTL", 31: "PTRACE_SYSEMU",
    32: "PTRACE_SYSEMU_SINGLESTEP", 33: "PTRACE_SINGLEBLOCK", 0x4200: "PTRACE_SETOPTIONS",
    0x4201: "PTRACE_GETEVENTMSG", 0x4202: "PTRACE_GETSIGINFO", 0x4203: "PTRACE_SETSIGINFO",
    0x4204: "PTRACE_GETREGSET", 0x4205: "PTRACE_SETREGSET", 0x4206: "PTRACE_SEIZE", 0x4207: "PTRACE_INTERRUPT",
    0x4208: "PTRACE_LISTEN", 0x4209: "PTRACE_PEEKSIGINFO", 0x420A: "PTRACE_GETSIGMASK", 0x420B: "PTRACE_SETSIGMASK",
    0x420C: "PTRACE_SECCOMP_GET_FILTER", 0x420D: "PTRACE_SECCOMP_GET_METADATA", 0x420E: "PTRACE_GET_SYSCALL_INFO",
    0x420F: "PTRACE_GET_RSEQ_CONFIGURATION",
}  # fmt: skip
DECODER_TABLES["ptrace_options"] = [
    (0x1, "PTRACE_O_TRACESYSGOOD"), (0x2, "PTRACE_O_TRACEFORK"), (0x4, "PTRACE_O_TRACEVFORK"),
    (0x8, "PTRACE_O_TRACECLONE"), (0x10, "PTRACE_O_TRACEEXEC"), (0x20, "PTRACE_O_TRACEVFORKDONE"),
    (0x40, "PTRACE_O_TRACEEXIT"), (0x80, "PTRACE_O_TRACESECCOMP"), (0x100000, "PTRACE_O_EXITKILL"),
    (0x200000, "PTRACE_O_SUSPEND_SECCOMP"),
]  # fmt: skip
DECODER_FLAG_UNKNOWN["ptrace_options"] = "PTRACE_O_???"
DECODER_CONSTANTS["ptrace_syscall_info_op"] = {
    0: "PTRACE_SYSCALL_INFO_NONE",
    1: "PTRACE_SYSCALL_INFO_ENTRY",
    2: "PTRACE_SYSCALL_INFO_EXIT",
    3: "PTRACE_SYSCALL_INFO_SECCOMP",
}
DECODER_UNKNOWN_PREFIX.update({"ptrace": "PTRACE_", "ptrace_syscall_info_op": "PTRACE_SYSCALL_INFO_"})
# fcntl's F_NOTIFY events (linux/fcntl.h) and F_SETOWN_EX's owner kinds.
DECODER_TABLES["dnotify"] = [(0x1, "DN_ACCESS"), (0x2, "DN_MODIFY"), (0x4, "DN_CREATE"), (0x8, "DN_DELETE"),
                             (0x10, "DN_RENAME"), (0x20, "DN_ATTRIB"), (0x80000000, "DN_MULTISHOT")]  # fmt: skip
DECODER_CONSTANTS["f_owner_type"] = {0: "F_OWNER_TID", 1: "F_OWNER_PID", 2: "F_OWNER_PGRP"}
DECODER_UNKNOWN_PREFIX["f_owner_type"] = "F_OWNER_"
# struct sched_attr's sched_flags (linux/sched.h).
DECODER_TABLES["sched_flags"] = [
    (0x1, "SCHED_FLAG_RESET_ON_FORK"), (0x2, "SCHED_FLAG_RECLAIM"), (0x4, "SCHED_FLAG_DL_OVERRUN"),
    (0x8, "SCHED_FLAG_KEEP_POLICY"), (0x10, "SCHED_FLAG_KEEP_PARAMS"), (0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
    (0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
]  # fmt: skip
DECODER_FLAG_UNKNOWN["sched_flags"] = "SCHED_FLAG_???"
# XFS quota: the commands (linux/dqblk_xfs.h), the FS_QUOTA_* state flags
# and the FS_*_QUOTA types.
DECODER_CONSTANTS["quota_cmd"].update({
    0x5801: "Q_XQUOTAON", 0x5802: "Q_XQUOTAOFF", 0x5803: "Q_XGETQUOTA", 0x5804: "Q_XSETQLIM", 0x5805: "Q_XGETQSTAT",
    0x5806: "Q_XQUOTARM", 0x5807: "Q_XQUOTASYNC", 0x5808: "Q_XGETQSTATV", 0x5809: "Q_XGETNEXTQUOTA",
})  # fmt: skip
DECODER_TABLES["xfs_quota_flags"] = [(0x1, "FS_QUOTA_UDQ_ACCT"), (0x2, "FS_QUOTA_UDQ_ENFD"), (0x4, "FS_QUOTA_GDQ_ACCT"),
                                     (0x8, "FS_QUOTA_GDQ_ENFD"), (0x10, "FS_QUOTA_PDQ_ACCT"),
                                     (0x20, "FS_QUOTA_PDQ_ENFD")]  # fmt: skip
DECODER_TABLES["xfs_quota_types"] = [(0x1, "FS_USER_QUOTA"), (0x2, "FS_PROJ_QUOTA"), (0x4, "FS_GROUP_QUOTA")]
DECODER_FLAG_UNKNOWN.update({"xfs_quota_flags": "FS_QUOTA_???", "xfs_quota_types": "FS_???_QUOTA"})
# io_uring_setup's IORING_SETUP_* flags and IORING_FEAT_* features (linux/io_uring.h, as strace 6.1 knows them).
DECODER_TABLES["io_uring_setup"] = [
    (0x1, "IORING_SETUP_IOPOLL"), (0x2, "IORING_SETUP_SQPOLL"), (0x4, "IORING_SETUP_SQ_AFF"),
    (0x8, "IORING_SETUP_CQSIZE"), (0x10, "IORING_SETUP_CLAMP"), (0x20, "IORING_SETUP_ATTACH_WQ"),
    (0x40, "IORING_SETUP_R_DISABLED"), (0x80, "IORING_SETUP_SUBMIT_ALL"), (0x100, "IORING_SETUP_COOP_TASKRUN"),
    (0x200, "IORING_SETUP_TASKRUN_FLAG"), (0x400, "IORING_SETUP_SQE128"), (0x800, "IORING_SETUP_CQE32"),
]  # fmt: skip
DECODER_TABLES["io_uring_features"] = [
    (0x1, "IORING_FEAT_SINGLE_MMAP"), (0x2, "IORING_FEAT_NODROP"), (0x4, "IORING_FEAT_SUBMIT_STABLE"),
    (0x8, "IORING_FEAT_RW_CUR_POS"), (0x10, "IORING_FEAT_CUR_PERSONALITY"), (0x20, "IORING_FEAT_FAST_POLL"),
    (0x40, "IORING_FEAT_POLL_32BITS"), (0x80, "IORING_FEAT_SQPOLL_NONFIXED"), (0x100, "IORING_FEAT_EXT_ARG"),
    (0x200, "IORING_FEAT_NATIVE_WORKERS"), (0x400, "IORING_FEAT_RSRC_TAGS"), (0x800, "IORING_FEAT_CQE_SKIP"),
    (0x1000, "IORING_FEAT_LINKED_FILE"),
]  # fmt: skip
DECODER_FLAG_UNKNOWN.update({"io_uring_setup": "IORING_SETUP_???", "io_uring_features": "IORING_FEAT_???"})
# perf_event_open's flags (linux/perf_event.h).
DECODER_TABLES["perf_flags"] = [(0x1, "PERF_FLAG_FD_NO_GROUP"), (0x2, "PERF_FLAG_FD_OUTPUT"),
                                (0x4, "PERF_FLAG_PID_CGROUP"), (0x8, "PERF_FLAG_FD_CLOEXEC")]  # fmt: skip
DECODER_FLAG_UNKNOWN["perf_flags"] = "PERF_FLAG_???"
# bpf's commands, program types, attach types and BPF_PROG_LOAD's flags (linux/bpf.h, as strace 6.1 names them).
DECODER_CONSTANTS["bpf_cmd"] = dict(enumerate((
    "BPF_MAP_CREATE", "BPF_MAP_LOOKUP_ELEM", "BPF_MAP_UPDATE_ELEM", "BPF_MAP_DELETE_ELEM", "BPF_MAP_GET_NEXT_KEY",
    "BPF_PROG_LOAD", "BPF_OBJ_PIN", "BPF_OBJ_GET", "BPF_PROG_ATTACH", "BPF_PROG_DETACH", "BPF_PROG_TEST_RUN",
    "BPF_PROG_GET_NEXT_ID", "BPF_MAP_GET_NEXT_ID", "BPF_PROG_GET_FD_BY_ID", "BPF_MAP_GET_FD_BY_ID",
    "BPF_OBJ_GET_INFO_BY_FD", "BPF_PROG_QUERY", "BPF_RAW_TRACEPOINT_OPEN", "BPF_BTF_LOAD", "BPF_BTF_GET_FD_BY_ID",
    "BPF_TASK_FD_QUERY", "BPF_MAP_LOOKUP_AND_DELETE_ELEM", "BPF_MAP_FREEZE", "BPF_BTF_GET_NEXT_ID",
    "BPF_MAP_LOOKUP_BATCH", "BPF_MAP_LOOKUP_AND_DELETE_BATCH", "BPF_MAP_UPDATE_BATCH", "BPF_MAP_DELETE_BATCH",
    "BPF_LINK_CREATE", "BPF_LINK_UPDATE", "BPF_LINK_GET_FD_BY_ID", "BPF_LINK_GET_NEXT_ID", "BPF_ENABLE_STATS",
    "BPF_ITER_CREATE", "BPF_LINK_DETACH", "BPF_PROG_BIND_MAP",
)))  # fmt: skip
DECODER_CONSTANTS["bpf_prog_type"] = dict(enumerate(f"BPF_PROG_TYPE_{name}" for name in (
    "UNSPEC", "SOCKET_FILTER", "KPROBE", "SCHED_CLS", "SCHED_ACT", "TRACEPOINT", "XDP", "PERF_EVENT", "CGROUP_SKB",
    "CGROUP_SOCK", "LWT_IN", "LWT_OUT", "LWT_XMIT", "SOCK_OPS", "SK_SKB", "CGROUP_DEVICE", "SK_MSG", "RAW_TRACEPOINT",
    "CGROUP_SOCK_ADDR", "LWT_SEG6LOCAL", "LIRC_MODE2", "SK_REUSEPORT", "FLOW_DISSECTOR", "CGROUP_SYSCTL",
    "RAW_TRACEPOINT_WRITABLE", "CGROUP_SOCKOPT", "TRACING", "STRUCT_OPS", "EXT", "LSM", "SK_LOOKUP", "SYSCALL",
)))  # fmt: skip
DECODER_CONSTANTS["bpf_attach_type"] = dict(enumerate(f"BPF_{name}" for name in (
    "CGROUP_INET_INGRESS", "CGROUP_INET_EGRESS", "CGROUP_INET_SOCK_CREATE", "CGROUP_SOCK_OPS", "SK_SKB_STREAM_PARSER",
    "SK_SKB_STREAM_VERDICT", "CGROUP_DEVICE", "SK_MSG_VERDICT", "CGROUP_INET4_BIND", "CGROUP_INET6_BIND",
    "CGROUP_INET4_CONNECT", "CGROUP_INET6_CONNECT", "CGROUP_INET4_POST_BIND", "CGROUP_INET6_POST_BIND",
    "CGROUP_UDP4_SENDMSG", "CGROUP_UDP6_SENDMSG", "LIRC_MODE2", "FLOW_DISSECTOR", "CGROUP_SYSCTL",
    "CGROUP_UDP4_RECVMSG", "CGROUP_UDP6_RECVMSG", "CGROUP_GETSOCKOPT", "CGROUP_SETSOCKOPT", "TRACE_RAW_TP",
    "TRACE_FENTRY", "TRACE_FEXIT", "MODIFY_RETURN", "LSM_MAC", "TRACE_ITER", "CGROUP_INET4_GETPEERNAME",
    "CGROUP_INET6_GETPEERNAME", "CGROUP_INET4_GETSOCKNAME", "CGROUP_INET6_GETSOCKNAME", "XDP_DEVMAP",
    "CGROUP_INET_SOCK_RELEASE", "XDP_CPUMAP", "SK_LOOKUP", "XDP", "SK_SKB_VERDICT", "SK_REUSEPORT_SELECT",
    "SK_REUSEPORT_SELECT_OR_MIGRATE", "PERF_EVENT", "TRACE_KPROBE_MULTI", "LSM_CGROUP",
)))  # fmt: skip
DECODER_UNKNOWN_PREFIX.update({"bpf_cmd": "BPF_", "bpf_prog_type": "BPF_PROG_TYPE_", "bpf_attach_type": "BPF_"})
DECODER_TABLES["bpf_prog_flags"] = [(0x1, "BPF_F_STRICT_ALIGNMENT"), (0x2, "BPF_F_ANY_ALIGNMENT"),
                                    (0x4, "BPF_F_TEST_RND_HI32"), (0x8, "BPF_F_TEST_STATE_FREQ"),
                                    (0x10, "BPF_F_SLEEPABLE")]  # fmt: skip
DECODER_FLAG_UNKNOWN["bpf_prog_flags"] = "BPF_F_???"
