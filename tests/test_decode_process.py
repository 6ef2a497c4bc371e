"""Decoding of process calls: clone and clone3, wait4, prctl, futex, thread areas, rlimits, groups, affinity."""

from __future__ import annotations

import struct
from typing import Any, cast

import pytest
from decoding_support import InPlace, TraceeMemory, compact, line, plan, render, run, trace, trace_in_place

from atrace.events import records as R
from atrace.render.fmt_signal import format_wait_status
from atrace.render.text import TextOptions, TextRenderer
from atrace.syscalls import ARCH_I386, ARCH_X86_64, by_name

EFAULT, EINVAL, ENOTTY = -14, -22, -25


# -- clone3's and clone's pidfd ----------------------------------------------


def _clone_args(flags: int, pidfd: int = 0x7000, child_tid: int = 0x7008, parent_tid: int = 0x7010) -> bytes:
    return struct.pack("<11Q", flags, pidfd, child_tid, parent_tid, 17, 0, 0, 0, 0, 0, 0)


# -- prctl --------------------------------------------------------------------

PR_GET_PDEATHSIG, PR_SET_NAME, PR_GET_NAME, PR_CAPBSET_READ, PR_GET_CHILD_SUBREAPER = 2, 15, 16, 23, 37


# -- futex --------------------------------------------------------------------

FUTEX_WAIT, FUTEX_REQUEUE, FUTEX_WAKE_OP, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET = 0, 3, 5, 9, 10
FUTEX_PRIVATE, FUTEX_CLOCK_REALTIME = 128, 256


# -- select / pselect6 --------------------------------------------------------


# -- clone / clone3 -----------------------------------------------------------

CLONE_PARENT_SETTID, SIGCHLD = 0x100000, 17


def test_clone_named_flags_and_split() -> None:
    flags = 0x01200000 | 17
    text = line("clone", [flags, 0, 0, 0x7F10, 0], 42)
    assert compact(text) == (
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f10) = 42"
    )


def test_wait4_status_macros() -> None:
    assert format_wait_status(3 << 8) == "{WIFEXITED(s) && WEXITSTATUS(s) == 3}"
    assert format_wait_status(15) == "{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}"
    assert format_wait_status(11 | 0x80) == "{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}"
    assert format_wait_status(0x137F) == "{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}"
    text = line("wait4", [2**64 - 1, 0x1000, 0x40000001, 0], 77, None, {"stat_addr": (3 << 8).to_bytes(4, "little")})
    assert compact(text) == "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], WNOHANG|__WALL, NULL) = 77"


def test_process_calls() -> None:
    assert compact(line("arch_prctl", [0x1002, 0x7F00], 0)) == "arch_prctl(ARCH_SET_FS, 0x7f00) = 0"
    assert compact(line("prctl", [1, 9, 0, 0, 0], 0)) == "prctl(PR_SET_PDEATHSIG, SIGKILL) = 0"
    assert compact(line("prctl", [3, 0, 0, 0, 0], 1)) == "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)"
    assert compact(line("exit_group", [0], 0)).startswith("exit_group(0)")
    assert compact(line("set_tid_address", [0x7F10], 5)) == "set_tid_address(0x7f10) = 5"
    assert compact(line("rseq", [0x7F10, 0x20, 0, 0x53053053], 0)) == "rseq(0x7f10, 0x20, 0, 0x53053053) = 0"
    assert compact(line("futex", [0x7F10, 129, 1], 0)) == "futex(0x7f10, FUTEX_WAKE_PRIVATE, 1) = 0"
    argv = ["ls", "-l"]
    text = line("execve", [0x10, 0x20, 0x7FF0], 0, {"filename": "/bin/ls", "argv": argv, "envc": 3})
    assert compact(text) == 'execve("/bin/ls", ["ls", "-l"], 0x7ff0 /* 3 vars */) = 0'


def test_clone3_writes_back_pidfd_and_tid() -> None:
    memory = TraceeMemory({0x1000: _clone_args(0x1000 | 0x100000, child_tid=0), 0x7000: struct.pack("<i", 3),
                         0x7010: struct.pack("<i", 4321)})  # fmt: skip
    text = trace("clone3", memory, [0x1000, 88], 4321)
    assert text == (
        "clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd=0x7000, parent_tid=0x7010, exit_signal=SIGCHLD, "
        "stack=NULL, stack_size=0} => {pidfd=[3], parent_tid=[4321]}, 88) = 4321"
    )
    memory.regions[0x1000] = _clone_args(0x1000, child_tid=0)
    assert "} => {pidfd=[3]}, 88) = 4321" in trace("clone3", memory, [0x1000, 88], 4321)
    # The child (ret 0) has nothing written back to show.
    assert " => " not in trace("clone3", memory, [0x1000, 88], 0)


@pytest.mark.parametrize("arch", [0, ARCH_I386])
def test_clone_pidfd_shows_at_parent_tid(arch: int) -> None:
    memory = TraceeMemory({0x7000: struct.pack("<i", 3)})
    text = trace("clone", memory, [0x1000 | 17, 0, 0x7000, 0, 0], 555, arch)
    assert text == "clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=[3]) = 555"


