"""Decoding of CPU masks, alternate signal stacks, group lists, epoll_ctl's
EPOLL_CTL_DEL, ioctl requests that share numbers, clone3's optional fields
and getrandom's bytes: what the tracer copies (Decoder plans over a fake
memory) and the text the renderer makes of it (strace 6.1's, checked against
the real one by tests/test_diff_strace.py with tests/programs/decode_more.c)."""

from __future__ import annotations

import struct
import time

import pytest
from decoding_support import FakeMemory, plan, render, run, trace

from atrace.syscalls import ARCH_I386

EFAULT, EINVAL = -14, -22


# -- sched_getaffinity / sched_setaffinity -----------------------------------


def test_getaffinity_reads_the_returned_size_at_exit() -> None:
    mask = (0b1011 | 1 << 70).to_bytes(16, "little")
    memory = FakeMemory({0x1000: mask + b"\xff" * 112})
    assert trace("sched_getaffinity", memory, [0, 128, 0x1000], 16) == "sched_getaffinity(0, 128, [0 1 3 70]) = 16"
    # Only what the kernel wrote (the return value) is copied.
    assert memory.reads == [(0x1000, 16)]
    assert trace("sched_getaffinity", memory, [0, 3, 0x1000], EINVAL) == (
        "sched_getaffinity(0, 3, 0x1000) = -1 EINVAL (Invalid argument)"
    )


def test_setaffinity_reads_its_length_at_entry() -> None:
    memory = FakeMemory({0x2000: (1 << 100).to_bytes(16, "little")})
    assert trace("sched_setaffinity", memory, [0, 16, 0x2000], 0) == "sched_setaffinity(0, 16, [100]) = 0"
    assert trace("sched_setaffinity", memory, [0, 8, 0x2000], 0) == "sched_setaffinity(0, 8, []) = 0"
    assert trace("sched_setaffinity", memory, [0, 8, 0], EFAULT) == (
        "sched_setaffinity(0, 8, NULL) = -1 EFAULT (Bad address)"
    )
    i386 = trace("sched_setaffinity", FakeMemory({0x3000: b"\x03\0\0\0"}), [0, 4, 0x3000], 0, ARCH_I386)
    assert i386 == "sched_setaffinity(0, 4, [0 1]) = 0"


# -- sigaltstack ---------------------------------------------------------------


def test_sigaltstack_x86_64_new_at_entry_old_at_exit() -> None:
    new = struct.pack("<Qi4xQ", 0x55701080E2A0, 0, 65536)
    old = struct.pack("<Qi4xQ", 0, 2, 0)
    memory = FakeMemory({0x1000: new, 0x2000: old})
    assert trace("sigaltstack", memory, [0x1000, 0x2000], 0) == (
        "sigaltstack({ss_sp=0x55701080e2a0, ss_flags=0, ss_size=65536}, "
        "{ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0"
    )
    assert trace("sigaltstack", memory, [0, 0x2000], 0) == (
        "sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0"
    )


def test_sigaltstack_unknown_flags_failure_and_bad_pointer() -> None:
    odd = struct.pack("<Qi4xQ", 0x1000, 12345, 65536)
    memory = FakeMemory({0x1000: odd, 0x2000: bytes(24)})
    assert trace("sigaltstack", memory, [0x1000, 0x2000], EINVAL) == (
        "sigaltstack({ss_sp=0x1000, ss_flags=SS_ONSTACK|0x3038, ss_size=65536}, 0x2000) = -1 EINVAL (Invalid argument)"
    )
    assert trace("sigaltstack", memory, [0x8, 0], EFAULT) == "sigaltstack(0x8, NULL) = -1 EFAULT (Bad address)"


def test_sigaltstack_i386_layout() -> None:
    memory = FakeMemory({0x1000: struct.pack("<III", 0x572B41A0, 1 << 31, 8192), 0x2000: struct.pack("<III", 0, 2, 0)})
    text = trace("sigaltstack", memory, [0x1000, 0x2000], 0, ARCH_I386)
    assert text == (
        "sigaltstack({ss_sp=0x572b41a0, ss_flags=SS_AUTODISARM, ss_size=8192}, "
        "{ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0"
    )
    assert memory.reads == [(0x1000, 12), (0x2000, 12)]


