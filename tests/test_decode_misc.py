"""Decoding of struct statfs and sysinfo, prctl's strings and ints, futex
timeouts and FUTEX_WAKE_OP, select's time left, clone's parent_tid, the mask
a sigreturn restores, and i386's user_desc, _llseek result and 32-bit
rlimit: what the tracer copies (Decoder plans over a fake memory) and the
text the renderer makes of it (strace 6.1's, checked against the real one by
tests/test_diff_strace.py with tests/programs/decode_misc.c)."""

from __future__ import annotations

import struct
from typing import Any, cast

import pytest
from decoding_support import FakeMemory, plan, render, run, trace

from atrace.events import records as R
from atrace.render import structs
from atrace.render.text import TextOptions, TextRenderer
from atrace.syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64, by_name
from atrace.tracer import decoding

EBADF, EFAULT = -9, -14


# -- statfs -------------------------------------------------------------------

PROC_STATFS = struct.pack("<QqQQQQQIIqqq", 0x9FA0, 4096, 0, 0, 0, 0, 0, 0x15, 0, 255, 4096, 0x1020) + b"\xee" * 32
PROC_TEXT = ("{f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, "
             "f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}")  # fmt: skip


def test_fstatfs_copies_up_to_f_flags_and_names_the_magic() -> None:
    memory = FakeMemory({0x1000: PROC_STATFS})
    assert trace("fstatfs", memory, [3, 0x1000], 0) == f"fstatfs(3, {PROC_TEXT}) = 0"
    assert memory.reads == [(0x1000, 88)]  # the spare words are left


def test_statfs64_on_i386_has_64_bit_counts() -> None:
    raw = struct.pack("<IiQQQQQIIiii", 0xEF53, 4096, 66053021, 60169616, 20714323, 16777216, 16341133,
                      0x94942BA, 0x2C28EFDD, 255, 4096, 0x21)  # fmt: skip
    memory = FakeMemory({0x1000: raw + b"\0" * 16, 0x2000: b"/tmp\0"})
    assert trace("statfs64", memory, [0x2000, 84, 0x1000], 0, ARCH_I386) == (
        'statfs64("/tmp", 84, {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=66053021, f_bfree=60169616, '
        "f_bavail=20714323, f_files=16777216, f_ffree=16341133, f_fsid={val=[0x94942ba, 0x2c28efdd]}, "
        "f_namelen=255, f_frsize=4096, f_flags=ST_RDONLY|ST_VALID}) = 0"
    )
    assert (0x1000, 68) in memory.reads


def test_i386_statfs_is_all_32_bit_and_unknown_magic_is_hex() -> None:
    raw = struct.pack("<IiIIIIIIIiii", 0x12345678, 1024, 10, 5, 4, 100, 50, 1, 2, 255, 1024, 0x20)
    fields = structs.parse("statfs_out", raw, ARCH_I386, "statfs")
    assert fields is not None and fields["f_blocks"] == 10 and fields["f_fsid"] == [1, 2]
    memory = FakeMemory({0x1000: raw + b"\0" * 16})
    assert "f_type=0x12345678, f_bsize=1024," in trace("fstatfs", memory, [3, 0x1000], 0, ARCH_I386)


def test_failed_fstatfs_shows_the_address() -> None:
    memory = FakeMemory({0x1000: PROC_STATFS})
    assert trace("fstatfs", memory, [99, 0x1000], EBADF) == ("fstatfs(99, 0x1000) = -1 EBADF (Bad file descriptor)")
    assert memory.reads == []


# -- sysinfo ------------------------------------------------------------------


def test_sysinfo_x86_64_and_i386() -> None:
    wide = struct.pack("<q3Q6QH6x2QI", 7839, 31296, 32768, 41856, 25276502016, 24943837184, 9084928, 1466368,
                       0, 0, 84, 0, 0, 1) + b"\0" * 4  # fmt: skip
    memory = FakeMemory({0x1000: wide})
    assert trace("sysinfo", memory, [0x1000], 0) == (
        "sysinfo({uptime=7839, loads=[31296, 32768, 41856], totalram=25276502016, freeram=24943837184, "
        "sharedram=9084928, bufferram=1466368, totalswap=0, freeswap=0, procs=84, totalhigh=0, freehigh=0, "
        "mem_unit=1}) = 0"
    )
    narrow = struct.pack("<i3I6IH2x2II", 7839, 1, 2, 3, 6171021, 6089804, 2218, 358, 0, 0, 85, 0, 0, 4096)
    memory = FakeMemory({0x1000: narrow + b"\0" * 8})
    assert trace("sysinfo", memory, [0x1000], 0, ARCH_I386) == (
        "sysinfo({uptime=7839, loads=[1, 2, 3], totalram=6171021, freeram=6089804, sharedram=2218, "
        "bufferram=358, totalswap=0, freeswap=0, procs=85, totalhigh=0, freehigh=0, mem_unit=4096}) = 0"
    )
    assert memory.reads == [(0x1000, 56)]