def test_prctl_unknown_capability_is_hex() -> None:
    assert render("prctl", [23, 48], EINVAL, None, None) == (
        "prctl(PR_CAPBSET_READ, 0x30 /* CAP_??? */) = -1 EINVAL (Invalid argument)"
    )
    assert render("prctl", [23, (1 << 64) - 1], EINVAL, None, None).startswith(
        "prctl(PR_CAPBSET_READ, 0xffffffff /* CAP_??? */)"
    )
    assert render("prctl", [24, 40], 0, None, None) == "prctl(PR_CAPBSET_DROP, CAP_CHECKPOINT_RESTORE) = 0"


# -- sched_getaffinity / sched_setaffinity -----------------------------------


def test_getaffinity_reads_the_returned_size_at_exit() -> None:
    mask = (0b1011 | 1 << 70).to_bytes(16, "little")
    memory = TraceeMemory({0x1000: mask + b"\xff" * 112})
    assert trace("sched_getaffinity", memory, [0, 128, 0x1000], 16) == "sched_getaffinity(0, 128, [0 1 3 70]) = 16"
    # Only what the kernel wrote (the return value) is copied.
    assert memory.reads == [(0x1000, 16)]
    assert trace("sched_getaffinity", memory, [0, 3, 0x1000], EINVAL) == (
        "sched_getaffinity(0, 3, 0x1000) = -1 EINVAL (Invalid argument)"
    )


def test_setaffinity_reads_its_length_at_entry() -> None:
    memory = TraceeMemory({0x2000: (1 << 100).to_bytes(16, "little")})
    assert trace("sched_setaffinity", memory, [0, 16, 0x2000], 0) == "sched_setaffinity(0, 16, [100]) = 0"
    assert trace("sched_setaffinity", memory, [0, 8, 0x2000], 0) == "sched_setaffinity(0, 8, []) = 0"
    assert trace("sched_setaffinity", memory, [0, 8, 0], EFAULT) == (
        "sched_setaffinity(0, 8, NULL) = -1 EFAULT (Bad address)"
    )
    i386 = trace("sched_setaffinity", TraceeMemory({0x3000: b"\x03\0\0\0"}), [0, 4, 0x3000], 0, ARCH_I386)
    assert i386 == "sched_setaffinity(0, 4, [0 1]) = 0"


# -- getgroups / setgroups -----------------------------------------------------


def test_getgroups_counts_the_return_value() -> None:
    gids = struct.pack("<5I", 0, 5, 100, 0xFFFFFFFF, 7)
    memory = TraceeMemory({0x1000: gids})
    assert trace("getgroups", memory, [64, 0x1000], 4) == "getgroups(64, [0, 5, 100, -1]) = 4"
    assert trace("getgroups", memory, [0, 0], 4) == "getgroups(0, NULL) = 4"
    assert trace("getgroups", memory, [64, 0x1000], 0) == "getgroups(64, []) = 0"
    assert trace("getgroups", memory, [3, 0x1000], EINVAL) == "getgroups(3, 0x1000) = -1 EINVAL (Invalid argument)"


def test_group_lists_are_cut_at_s() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<40I", *range(100, 140))})
    assert trace("getgroups", memory, [64, 0x1000], 40, limit=4) == "getgroups(64, [100, 101, 102, 103, ...]) = 40"
    # Only the gids shown are copied, and one more (which tells `...`).
    assert memory.reads == [(0x1000, 20)]
    assert trace("setgroups", memory, [40, 0x1000], 0, limit=3) == "setgroups(40, [100, 101, 102, ...]) = 0"
    assert trace("setgroups", memory, [2, 0x1000], 0) == "setgroups(2, [100, 101]) = 0"
    assert trace("setgroups", memory, [2**32 - 1, 0x1000], EINVAL) == (
        "setgroups(-1, 0x1000) = -1 EINVAL (Invalid argument)"
    )
    # More than NGROUPS_MAX: the address, as strace shows it.
    assert (
        trace("setgroups", memory, [65537, 0x1000], EINVAL) == "setgroups(65537, 0x1000) = -1 EINVAL (Invalid argument)"
    )
    # Memory ends within the list: where, as a comment.
    short = TraceeMemory({0x1000: struct.pack("<I", 0xFFFFFFFF)})
    assert trace("setgroups", short, [2, 0x1000], EINVAL, limit=2) == (
        "setgroups(2, [-1, ... /* 0x1004 */]) = -1 EINVAL (Invalid argument)"
    )


def test_i386_old_group_calls_use_16_bit_gids() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<4H", 0, 5, 0xFFFF, 9)})
    assert trace("setgroups", memory, [3, 0x1000], 0, ARCH_I386) == "setgroups(3, [0, 5, -1]) = 0"
    assert trace("getgroups", memory, [8, 0x1000], 2, ARCH_I386) == "getgroups(8, [0, 5]) = 2"
    wide = TraceeMemory({0x1000: struct.pack("<2I", 0x10000, 5)})
    assert trace("getgroups32", wide, [8, 0x1000], 2, ARCH_I386) == "getgroups32(8, [65536, 5]) = 2"
    assert trace("setgroups32", wide, [2, 0x1000], 0, ARCH_I386) == "setgroups32(2, [65536, 5]) = 0"


def test_clone3_shows_the_pointers_its_flags_use() -> None:
    plain = render("clone3", [0x1000, 88], 42, {"uargs": _clone_args(0)}, None)
    assert plain == "clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88) = 42"
    pidfd = render("clone3", [0x1000, 88], 42, {"uargs": _clone_args(0x1000)}, None)
    assert pidfd.startswith("clone3({flags=CLONE_PIDFD, pidfd=0x7000, exit_signal=SIGCHLD, ")
    tids = render("clone3", [0x1000, 88], 42, {"uargs": _clone_args(0x100000 | 0x1000000)}, None)
    assert tids.startswith(
        "clone3({flags=CLONE_PARENT_SETTID|CLONE_CHILD_SETTID, child_tid=0x7008, parent_tid=0x7010, exit_signal="
    )