# -- getgroups / setgroups -----------------------------------------------------


def test_getgroups_counts_the_return_value() -> None:
    gids = struct.pack("<5I", 0, 5, 100, 0xFFFFFFFF, 7)
    memory = FakeMemory({0x1000: gids})
    assert trace("getgroups", memory, [64, 0x1000], 4) == "getgroups(64, [0, 5, 100, -1]) = 4"
    assert trace("getgroups", memory, [0, 0], 4) == "getgroups(0, NULL) = 4"
    assert trace("getgroups", memory, [64, 0x1000], 0) == "getgroups(64, []) = 0"
    assert trace("getgroups", memory, [3, 0x1000], EINVAL) == "getgroups(3, 0x1000) = -1 EINVAL (Invalid argument)"


def test_group_lists_are_cut_at_s() -> None:
    memory = FakeMemory({0x1000: struct.pack("<40I", *range(100, 140))})
    assert trace("getgroups", memory, [64, 0x1000], 40, limit=4) == "getgroups(64, [100, 101, 102, 103, ...]) = 40"
    # Only the gids shown are copied.
    assert memory.reads == [(0x1000, 16)]
    assert trace("setgroups", memory, [40, 0x1000], 0, limit=3) == "setgroups(40, [100, 101, 102, ...]) = 0"
    assert trace("setgroups", memory, [2, 0x1000], 0) == "setgroups(2, [100, 101]) = 0"
    assert trace("setgroups", memory, [2**32 - 1, 0x1000], EINVAL) == (
        "setgroups(-1, 0x1000) = -1 EINVAL (Invalid argument)"
    )


def test_i386_old_group_calls_use_16_bit_gids() -> None:
    memory = FakeMemory({0x1000: struct.pack("<4H", 0, 5, 0xFFFF, 9)})
    assert trace("setgroups", memory, [3, 0x1000], 0, ARCH_I386) == "setgroups(3, [0, 5, -1]) = 0"
    assert trace("getgroups", memory, [8, 0x1000], 2, ARCH_I386) == "getgroups(8, [0, 5]) = 2"
    wide = FakeMemory({0x1000: struct.pack("<2I", 0x10000, 5)})
    assert trace("getgroups32", wide, [8, 0x1000], 2, ARCH_I386) == "getgroups32(8, [65536, 5]) = 2"
    assert trace("setgroups32", wide, [2, 0x1000], 0, ARCH_I386) == "setgroups32(2, [65536, 5]) = 0"


# -- epoll_ctl ---------------------------------------------------------------


def test_epoll_ctl_del_shows_the_address_and_reads_nothing() -> None:
    event = struct.pack("<IQ", 1, 7)
    memory = FakeMemory({0x1000: event})
    assert trace("epoll_ctl", memory, [3, 1, 0, 0x1000], 0) == (
        "epoll_ctl(3, EPOLL_CTL_ADD, 0, {events=EPOLLIN, data={u32=7, u64=7}}) = 0"
    )
    memory.reads.clear()
    assert trace("epoll_ctl", memory, [3, 2, 0, 0x1000], 0) == "epoll_ctl(3, EPOLL_CTL_DEL, 0, 0x1000) = 0"
    assert memory.reads == []
    # A trace that recorded the struct anyway still shows the address.
    assert render("epoll_ctl", [3, 2, 4, 0x1000], 0, {"event": event}, None) == (
        "epoll_ctl(3, EPOLL_CTL_DEL, 4, 0x1000) = 0"
    )


# -- ioctl -------------------------------------------------------------------


def test_ioctl_requests_sharing_a_number_show_both_names() -> None:
    assert render("ioctl", [4, 0x40049409, 3], -95, None, None) == (
        "ioctl(4, BTRFS_IOC_CLONE or FICLONE, 3) = -1 EOPNOTSUPP (Operation not supported)"
    )
    assert render("ioctl", [4, 0x4020940D, 0], -9, None, None).startswith(
        "ioctl(4, BTRFS_IOC_CLONE_RANGE or FICLONERANGE, NULL) ="
    )
    assert render("ioctl", [4, 0xC0189436, 0], -9, None, None).startswith(
        "ioctl(4, BTRFS_IOC_FILE_EXTENT_SAME or FIDEDUPERANGE, NULL) ="
    )