# -- prctl --------------------------------------------------------------------

PR_GET_PDEATHSIG, PR_SET_NAME, PR_GET_NAME, PR_CAPBSET_READ, PR_GET_CHILD_SUBREAPER = 2, 15, 16, 23, 37


def test_prctl_names_in_and_out() -> None:
    memory = FakeMemory({0x1000: b"a-very-long-task-name\0", 0x2000: b"decode-misc\0\0\0\0\0"})
    assert trace("prctl", memory, [PR_SET_NAME, 0x1000], 0) == 'prctl(PR_SET_NAME, "a-very-long-tas"...) = 0'
    assert trace("prctl", memory, [PR_GET_NAME, 0x2000], 0) == 'prctl(PR_GET_NAME, "decode-misc") = 0'
    assert trace("prctl", memory, [PR_GET_NAME, 0x9000], EFAULT) == (
        "prctl(PR_GET_NAME, 0x9000) = -1 EFAULT (Bad address)"
    )


def test_prctl_get_name_is_read_at_exit_only() -> None:
    memory = FakeMemory({0x2000: b"decode-misc\0\0\0\0\0"})
    entry, exit_ = run(plan("prctl", memory, ARCH_X86_64), [PR_GET_NAME, 0x2000], 0, ARCH_X86_64)
    assert entry == {"arg2": None}
    assert exit_ == {"arg2": b"decode-misc\0\0\0\0\0"}
    assert memory.reads == [(0x2000, 16)]


def test_prctl_ints_written_back_and_capabilities() -> None:
    memory = FakeMemory({0x1000: struct.pack("<i", 15), 0x2000: struct.pack("<i", 1)})
    assert trace("prctl", memory, [PR_GET_PDEATHSIG, 0x1000], 0) == "prctl(PR_GET_PDEATHSIG, [SIGTERM]) = 0"
    assert trace("prctl", memory, [PR_GET_CHILD_SUBREAPER, 0x2000], 0, ARCH_I386) == (
        "prctl(PR_GET_CHILD_SUBREAPER, [1]) = 0"
    )
    assert trace("prctl", memory, [PR_CAPBSET_READ, 21], 1) == "prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) = 1"


# -- futex --------------------------------------------------------------------

FUTEX_WAIT, FUTEX_REQUEUE, FUTEX_WAKE_OP, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET = 0, 3, 5, 9, 10
FUTEX_PRIVATE, FUTEX_CLOCK_REALTIME = 128, 256


def test_futex_timeouts_by_abi() -> None:
    memory = FakeMemory({0x2000: struct.pack("<qq", 0, 1000000), 0x3000: struct.pack("<ii", 1, 0)})
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
    memory = FakeMemory({})
    assert trace("futex", memory, [0x1000, FUTEX_REQUEUE, 1, 2, 0x1004], 0) == (
        "futex(0x1000, FUTEX_REQUEUE, 1, 2, 0x1004) = 0"
    )
    assert trace("futex", memory, [0x1000, FUTEX_WAKE_BITSET, 1, 0, 0, 3], 0) == (
        "futex(0x1000, FUTEX_WAKE_BITSET, 1, 0x3) = 0"
    )
    assert memory.reads == []


def test_futex_wake_op_decodes_val3() -> None:
    memory = FakeMemory({})
    set_gt = 0 << 28 | 4 << 24 | 0 << 12 | 1
    assert trace("futex", memory, [0x1000, FUTEX_WAKE_OP, 1, 1, 0x1004, set_gt], 0) == (
        "futex(0x1000, FUTEX_WAKE_OP, 1, 1, 0x1004, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 0"
    )
    add_shift_eq = (8 | 1) << 28 | 0 << 24 | 3 << 12
    assert trace("futex", memory, [0x1000, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, 0, 0x1004, add_shift_eq], 0) == (
        "futex(0x1000, FUTEX_WAKE_OP_PRIVATE, 1, 0, 0x1004, "
        "FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_ADD<<28|0x3<<12|FUTEX_OP_CMP_EQ<<24|0) = 0"
    )


# -- select / pselect6 --------------------------------------------------------