def test_getrandom_bytes_are_always_hex() -> None:
    text = render("getrandom", [0x1000, 8, 1], 8, None, {"buf": b"(;.x_\xcf\xa8\x04"})
    assert text == r'getrandom("\x28\x3b\x2e\x78\x5f\xcf\xa8\x04", 8, GRND_NONBLOCK) = 8'
    cut = render("getrandom", [0x1000, 40, 0], 40, None, {"buf": b"A" * 4}, string_limit=4)
    assert cut == r'getrandom("\x41\x41\x41\x41"..., 40, 0) = 40'


# -- sysinfo ------------------------------------------------------------------


def test_sysinfo_x86_64_and_i386() -> None:
    wide = struct.pack("<q3Q6QH6x2QI", 7839, 31296, 32768, 41856, 25276502016, 24943837184, 9084928, 1466368,
                       0, 0, 84, 0, 0, 1) + b"\0" * 4  # fmt: skip
    memory = TraceeMemory({0x1000: wide})
    assert trace("sysinfo", memory, [0x1000], 0) == (
        "sysinfo({uptime=7839, loads=[31296, 32768, 41856], totalram=25276502016, freeram=24943837184, "
        "sharedram=9084928, bufferram=1466368, totalswap=0, freeswap=0, procs=84, totalhigh=0, freehigh=0, "
        "mem_unit=1}) = 0"
    )
    narrow = struct.pack("<i3I6IH2x2II", 7839, 1, 2, 3, 6171021, 6089804, 2218, 358, 0, 0, 85, 0, 0, 4096)
    memory = TraceeMemory({0x1000: narrow + b"\0" * 8})
    assert trace("sysinfo", memory, [0x1000], 0, ARCH_I386) == (
        "sysinfo({uptime=7839, loads=[1, 2, 3], totalram=6171021, freeram=6089804, sharedram=2218, "
        "bufferram=358, totalswap=0, freeswap=0, procs=85, totalhigh=0, freehigh=0, mem_unit=4096}) = 0"
    )
    assert memory.reads == [(0x1000, 56)]


def test_prctl_names_in_and_out() -> None:
    memory = TraceeMemory({0x1000: b"a-very-long-task-name\0", 0x2000: b"decode-misc\0\0\0\0\0"})
    assert trace("prctl", memory, [PR_SET_NAME, 0x1000], 0) == 'prctl(PR_SET_NAME, "a-very-long-tas"...) = 0'
    assert trace("prctl", memory, [PR_GET_NAME, 0x2000], 0) == 'prctl(PR_GET_NAME, "decode-misc") = 0'
    assert trace("prctl", memory, [PR_GET_NAME, 0x9000], EFAULT) == (
        "prctl(PR_GET_NAME, 0x9000) = -1 EFAULT (Bad address)"
    )


def test_prctl_get_name_is_read_at_exit_only() -> None:
    memory = TraceeMemory({0x2000: b"decode-misc\0\0\0\0\0"})
    entry, exit_ = run(plan("prctl", memory, ARCH_X86_64), [PR_GET_NAME, 0x2000], 0, ARCH_X86_64)
    assert entry == {"arg2": None}
    assert exit_ == {"arg2": b"decode-misc\0\0\0\0\0"}
    assert memory.reads == [(0x2000, 16)]


def test_prctl_ints_written_back_and_capabilities() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<i", 15), 0x2000: struct.pack("<i", 1)})
    assert trace("prctl", memory, [PR_GET_PDEATHSIG, 0x1000], 0) == "prctl(PR_GET_PDEATHSIG, [SIGTERM]) = 0"
    assert trace("prctl", memory, [PR_GET_CHILD_SUBREAPER, 0x2000], 0, ARCH_I386) == (
        "prctl(PR_GET_CHILD_SUBREAPER, [1]) = 0"
    )
    assert trace("prctl", memory, [PR_CAPBSET_READ, 21], 1) == "prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) = 1"


def test_futex_timeouts_by_abi() -> None:
    memory = TraceeMemory({0x2000: struct.pack("<qq", 0, 1000000), 0x3000: struct.pack("<ii", 1, 0)})
    assert trace("futex", memory, [0x1000, FUTEX_WAIT, 1, 0x2000], -110) == (
        "futex(0x1000, FUTEX_WAIT, 1, {tv_sec=0, tv_nsec=1000000}) = -1 ETIMEDOUT (Connection timed out)"
    )
    op = FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME
    assert trace("futex", memory, [0x1000, op, 1, 0x3000, 0, 0xFFFFFFFF], -110, ARCH_I386) == (
        "futex(0x1000, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 1, {tv_sec=1, tv_nsec=0}, FUTEX_BITSET_MATCH_ANY)"
        " = -1 ETIMEDOUT (Connection timed out)"
    )
    assert (0x3000, 8) in memory.reads
    memory.reads.clear()
    assert "{tv_sec=0, tv_nsec=1000000}" in trace("futex_time64", memory, [0x1000, 0, 1, 0x2000], 0, ARCH_I386)
    assert memory.reads == [(0x2000, 16)]