def test_ioctl_arguments_strace_does_not_decode_are_hex_words() -> None:
    assert render("ioctl", [3, 0x5437, 0], 0, None, None) == "ioctl(3, TIOCVHANGUP) = 0"
    assert render("ioctl", [3, 0x80086301, 0], -9, None, None).startswith("ioctl(3, KCOV_INIT_TRACE, 0) =")
    assert render("ioctl", [3, 0x5460, 0x10], 0, None, None) == "ioctl(3, FIOQSIZE, 0x10) = 0"
    assert render("ioctl", [3, 0x80041234, 0], -9, None, None).startswith(
        "ioctl(3, _IOC(_IOC_READ, 0x12, 0x34, 0x4), 0) ="
    )
    # A request strace decodes keeps its argument an address.
    assert render("ioctl", [3, 0x40086602, 0], -9, None, None).startswith("ioctl(3, FS_IOC_SETFLAGS, NULL) =")


# -- clone3, getrandom ---------------------------------------------------------


def _clone_args(flags: int, pidfd: int = 0x7000, child_tid: int = 0x7008, parent_tid: int = 0x7010) -> bytes:
    return struct.pack("<11Q", flags, pidfd, child_tid, parent_tid, 17, 0, 0, 0, 0, 0, 0)


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


# -- offsets, utimensat, fcntl locks ------------------------------------------


def test_sendfile_offset_before_and_after() -> None:
    memory = FakeMemory({0x1000: struct.pack("<q", 0)})
    p = plan("sendfile", memory)
    entry, _ = run(p, [4, 3, 0x1000, 100], 100)
    memory.regions[0x1000] = struct.pack("<q", 100)  # the kernel moved it
    _, exit_ = run(p, [4, 3, 0x1000, 100], 100)
    assert render("sendfile", [4, 3, 0x1000, 100], 100, entry, exit_) == "sendfile(4, 3, [0] => [100], 100) = 100"
    negative = FakeMemory({0x1000: struct.pack("<q", -5)})
    assert trace("sendfile", negative, [4, 3, 0x1000, 10], EINVAL) == (
        "sendfile(4, 3, [18446744073709551611], 10) = -1 EINVAL (Invalid argument)"
    )
    assert render("sendfile", [4, 3, 0x1000, 100], 0, exit_, exit_) == "sendfile(4, 3, [100], 100) = 0"
    assert trace("sendfile", memory, [4, 3, 0, 10], 10) == "sendfile(4, 3, NULL, 10) = 10"
    assert trace("sendfile", memory, [4, 3, 8, 10], EFAULT) == "sendfile(4, 3, 0x8, 10) = -1 EFAULT (Bad address)"
    # i386's sendfile takes a 32-bit off_t, sendfile64 a loff_t.
    small = FakeMemory({0x1000: struct.pack("<iI", -5, 0xFFFFFFFF)})
    assert trace("sendfile", small, [4, 3, 0x1000, 10], EINVAL, ARCH_I386).startswith("sendfile(4, 3, [4294967291], ")
    assert trace("sendfile64", small, [4, 3, 0x1000, 10], EINVAL, ARCH_I386).startswith(
        "sendfile64(4, 3, [18446744073709551611], "
    )


def test_splice_and_copy_file_range_offsets_are_signed() -> None:
    memory = FakeMemory({0x1000: struct.pack("<qq", -5, 7)})
    assert trace("copy_file_range", memory, [3, 0x1000, 4, 0x1008, 50, 0], 50) == (
        "copy_file_range(3, [-5], 4, [7], 50, 0) = 50"
    )
    assert trace("splice", memory, [3, 0x1008, 6, 0, 20, 0], 20) == "splice(3, [7], 6, NULL, 20, 0) = 20"