class InPlace(FakeMemory):
    """Memory the kernel changes during the call: `after` replaces the
    regions once the entry has been read."""

    def __init__(self, before: dict[int, bytes], after: dict[int, bytes]) -> None:
        super().__init__(before)
        self.after = after


def trace_in_place(name: str, memory: InPlace, args: list[int], ret: int, arch: int = ARCH_X86_64) -> str:
    p = plan(name, memory, arch)
    regs = list(args) + [0] * (6 - len(args))
    entry = {key: read(1, arch, regs, i) for key, i, read in p.entry}
    memory.regions = memory.after
    exit_ = {key: read(1, regs, i, ret) for key, i, read in p.exit}
    return render(name, args, ret, entry, exit_, arch)


def test_select_shows_the_timeout_in_and_the_time_left() -> None:
    fds = (1 << 4).to_bytes(8, "little")
    memory = InPlace({0x1000: fds, 0x2000: struct.pack("<qq", 5, 0)},
                     {0x1000: fds, 0x2000: struct.pack("<qq", 4, 999999)})  # fmt: skip
    assert trace_in_place("select", memory, [5, 0, 0x1000, 0, 0x2000], 1) == (
        "select(5, NULL, [4], NULL, {tv_sec=5, tv_usec=0}) = 1 (out [4], left {tv_sec=4, tv_usec=999999})"
    )
    memory = InPlace({0x1000: fds[:4], 0x2000: struct.pack("<ii", 0, 1000)},
                     {0x1000: b"\0" * 4, 0x2000: struct.pack("<ii", 0, 0)})  # fmt: skip
    assert trace_in_place("_newselect", memory, [5, 0x1000, 0, 0, 0x2000], 0, ARCH_I386) == (
        "_newselect(5, [4], NULL, NULL, {tv_sec=0, tv_usec=1000}) = 0 (Timeout)"
    )


def test_pselect6_time_left_and_sigmask_pair() -> None:
    fds = (1 << 4).to_bytes(8, "little")
    sig = struct.pack("<QQ", 0x4000, 8)
    before = {0x1000: fds, 0x2000: struct.pack("<qq", 5, 0), 0x3000: sig, 0x4000: (1 << 0).to_bytes(8, "little")}
    after = {**before, 0x2000: struct.pack("<qq", 4, 999999198)}
    assert trace_in_place("pselect6", InPlace(before, after), [5, 0, 0x1000, 0, 0x2000, 0x3000], 1) == (
        "pselect6(5, NULL, [4], NULL, {tv_sec=5, tv_nsec=0}, {sigmask=[HUP], sigsetsize=8})"
        " = 1 (out [4], left {tv_sec=4, tv_nsec=999999198})"
    )
    no_mask = {0x1000: fds, 0x3000: struct.pack("<II", 0, 8)}
    assert trace_in_place("pselect6", InPlace(no_mask, no_mask), [5, 0, 0x1000, 0, 0, 0x3000], 1, ARCH_I386) == (
        "pselect6(5, NULL, [4], NULL, NULL, {sigmask=NULL, sigsetsize=8}) = 1 (out [4])"
    )


# -- clone / clone3 -----------------------------------------------------------

CLONE_PARENT_SETTID, SIGCHLD = 0x100000, 17


def test_clone_shows_the_parent_tid_written_back() -> None:
    memory = FakeMemory({0x2000: struct.pack("<i", 27058)})
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
    memory = FakeMemory({0x1000: args, 0x2000: struct.pack("<i", 27059)})
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


# -- sigreturn ----------------------------------------------------------------

SP = 0x7000


@pytest.mark.parametrize(
    ("name", "arch", "regions"),
    [
        ("rt_sigreturn", ARCH_X86_64, {SP + 296: struct.pack("<Q", 1 << 0 | 1 << 14)}),
        ("rt_sigreturn", ARCH_I386, {SP + 248: struct.pack("<Q", 1 << 0 | 1 << 14)}),
        ("sigreturn", ARCH_I386, {SP + 80: struct.pack("<I", 1 << 0 | 1 << 14), SP + 712: struct.pack("<I", 0)}),
    ],
)
def test_sigreturn_reads_the_mask_from_the_frame(
    monkeypatch: pytest.MonkeyPatch, name: str, arch: int, regions: dict[int, bytes]
) -> None:
    monkeypatch.setattr(decoding, "stack_pointer", lambda pid: SP)
    memory = FakeMemory(regions)
    assert trace(name, memory, [], 0, arch) == f"{name}({{mask=[HUP TERM]}}) = 0"