def test_futex_commands_without_timeout_read_nothing() -> None:
    memory = TraceeMemory({})
    assert trace("futex", memory, [0x1000, FUTEX_REQUEUE, 1, 2, 0x1004], 0) == (
        "futex(0x1000, FUTEX_REQUEUE, 1, 2, 0x1004) = 0"
    )
    assert trace("futex", memory, [0x1000, FUTEX_WAKE_BITSET, 1, 0, 0, 3], 0) == (
        "futex(0x1000, FUTEX_WAKE_BITSET, 1, 0x3) = 0"
    )
    assert memory.reads == []


def test_futex_wake_op_decodes_val3() -> None:
    memory = TraceeMemory({})
    set_gt = 0 << 28 | 4 << 24 | 0 << 12 | 1
    assert trace("futex", memory, [0x1000, FUTEX_WAKE_OP, 1, 1, 0x1004, set_gt], 0) == (
        "futex(0x1000, FUTEX_WAKE_OP, 1, 1, 0x1004, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 0"
    )
    add_shift_eq = (8 | 1) << 28 | 0 << 24 | 3 << 12
    assert trace("futex", memory, [0x1000, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, 0, 0x1004, add_shift_eq], 0) == (
        "futex(0x1000, FUTEX_WAKE_OP_PRIVATE, 1, 0, 0x1004, "
        "FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_ADD<<28|0x3<<12|FUTEX_OP_CMP_EQ<<24|0) = 0"
    )


def test_clone_shows_the_parent_tid_written_back() -> None:
    memory = TraceeMemory({0x2000: struct.pack("<i", 27058)})
    flags = CLONE_PARENT_SETTID | SIGCHLD
    assert trace("clone", memory, [flags, 0, 0x2000, 0, 0], 27058) == (
        "clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|SIGCHLD, parent_tid=[27058]) = 27058"
    )
    assert trace("clone", memory, [flags, 0, 0x2000, 0, 0], 27058, ARCH_I386).endswith("parent_tid=[27058]) = 27058")
    memory.reads.clear()
    assert trace("clone", memory, [SIGCHLD, 0, 0x2000, 0, 0], 27058) == (
        "clone(child_stack=NULL, flags=SIGCHLD) = 27058"
    )
    assert memory.reads == []  # without the flag the kernel writes nothing


def test_clone3_parent_tid_follows_the_struct() -> None:
    args = struct.pack("<11Q", CLONE_PARENT_SETTID, 0, 0, 0x2000, SIGCHLD, 0, 0, 0, 0, 0, 0)
    memory = TraceeMemory({0x1000: args, 0x2000: struct.pack("<i", 27059)})
    assert trace("clone3", memory, [0x1000, 88], 27059) == (
        "clone3({flags=CLONE_PARENT_SETTID, parent_tid=0x2000, exit_signal=SIGCHLD, stack=NULL, stack_size=0}"
        " => {parent_tid=[27059]}, 88) = 27059"
    )


def test_clone3_line_is_cut_before_the_struct_when_it_grows_at_exit() -> None:
    args = struct.pack("<11Q", CLONE_PARENT_SETTID, 0, 0, 0x2000, SIGCHLD, 0, 0, 0, 0, 0, 0)
    call = by_name(ARCH_X86_64, "clone3")
    assert call is not None
    renderer = TextRenderer(TextOptions(personality_notes=False))
    entry = (R.SYSCALL_ENTRY, 1_000, 10, 10, ARCH_X86_64, call.nr, "clone3", (0x1000, 88, 0, 0, 0, 0), {"uargs": args})
    other = (R.SYSCALL_ENTRY, 1_500, 11, 11, ARCH_X86_64, 39, "getpid", (0,) * 6, None)
    text = renderer.render(cast(Any, [entry, other]))
    assert text.startswith("clone3( <unfinished ...>\n")


# -- i386: set_thread_area, _llseek, rlimit -----------------------------------


def test_set_thread_area_in_and_entry_number_out() -> None:
    before = struct.pack("<iIII", -1, 0xF7F4E540, 0xFFFFF, 0b1010001)
    after = struct.pack("<iIII", 12, 0xF7F4E540, 0xFFFFF, 0b1010001)
    memory = InPlace({0x1000: before}, {0x1000: after})
    assert trace_in_place("set_thread_area", memory, [0x1000], 0, ARCH_I386) == (
        "set_thread_area({entry_number=-1, base_addr=0xf7f4e540, limit=0x0fffff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0 (entry_number=12)"
    )
    filled = TraceeMemory({0x1000: struct.pack("<iIII", 13, 0x1000, 0xFF, 0b1000001)})
    assert trace("get_thread_area", filled, [0x1000], 0, ARCH_I386) == (
        "get_thread_area({entry_number=13, base_addr=0x001000, limit=0x0000ff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=0, seg_not_present=0, useable=1}) = 0"
    )


def test_rlimit_of_longs_per_abi() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<II", 8192 * 1024, 0xFFFFFFFF)})
    assert trace("ugetrlimit", memory, [3, 0x1000], 0, ARCH_I386) == (
        "ugetrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY}) = 0"
    )
    assert trace("setrlimit", memory, [3, 0x1000], 0, ARCH_I386) == (
        "setrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY}) = 0"
    )
    assert (0x1000, 8) in memory.reads
    old = TraceeMemory({0x1000: struct.pack("<II", 0x7FFFFFFF, 0x7FFFFFFF)})
    assert trace("getrlimit", old, [9, 0x1000], 0, ARCH_I386) == (
        "getrlimit(RLIMIT_AS, {rlim_cur=2147483647, rlim_max=2147483647}) = 0"
    )
    wide = TraceeMemory({0x1000: struct.pack("<QQ", 8192 * 1024, (1 << 64) - 1)})
    assert trace("getrlimit", wide, [3, 0x1000], 0) == (
        "getrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0"
    )