def test_utimensat_times_with_special_values(monkeypatch: pytest.MonkeyPatch) -> None:
    # strace's comment shows the local time: UTC here.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    now, omit = (1 << 30) - 1, (1 << 30) - 2
    times = {0x1000: struct.pack("<qqqq", 1, 2, 1700000000, now), 0x2000: struct.pack("<qqqq", 0, omit, 3, 0)}
    memory = FakeMemory({**times, 0x3000: b"f\0"})
    text = trace("utimensat", memory, [2**64 - 100, 0x3000, 0x1000, 0], 0)
    assert text == (
        'utimensat(AT_FDCWD, "f", [{tv_sec=1, tv_nsec=2} /* 1970-01-01T00:00:01.000000002+0000 */, UTIME_NOW], 0) = 0'
    )
    text = trace("utimensat", memory, [4, 0, 0x2000, 0x100], 0)
    assert text == (
        "utimensat(4, NULL, [UTIME_OMIT, {tv_sec=3, tv_nsec=0} /* 1970-01-01T00:00:03+0000 */], "
        "AT_SYMLINK_NOFOLLOW) = 0"
    )
    i386 = FakeMemory({0x1000: struct.pack("<iiii", 1, 0, 2, now)})
    assert trace("utimensat", i386, [4, 0, 0x1000, 0], 0, ARCH_I386).endswith(
        "[{tv_sec=1, tv_nsec=0} /* 1970-01-01T00:00:01+0000 */, UTIME_NOW], 0) = 0"
    )


def test_fcntl_locks_by_command_and_layout() -> None:
    lock = struct.pack("<hh4xqqi4x", 1, 0, 10, 5, 0)
    memory = FakeMemory({0x1000: lock})
    assert trace("fcntl", memory, [4, 6, 0x1000], 0) == (
        "fcntl(4, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=10, l_len=5}) = 0"
    )
    # F_GETLK: what the kernel answers, read at exit, with l_pid.
    memory.reads.clear()
    answered = struct.pack("<hh4xqqi4x", 2, 0, 10, 5, 0)
    memory.regions[0x1000] = answered
    assert trace("fcntl", memory, [4, 5, 0x1000], 0) == (
        "fcntl(4, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=10, l_len=5, l_pid=0}) = 0"
    )
    assert memory.reads == [(0x1000, 32)]
    odd = FakeMemory({0x1000: struct.pack("<hh4xqqi4x", 9, 7, 10, 5, 0)})
    assert trace("fcntl", odd, [4, 6, 0x1000], EINVAL) == (
        "fcntl(4, F_SETLK, {l_type=0x9 /* F_??? */, l_whence=0x7 /* SEEK_??? */, l_start=10, l_len=5}) "
        "= -1 EINVAL (Invalid argument)"
    )
    assert trace("fcntl", memory, [4, 6, 8], EFAULT) == "fcntl(4, F_SETLK, 0x8) = -1 EFAULT (Bad address)"
    # Other commands read nothing.
    memory.reads.clear()
    assert trace("fcntl", memory, [4, 1, 0], 1).startswith("fcntl(4, F_GETFD)")
    assert memory.reads == []


def test_fcntl64_i386_lock_layouts() -> None:
    flock = FakeMemory({0x1000: struct.pack("<hhiii", 0, 1, -1, 5, 0)})
    assert trace("fcntl64", flock, [4, 6, 0x1000], 0, ARCH_I386) == (
        "fcntl64(4, F_SETLK, {l_type=F_RDLCK, l_whence=SEEK_CUR, l_start=-1, l_len=5}) = 0"
    )
    flock64 = FakeMemory({0x1000: struct.pack("<hhqqi", 1, 0, 1 << 40, 5, 77)})
    assert trace("fcntl64", flock64, [4, 14, 0x1000], 0, ARCH_I386) == (
        f"fcntl64(4, F_SETLKW64, {{l_type=F_WRLCK, l_whence=SEEK_SET, l_start={1 << 40}, l_len=5}}) = 0"
    )
    assert trace("fcntl64", flock64, [4, 36, 0x1000], 0, ARCH_I386) == (
        f"fcntl64(4, F_OFD_GETLK, {{l_type=F_WRLCK, l_whence=SEEK_SET, l_start={1 << 40}, l_len=5, l_pid=77}}) = 0"
    )