def test_sigreturn_mask_high_word_holds_signals_33_to_64(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoding, "stack_pointer", lambda pid: SP)
    # Bit 1 of extramask[0] is signal 34, bit 0 of oldmask SIGHUP.
    memory = FakeMemory({SP + 80: struct.pack("<I", 1), SP + 712: struct.pack("<I", 1 << 1)})
    assert trace("sigreturn", memory, [], 0, ARCH_I386) == "sigreturn({mask=[HUP RT_2]}) = 0"


def test_sigreturn_without_a_readable_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoding, "stack_pointer", lambda pid: None)
    assert trace("rt_sigreturn", FakeMemory({}), [], 0) == "rt_sigreturn() = 0"
    # x32 has plans of its own, and its frame a layout of its own: nothing is read.
    monkeypatch.setattr(decoding, "stack_pointer", lambda pid: SP)
    memory = FakeMemory({SP + 296: struct.pack("<Q", 1)})
    entry, _ = run(plan("rt_sigreturn", memory, ARCH_X32), [], 0, ARCH_X32)
    assert entry == {} and memory.reads == []


# -- i386: set_thread_area, _llseek, rlimit -----------------------------------


def test_set_thread_area_in_and_entry_number_out() -> None:
    before = struct.pack("<iIII", -1, 0xF7F4E540, 0xFFFFF, 0b1010001)
    after = struct.pack("<iIII", 12, 0xF7F4E540, 0xFFFFF, 0b1010001)
    memory = InPlace({0x1000: before}, {0x1000: after})
    assert trace_in_place("set_thread_area", memory, [0x1000], 0, ARCH_I386) == (
        "set_thread_area({entry_number=-1, base_addr=0xf7f4e540, limit=0x0fffff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0 (entry_number=12)"
    )
    filled = FakeMemory({0x1000: struct.pack("<iIII", 13, 0x1000, 0xFF, 0b1000001)})
    assert trace("get_thread_area", filled, [0x1000], 0, ARCH_I386) == (
        "get_thread_area({entry_number=13, base_addr=0x001000, limit=0x0000ff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=0, seg_not_present=0, useable=1}) = 0"
    )


def test_llseek_result_written_back() -> None:
    memory = FakeMemory({0x2000: struct.pack("<q", 1 << 32 | 5)})
    assert trace("_llseek", memory, [3, 1, 5, 0x2000, 0], 0, ARCH_I386) == (
        "_llseek(3, 4294967301, [4294967301], SEEK_SET) = 0"
    )
    assert trace("_llseek", memory, [3, 1, 0, 0x2000, 0], -22, ARCH_I386) == (
        "_llseek(3, 4294967296, 0x2000, SEEK_SET) = -1 EINVAL (Invalid argument)"
    )


def test_rlimit_of_longs_per_abi() -> None:
    memory = FakeMemory({0x1000: struct.pack("<II", 8192 * 1024, 0xFFFFFFFF)})
    assert trace("ugetrlimit", memory, [3, 0x1000], 0, ARCH_I386) == (
        "ugetrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY}) = 0"
    )
    assert trace("setrlimit", memory, [3, 0x1000], 0, ARCH_I386) == (
        "setrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY}) = 0"
    )
    assert (0x1000, 8) in memory.reads
    old = FakeMemory({0x1000: struct.pack("<II", 0x7FFFFFFF, 0x7FFFFFFF)})
    assert trace("getrlimit", old, [9, 0x1000], 0, ARCH_I386) == (
        "getrlimit(RLIMIT_AS, {rlim_cur=2147483647, rlim_max=2147483647}) = 0"
    )
    wide = FakeMemory({0x1000: struct.pack("<QQ", 8192 * 1024, (1 << 64) - 1)})
    assert trace("getrlimit", wide, [3, 0x1000], 0) == (
        "getrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0"
    )


def test_user_desc_in_the_64_bit_abi_and_failed_get_thread_area() -> None:
    memory = FakeMemory({0x1000: struct.pack("<iIII", -1, 0x1000, 0xFF, 0b1000001)})
    assert trace("set_thread_area", memory, [0x1000], -38) == (
        "set_thread_area({entry_number=-1, base_addr=0x001000, limit=0x0000ff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=0, seg_not_present=0, useable=1, lm=0})"
        " = -1 ENOSYS (Function not implemented)"
    )
    assert trace("get_thread_area", memory, [0x1000], -38) == (
        "get_thread_area({entry_number=-1, ...}) = -1 ENOSYS (Function not implemented)"
    )