def test_user_desc_in_the_64_bit_abi_and_failed_get_thread_area() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<iIII", -1, 0x1000, 0xFF, 0b1000001)})
    assert trace("set_thread_area", memory, [0x1000], -38) == (
        "set_thread_area({entry_number=-1, base_addr=0x001000, limit=0x0000ff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=0, seg_not_present=0, useable=1, lm=0})"
        " = -1 ENOSYS (Function not implemented)"
    )
    assert trace("get_thread_area", memory, [0x1000], -38) == (
        "get_thread_area({entry_number=-1, ...}) = -1 ENOSYS (Function not implemented)"
    )
    # Any other entry number is an unsigned int.
    other = TraceeMemory({0x2000: struct.pack("<iIII", -2088599168, 0, 0, 0)})
    assert trace("get_thread_area", other, [0x2000], -38).startswith("get_thread_area({entry_number=2206368128, ...})")
    # Only entry_number readable: it is all the kernel reads, and all shown.
    head = TraceeMemory({0x3000: struct.pack("<I", 12)})
    assert trace("get_thread_area", head, [0x3000], -38).startswith("get_thread_area({entry_number=12, ...}) = -1")
    assert trace("get_thread_area", TraceeMemory({0x3000: b"\1\2"}), [0x3000], -38).startswith(
        "get_thread_area(0x3000)"
    )


def test_modify_ldt_descriptor_and_zero_extended_error() -> None:
    """The descriptor only when the byte count is its size; the kernel's int
    return zero-extended, an error in its low half named after it."""
    memory = TraceeMemory({0x1000: struct.pack("<iIII", -2088599168, 0x87868584, 0x8B8A8988, 0x94)})
    assert trace("modify_ldt", memory, [0xBADC0DEDDA7A1057, 0x1000, 16], 0xFFFFFFDA) == (
        "modify_ldt(-629534633, {entry_number=2206368128, base_addr=0x87868584, limit=0x8b8a8988, seg_32bit=0, "
        "contents=2, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=0, lm=1}, 16)"
        " = 4294967258 ENOSYS (Function not implemented)"
    )
    assert trace("modify_ldt", memory, [1, 0x1000, 42], 0) == "modify_ldt(1, 0x1000, 42) = 0"
    # i386: the int is the register.
    assert trace("modify_ldt", memory, [1, 0x1000, 8], -38, ARCH_I386) == (
        "modify_ldt(1, 0x1000, 8) = -1 ENOSYS (Function not implemented)"
    )


def test_process_and_module_flag_words() -> None:
    """Flags and values strace names for process, module, namespace and
    swap calls; an unknown word keeps its comment, an int its low half."""
    assert render("unshare", [0xBADC0DED0000000F], EINVAL, None, None).startswith(
        "unshare(0xbadc0ded0000000f /* CLONE_??? */)"
    )
    assert render("unshare", [0x40000280], EINVAL, None, None).startswith(
        "unshare(CLONE_NEWTIME|CLONE_FS|CLONE_NEWNET)"
    )
    assert render("setns", [3, 0x81FDFF7F], EINVAL, None, None).startswith("setns(3, 0x81fdff7f /* CLONE_NEW??? */)")
    assert render("setns", [3, 0xFFFFFFFF00000080], EINVAL, None, None).startswith("setns(3, CLONE_NEWTIME)")
    assert render("pkey_alloc", [0, 0xDEC0DED], EINVAL, None, None).startswith(
        "pkey_alloc(0, PKEY_DISABLE_ACCESS|PKEY_DISABLE_EXECUTE|0xdec0de8)"
    )
    assert render("finit_module", [3, 0, 0xDEFACED0], EINVAL, {"uargs": None}, None).startswith(
        "finit_module(3, NULL, 0xdefaced0 /* MODULE_INIT_??? */)"
    )
    assert render("delete_module", [0, 0xA00], EINVAL, {"name_user": None}, None).startswith(
        "delete_module(NULL, O_NONBLOCK|O_TRUNC)"
    )
    assert render("memfd_secret", [0x80000], 4, None, None) == "memfd_secret(O_CLOEXEC) = 4"
    assert render("memfd_secret", [0xDE97FACE], EINVAL, None, None).startswith("memfd_secret(0xde97face)")
    assert render("fadvise64", [3, 0, 0, 0xDEADCA75], EINVAL, None, None).startswith(
        "fadvise64(3, 0, 0, 0xdeadca75 /* POSIX_FADV_??? */)"
    )
    assert render("fadvise64", [3, 0, 0, 4], 0, None, None) == "fadvise64(3, 0, 0, POSIX_FADV_DONTNEED) = 0"
    assert render("ustat", [0xFFFFFFFF, 0], EINVAL, None, None).startswith("ustat(makedev(0xfff, 0xfffff), NULL)")
    assert render("ioperm", [0x3F8, 1, 0], EINVAL, None, None).startswith("ioperm(0x3f8, 0x1, 0)")


