"""prctl's options: what memory each one makes the tracer copy.

The tracer reads these (atrace.tracer.readers), the renderer shows them
(atrace.render.decode.prctl); neither keeps its own copy.  Values from the
kernel's linux/prctl.h.  An option reads at most one piece of memory, kept
under the key of prctl's second argument whichever argument it belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence

PR_SET_PDEATHSIG, PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_DUMPABLE = 1, 2, 3, 4
PR_GET_UNALIGN, PR_SET_UNALIGN, PR_GET_KEEPCAPS, PR_SET_KEEPCAPS = 5, 6, 7, 8
PR_GET_FPEMU, PR_SET_FPEMU, PR_GET_FPEXC, PR_SET_FPEXC = 9, 10, 11, 12
PR_GET_TIMING, PR_SET_TIMING, PR_SET_NAME, PR_GET_NAME = 13, 14, 15, 16
PR_GET_ENDIAN, PR_SET_ENDIAN, PR_GET_SECCOMP, PR_SET_SECCOMP = 19, 20, 21, 22
PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_GET_TSC, PR_SET_TSC = 23, 24, 25, 26
PR_GET_SECUREBITS, PR_SET_SECUREBITS, PR_SET_TIMERSLACK, PR_GET_TIMERSLACK = 27, 28, 29, 30
PR_TASK_PERF_EVENTS_DISABLE, PR_TASK_PERF_EVENTS_ENABLE, PR_MCE_KILL, PR_MCE_KILL_GET = 31, 32, 33, 34
PR_SET_MM, PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 35, 36, 37
PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS, PR_GET_TID_ADDRESS = 38, 39, 40
PR_SET_THP_DISABLE, PR_GET_THP_DISABLE, PR_SET_FP_MODE, PR_GET_FP_MODE, PR_CAP_AMBIENT = 41, 42, 45, 46, 47
PR_SVE_SET_VL, PR_SVE_GET_VL, PR_GET_SPECULATION_CTRL, PR_SET_SPECULATION_CTRL = 50, 51, 52, 53
PR_PAC_RESET_KEYS, PR_SET_TAGGED_ADDR_CTRL, PR_GET_TAGGED_ADDR_CTRL = 54, 55, 56
PR_SET_IO_FLUSHER, PR_GET_IO_FLUSHER, PR_SET_SYSCALL_USER_DISPATCH = 57, 58, 59
PR_PAC_SET_ENABLED_KEYS, PR_PAC_GET_ENABLED_KEYS, PR_SCHED_CORE, PR_SME_SET_VL, PR_SME_GET_VL = 60, 61, 62, 63, 64
PR_SET_VMA, PR_SET_PTRACER = 0x53564D41, 0x59616D61

# Sub-commands that decide what is read.
PR_SET_VMA_ANON_NAME = 0
SECCOMP_MODE_FILTER = 2
PR_SCHED_CORE_GET = 0

# A task name is at most 15 bytes and a NUL.
TASK_COMM_LEN = 16
# PR_SET_VMA_ANON_NAME's name is at most 80 bytes with its NUL.
ANON_VMA_NAME_MAX = 80

# Options whose argument the kernel writes: (argument index, bytes) to copy
# at exit, when the call succeeded; "long" is a long of the ABI.
PRCTL_EXIT_READS: dict[int, tuple[int, int | str]] = {
    PR_GET_NAME: (1, TASK_COMM_LEN),
    PR_GET_PDEATHSIG: (1, 4),
    PR_GET_CHILD_SUBREAPER: (1, 4),
    PR_GET_TSC: (1, 4),
    PR_GET_UNALIGN: (1, 4),
    PR_GET_ENDIAN: (1, 4),
    PR_GET_FPEMU: (1, 4),
    PR_GET_FPEXC: (1, 4),
    PR_GET_TID_ADDRESS: (1, "long"),
    PR_SCHED_CORE: (4, 8),  # PR_SCHED_CORE_GET's cookie, a u64
}


def exit_read(args: Sequence[int], arch_long: int) -> tuple[int, int] | None:
    """(argument index, bytes) the kernel wrote for this call's option, or None."""
    option = args[0] & 0xFFFFFFFF
    found = PRCTL_EXIT_READS.get(option)
    # The sub-command is an int: the upper half of its register is noise.
    if found is None or (option == PR_SCHED_CORE and args[1] & 0xFFFFFFFF != PR_SCHED_CORE_GET):
        return None
    index, size = found
    return index, arch_long if size == "long" else int(size)


def entry_read(args: Sequence[int]) -> tuple[int, str] | None:
    """(argument index, what) the call passes in memory: "name" (PR_SET_NAME,
    up to TASK_COMM_LEN bytes), "vma_name" (a string), "fprog" (a seccomp
    filter), or None."""
    option = args[0] & 0xFFFFFFFF
    if option == PR_SET_NAME:
        return 1, "name"
    if option == PR_SET_VMA and args[1] == PR_SET_VMA_ANON_NAME:
        return 4, "vma_name"
    if option == PR_SET_SECCOMP and args[1] == SECCOMP_MODE_FILTER:
        return 2, "fprog"
    return None


# PR_SCHED_CORE's pid argument names what its pid type (the next argument)
# says; the /proc status line that numbers each type.
_PIDTYPE_FIELDS = {0: "NSpid", 1: "NStgid", 2: "NSpgid", 3: "NSsid"}


def pid_arg(args: Sequence[int]) -> tuple[int, str] | None:
    """(argument index, /proc id line) of the pid this call's option takes:
    PR_SET_PTRACER's tracer (a process), PR_SCHED_CORE's task; or None."""
    option = args[0] & 0xFFFFFFFF
    if option == PR_SET_PTRACER:
        return 1, "NStgid"
    if option == PR_SCHED_CORE:
        field = _PIDTYPE_FIELDS.get(args[3] & 0xFFFFFFFF)
        return None if field is None else (2, field)
    return None