def test_swapon_flags_above_a_priority() -> None:
    path = {"specialfile": "/swap"}
    assert render("swapon", [0, 42], EINVAL, path, None).startswith('swapon("/swap", 42)')
    assert render("swapon", [0, 0x8000], EINVAL, path, None).startswith('swapon("/swap", SWAP_FLAG_PREFER|0)')
    assert render("swapon", [0, 0xFFFFFFFF], EINVAL, path, None).startswith(
        'swapon("/swap", SWAP_FLAG_PREFER|SWAP_FLAG_DISCARD|SWAP_FLAG_DISCARD_ONCE|SWAP_FLAG_DISCARD_PAGES|0xfff80000'
        "|32767)"
    )
    assert render("swapon", [0, 0x8000], EINVAL, path, None, const_style="raw").startswith('swapon("/swap", 0x8000)')


def test_sethostname_too_long_is_an_address() -> None:
    name = {"name": b"host"}
    assert render("sethostname", [0x1000, 4], 0, name, None) == 'sethostname("host", 4) = 0'
    assert render("sethostname", [0, 0xFFFFFFFF00000040], EFAULT, {"name": None}, None).startswith(
        "sethostname(NULL, 64)"
    )
    assert render("sethostname", [0x1000, 65], EINVAL, {"name": None}, None).startswith("sethostname(0x1000, 65)")


def test_memfd_create_name_cut_at_the_kernel_limit() -> None:
    """The kernel takes at most 249 bytes and a NUL: an unterminated name
    that fills them is cut there even under a larger -s; a shorter one
    ending where memory ends is its address."""
    name = "".join(str(i % 10) for i in range(250)).encode()
    memory = TraceeMemory({0x10000: name})
    assert trace("memfd_create", memory, [0x10000, 0], EINVAL, limit=256) == (
        f'memfd_create("{name.decode()}"..., 0) = -1 EINVAL (Invalid argument)'
    )
    assert trace("memfd_create", memory, [0x10000, 0], EINVAL, limit=4) == (
        'memfd_create("0123"..., 0) = -1 EINVAL (Invalid argument)'
    )
    short = TraceeMemory({0x10000: b"abc"})
    assert trace("memfd_create", short, [0x10000, 0], EINVAL, limit=256) == (
        "memfd_create(0x10000, 0) = -1 EINVAL (Invalid argument)"
    )
    named = TraceeMemory({0x10000: b"xstyle\0"})
    assert trace("memfd_create", named, [0x10000, 1], 3) == 'memfd_create("xstyle", MFD_CLOEXEC) = 3'


def test_ioprio_which_who_and_priority() -> None:
    assert render("ioprio_get", [1, 1234], 0, None, None) == (
        "ioprio_get(IOPRIO_WHO_PROCESS, 1234) = 0 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0))"
    )
    assert render("ioprio_get", [0xFA57BEEF, 5], EINVAL, None, None).startswith(
        "ioprio_get(0xfa57beef /* IOPRIO_WHO_??? */, 5)"
    )
    assert render("ioprio_set", [2, 7, 0xFACEFEED], EINVAL, None, None).startswith(
        "ioprio_set(IOPRIO_WHO_PGRP, 7, IOPRIO_PRIO_VALUE(0x7d677 /* IOPRIO_CLASS_??? */, 7917))"
    )
    assert (
        render("ioprio_set", [2, 7, 2 << 13 | 4], 0, None, None, const_style="raw") == "ioprio_set(0x2, 7, 16388) = 0"
    )
    assert render("ioprio_set", [2, 7, 2 << 13 | 4], 0, None, None, const_style="verbose") == (
        "ioprio_set(0x2 /* IOPRIO_WHO_PGRP */, 7, 16388 /* IOPRIO_PRIO_VALUE(0x2 /* IOPRIO_CLASS_BE */, 4) */) = 0"
    )
    assert render("ioprio_get", [1, 1], 0x4004, None, None, const_style="raw") == "ioprio_get(0x1, 1) = 16388"


def test_kcmp_indexes_by_type() -> None:
    slot = TraceeMemory({0x5000: struct.pack("<3I", 23, 42, 0)})
    assert trace("kcmp", slot, [7, 8, 7, 23, 0x5000], -3) == (
        "kcmp(7, 8, KCMP_EPOLL_TFD, 23, {efd=23, tfd=42, toff=0}) = -1 ESRCH (No such process)"
    )
    # Other types read nothing.
    slot.reads.clear()
    assert trace("kcmp", slot, [7, 7, 0, 23, 42], 1) == "kcmp(7, 7, KCMP_FILE, 23, 42) = 1"
    assert trace("kcmp", slot, [-1, -1, 1, 23, 42], -3).startswith("kcmp(-1, -1, KCMP_VM)")
    assert slot.reads == []
    assert trace("kcmp", slot, [0, 0, 0xDA7ADEAD, 0xDEC0DED3DEC0DED4, 0], -3).startswith(
        "kcmp(0, 0, 0xda7adead /* KCMP_??? */, 0xdec0ded3dec0ded4, 0)"
    )
    assert trace("kcmp", TraceeMemory({}), [7, 8, 7, 23, 0x5000], -3).startswith(
        "kcmp(7, 8, KCMP_EPOLL_TFD, 23, 0x5000)"
    )


def test_add_key_keyring_and_payload() -> None:
    """A special keyring by name; a NULL payload is NULL, one whose memory
    ends before its length is its address."""
    payload = TraceeMemory({0x2000: b"\x0e\x0f\x10\x11\x12"})
    assert trace("add_key", payload, [0, 0, 0, 0, 0xFFFFFFFF], EFAULT) == (
        "add_key(NULL, NULL, NULL, 0, KEY_SPEC_THREAD_KEYRING) = -1 EFAULT (Bad address)"
    )
    assert trace("add_key", payload, [0, 0, 0x2000, 5, 1234567890], EFAULT) == (
        'add_key(NULL, NULL, "\\16\\17\\20\\21\\22", 5, 1234567890) = -1 EFAULT (Bad address)'
    )
    assert trace("add_key", payload, [0, 0, 0x2000, 10, -8], EFAULT) == (
        "add_key(NULL, NULL, 0x2000, 10, KEY_SPEC_REQUESTOR_KEYRING) = -1 EFAULT (Bad address)"
    )
    assert trace("request_key", payload, [0, 0, 0, 0xFFFFFFF9], EFAULT).startswith(
        "request_key(NULL, NULL, NULL, KEY_SPEC_REQKEY_AUTH_KEY)"
    )


def _clone_args_with(**fields: int) -> bytes:
    names = ("flags", "pidfd", "child_tid", "parent_tid", "exit_signal", "stack", "stack_size", "tls", "set_tid",
             "set_tid_size", "cgroup")  # fmt: skip
    return struct.pack("<11Q", *(fields.get(name, 0) for name in names))


def test_clone3_set_tid_cgroup_flags_and_bytes_past_the_struct() -> None:
    tids = struct.pack("<3i", 5, 6, 7)
    memory = TraceeMemory({0x1000: _clone_args_with(set_tid=0x5000, set_tid_size=3, cgroup=9), 0x5000: tids})
    assert trace("clone3", memory, [0x1000, 88], EINVAL) == (
        "clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, set_tid=[5, 6, 7], set_tid_size=3, cgroup=9}, 88)"
        " = -1 EINVAL (Invalid argument)"
    )
    # The size leaves cgroup out; set_tid's count is more than the kernel takes.
    bad = TraceeMemory({0x1000: _clone_args_with(set_tid=0x5000, set_tid_size=33, cgroup=9)})
    assert trace("clone3", bad, [0x1000, 80], EINVAL).startswith(
        "clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, set_tid=0x5000, set_tid_size=33}, 80)"
    )
    # All 64 bits are flags; CLONE_DETACHED is not named.
    flags = TraceeMemory({0x1000: _clone_args_with(flags=0x200000080 | 0x400000)})
    assert trace("clone3", flags, [0x1000, 64], EINVAL).startswith(
        "clone3({flags=CLONE_NEWTIME|CLONE_INTO_CGROUP|0x400000, exit_signal=0"
    )
    # Past the struct: nonzero bytes shown (again after a success), unreadable ones as ???.
    past = TraceeMemory({0x1000: _clone_args_with() + b"\0\xde\xad\0"})
    assert trace("clone3", past, [0x1000, 92], 42) == (
        'clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, /* bytes 89..90 */ "\\xde\\xad"}'
        ' => {/* bytes 89..90 */ "\\xde\\xad"}, 92) = 42'
    )
    assert trace("clone3", TraceeMemory({0x1000: _clone_args_with()}), [0x1000, 96], EFAULT) == (
        "clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, ???}, 96) = -1 EFAULT (Bad address)"
    )
    # A NULL parent_tid the kernel could not write: the pointer after the struct.
    parent = TraceeMemory({0x1000: _clone_args_with(flags=0x100000)})
    assert trace("clone3", parent, [0x1000, 88], 77).endswith("stack_size=0} => {parent_tid=NULL}, 88) = 77")


def test_process_vm_remote_iovecs_and_flags() -> None:
    """The remote iovecs as addresses and lengths (their buffers are in the
    other process); flags in decimal."""
    remote = struct.pack("<4Q", 0x7000, 4, 0x8000, 5)
    memory = TraceeMemory({0x1000: struct.pack("<2Q", 0x3000, 2), 0x3000: b"ab", 0x2000: remote})
    assert trace("process_vm_writev", memory, [7, 0x1000, 1, 0x2000, 2, 0], 2) == (
        'process_vm_writev(7, [{iov_base="ab", iov_len=2}], 1, [{iov_base=0x7000, iov_len=4}, '
        "{iov_base=0x8000, iov_len=5}], 2, 0) = 2"
    )
    assert trace("process_vm_writev", memory, [7, 0, 3, 0x2000, 3, 0xDEADC0DEDA7ADEAD], EINVAL) == (
        "process_vm_writev(7, NULL, 3, [{iov_base=0x7000, iov_len=4}, {iov_base=0x8000, iov_len=5}, "
        "... /* 0x2020 */], 3, 16045693110771703469) = -1 EINVAL (Invalid argument)"
    )
    assert trace("process_vm_readv", memory, [7, 0, 0, 0x2000, 0, 0], 0) == "process_vm_readv(7, NULL, 0, [], 0, 0) = 0"


def test_sysctl_args_struct() -> None:
    wide = struct.pack("<Qi4xQQQQ32x", 0x1000, 2, 0x2000, 0x3000, 0, 7)
    memory = TraceeMemory({0x5000: wide, 0x6000: wide[:79]})
    assert trace("_sysctl", memory, [0x5000], -38) == (
        "_sysctl({name=0x1000, nlen=2, oldval=0x2000, oldlenp=0x3000, newval=NULL, newlen=7})"
        " = -1 ENOSYS (Function not implemented)"
    )
    # Not readable whole: the address.
    assert trace("_sysctl", memory, [0x6000], -38).startswith("_sysctl(0x6000) = -1")
    narrow = TraceeMemory({0x5000: struct.pack("<IiIIII16x", 0, 0, 0, 0, 0x10, 3)})
    assert trace("_sysctl", narrow, [0x5000], -38, ARCH_I386).startswith(
        "_sysctl({name=NULL, nlen=0, oldval=NULL, oldlenp=NULL, newval=0x10, newlen=3}) = -1"
    )


def _sched_attr(size: int, policy: int, flags: int, util: bool = True) -> bytes:
    head = struct.pack("<IIQiIQQQ", size, policy, flags, -5, 7, 1400000, 2, 3)
    return head + (struct.pack("<II", 10, 20) if util else b"")


def test_sched_setattr_fields_by_size_and_flags() -> None:
    memory = TraceeMemory({0x1000: _sched_attr(56, 0, 1), 0x2000: _sched_attr(0, 1, 0, util=False),
                           0x3000: _sched_attr(0x90000000, 0xCA7FACED, 0x88), 0x4000: _sched_attr(56, 5, 0x10),
                           0x5000: struct.pack("<I", 1)})  # fmt: skip
    assert trace("sched_setattr", memory, [0, 0x1000, 0], 0) == (
        "sched_setattr(0, {size=56, sched_policy=SCHED_OTHER, sched_flags=SCHED_FLAG_RESET_ON_FORK, sched_nice=-5, "
        "sched_priority=7, sched_runtime=1400000, sched_deadline=2, sched_period=3, sched_util_min=10, "
        "sched_util_max=20}, 0) = 0"
    )
    # Size 0 is the first version's 48 bytes (all that is readable here).
    assert trace("sched_setattr", memory, [0, 0x2000, 0], 0).startswith(
        "sched_setattr(0, {size=0, sched_policy=SCHED_FIFO, sched_flags=0, sched_nice=-5, sched_priority=7, "
        "sched_runtime=1400000, sched_deadline=2, sched_period=3}, 0) = 0"
    )
    # Past what strace knows: `...`; SCHED_FLAG_KEEP_POLICY leaves the policy out.
    assert trace("sched_setattr", memory, [-1 & 0xFFFFFFFF, 0x3000, 0xDEADC0DE], -22).startswith(
        "sched_setattr(-1, {size=2415919104, sched_flags=SCHED_FLAG_KEEP_POLICY|0x80, sched_nice=-5, "
    )
    assert ", sched_util_max=20, ...}, 3735929054) = -1 EINVAL" in trace(
        "sched_setattr", memory, [0, 0x3000, 0xDEADC0DE], -22
    )
    # SCHED_FLAG_KEEP_PARAMS leaves the policy and the parameters out.
    assert trace("sched_setattr", memory, [0, 0x4000, 0], 0) == (
        "sched_setattr(0, {size=56, sched_flags=SCHED_FLAG_KEEP_PARAMS, sched_util_min=10, sched_util_max=20}, 0) = 0"
    )
    # Under the first version's size: the size alone, and the size the kernel
    # wrote back after E2BIG (this memory keeps 1: the plan reads it again).
    assert trace("sched_setattr", memory, [0, 0x5000, 0], -7) == (
        "sched_setattr(0, {size=1} => {size=1}, 0) = -1 E2BIG (Argument list too long)"
    )


def test_sched_getattr_reads_what_the_size_asks() -> None:
    memory = TraceeMemory({0x1000: _sched_attr(48, 0, 0)})
    assert trace("sched_getattr", memory, [0, 0x1000, 48, 0], 0) == (
        "sched_getattr(0, {size=48, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=-5, sched_priority=7, "
        "sched_runtime=1400000, sched_deadline=2, sched_period=3}, 48, 0) = 0"
    )
    # The size argument is an unsigned int; a failed call shows the address.
    assert trace("sched_getattr", memory, [0, 0x1000, 0xBADC0DE00000038, 0], 0).endswith(", 56, 0) = 0")
    assert trace("sched_getattr", memory, [0, 0x1000, 56, 0xDEADC0DE], -22) == (
        "sched_getattr(0, 0x1000, 56, 3735929054) = -1 EINVAL (Invalid argument)"
    )


def test_perf_event_open_flags_are_a_long() -> None:
    assert render("perf_event_open", [0, 0, 0xFFFFFFFF, 0xFFFFFFFF, 0x9], -14, None, None).startswith(
        "perf_event_open(NULL, 0, -1, -1, PERF_FLAG_FD_NO_GROUP|PERF_FLAG_FD_CLOEXEC) = -1 EFAULT"
    )
    assert render("perf_event_open", [0, 0, 0, 0, (1 << 64) - 1], -22, None, None).startswith(
        "perf_event_open(NULL, 0, 0, 0, PERF_FLAG_FD_NO_GROUP|PERF_FLAG_FD_OUTPUT|PERF_FLAG_PID_CGROUP|"
        "PERF_FLAG_FD_CLOEXEC|0xfffffffffffffff0) = -1 EINVAL"
    )
    assert render("perf_event_open", [0, 0, 0, 0, 0x30], -22, None, None).startswith(
        "perf_event_open(NULL, 0, 0, 0, 0x30 /* PERF_FLAG_??? */) = -1 EINVAL"
    )
