"""Argument width and sign, values the kernel writes through a pointer, and
the explanations strace adds after some return values."""

from __future__ import annotations

import struct
import time

import pytest
from decoding_support import InPlace, TraceeMemory, compact, line, trace, trace_in_place

from atrace.syscalls import ARCH_I386

EFAULT, EINVAL, EBADF = -14, -22, -9
# The test suite of strace fills the upper half of int arguments with garbage
# the kernel ignores; strace, like the kernel, looks at the lower half only.
HIGH = 0xDEFACED00000000


def _date(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(seconds))


# -- width and sign ---------------------------------------------------------


def test_int_flags_are_read_from_the_low_half() -> None:
    assert compact(line("wait4", [5, 0, HIGH | 0x40000001, 0], 0)) == "wait4(5, NULL, WNOHANG|__WALL, NULL) = 0"
    assert compact(line("dup3", [HIGH | 7, HIGH | 3, HIGH | 0o2000000], 3)) == "dup3(7, 3, O_CLOEXEC) = 3"
    # A hex of a C int shows 32 bits; an unsigned long keeps the register.
    assert compact(line("landlock_restrict_self", [1, HIGH | 0xFFFFFFFF], EINVAL)) == (
        "landlock_restrict_self(1, 0xffffffff) = -1 EINVAL (Invalid argument)"
    )
    assert compact(line("mremap", [0x1000, 1, 2, 0xFFFFFFFF00000001, 0], EINVAL)).startswith(
        "mremap(0x1000, 1, 2, MREMAP_MAYMOVE|0xffffffff00000000) = "
    )


def test_unsigned_counts_and_signed_ints() -> None:
    # futex's val is a u32: shown unsigned whatever the upper half holds.
    text = compact(line("futex", [0x1000, 1, HIGH | 0xFACEFEED, 0, 0, 0], 0))
    assert text == "futex(0x1000, FUTEX_WAKE, 4207869677) = 0"
    # readv's count is an unsigned long: all 64 bits.
    assert (
        compact(line("readv", [0, 0, 1 << 40], EINVAL)) == f"readv(0, NULL, {1 << 40}) = -1 EINVAL (Invalid argument)"
    )


def test_wait_options_name_wstopped() -> None:
    assert compact(line("wait4", [-1, 0, 2, 0], -10)).startswith("wait4(-1, NULL, WSTOPPED, NULL)")
    assert compact(line("waitid", [1, 5, 0, 6, 0], -10)).startswith("waitid(P_PID, 5, NULL, WEXITED|WSTOPPED, NULL)")


@pytest.mark.parametrize(
    ("name", "args", "shown"),
    [
        ("pidfd_open", [1, HIGH | 0o4000], "pidfd_open(1, PIDFD_NONBLOCK)"),
        ("pidfd_open", [1, HIGH | 0xFACEF6ED], "pidfd_open(1, 0xfacef6ed /* PIDFD_??? */)"),
        ("pidfd_open", [1, 0xFFFFFFFF], "pidfd_open(1, PIDFD_NONBLOCK|0xfffff7ff)"),
        ("fsopen", [0, HIGH | 2], "fsopen(NULL, 0x2 /* FSOPEN_??? */)"),
        ("userfaultfd", [HIGH | 0o2004001], "userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK|O_CLOEXEC)"),
        ("dup3", [1, 2, HIGH | 0o2001000], "dup3(1, 2, O_TRUNC|O_CLOEXEC)"),
        ("dup3", [1, 2, 1], "dup3(1, 2, 0x1 /* O_??? */)"),
        ("wait4", [1, 0, 0x10, 0], "wait4(1, NULL, 0x10 /* W??? */, NULL)"),
    ],
)
def test_flags_named_and_unknown(name: str, args: list[int], shown: str) -> None:
    assert compact(line(name, args, EINVAL)) == shown + " = -1 EINVAL (Invalid argument)"


def test_wait4_writes_nothing_when_no_child_is_ready() -> None:
    rusage = struct.pack("<18q", *([-1] * 18))
    memory = TraceeMemory({0x10: struct.pack("<i", 0), 0x100: rusage})
    assert trace("wait4", memory, [5, 0x10, 1, 0x100], 0) == "wait4(5, 0x10, WNOHANG, 0x100) = 0"


def test_timespec_nanoseconds_are_unsigned() -> None:
    ts = struct.pack("<qq", -3819351491602432273, -4982091772012331283)
    text = compact(line("nanosleep", [0x10, 0], EINVAL, {"rqtp": ts}))
    assert text == (
        "nanosleep({tv_sec=-3819351491602432273, tv_nsec=13464652301697220333}, NULL) = -1 EINVAL (Invalid argument)"
    )
    narrow = struct.pack("<ii", -1, -1)
    assert compact(line("nanosleep", [0x10, 0], EINVAL, {"rqtp": narrow}, arch=ARCH_I386)).startswith(
        "nanosleep({tv_sec=-1, tv_nsec=4294967295}, "
    )


def test_utimes_dates_only_valid_times() -> None:
    pair = struct.pack("<4q", 1492358607, 1000000, 1492356078, 345678)
    memory = TraceeMemory({0x10: b"f\0", 0x100: pair})
    assert trace("utimes", memory, [0x10, 0x100], EINVAL) == (
        'utimes("f", [{tv_sec=1492358607, tv_usec=1000000}, '
        f"{{tv_sec=1492356078, tv_usec=345678}} /* {_date(1492356078)[:-5]}.345678{_date(1492356078)[-5:]} */]) "
        "= -1 EINVAL (Invalid argument)"
    )


# -- values written through a pointer ---------------------------------------


def test_getresuid_shows_the_ids() -> None:
    memory = TraceeMemory(
        {0x10: struct.pack("<I", 0), 0x20: struct.pack("<I", 1000), 0x30: struct.pack("<I", 0xFFFFFFFF)}
    )
    assert trace("getresuid", memory, [0x10, 0x20, 0x30], 0) == "getresuid([0], [1000], [-1]) = 0"
    assert (
        trace("getresgid", memory, [0, 0x20, 0x30], EFAULT) == "getresgid(NULL, 0x20, 0x30) = -1 EFAULT (Bad address)"
    )


def test_getresuid_i386_ids_are_16_bits() -> None:
    memory = TraceeMemory({0x10: struct.pack("<H", 7), 0x20: struct.pack("<H", 0xFFFF), 0x30: struct.pack("<H", 0)})
    assert trace("getresuid", memory, [0x10, 0x20, 0x30], 0, ARCH_I386) == "getresuid([7], [-1], [0]) = 0"
    assert memory.reads == [(0x10, 2), (0x20, 2), (0x30, 2)]


def test_getcpu_and_get_robust_list() -> None:
    memory = TraceeMemory({0x10: struct.pack("<I", 1), 0x20: struct.pack("<I", 0)})
    assert trace("getcpu", memory, [0x10, 0x20, 0x30], 0) == "getcpu([1], [0], 0x30) = 0"
    memory = TraceeMemory({0x10: struct.pack("<Q", 0x7FDFFBED8A20), 0x20: struct.pack("<Q", 24)})
    assert trace("get_robust_list", memory, [42, 0x10, 0x20], 0) == "get_robust_list(42, [0x7fdffbed8a20], [24]) = 0"


def test_time_dates_its_value_and_return() -> None:
    now = 1795924733
    memory = TraceeMemory({0x10: struct.pack("<q", now)})
    assert trace("time", memory, [0x10], now) == f"time([{now} /* {_date(now)} */]) = {now} ({_date(now)})"
    assert trace("time", TraceeMemory({}), [0], now) == f"time(NULL) = {now} ({_date(now)})"
    assert trace("time", TraceeMemory({}), [0x18], EFAULT) == "time(0x18) = -1 EFAULT (Bad address)"


def test_mincore_vector_one_bit_per_page() -> None:
    memory = TraceeMemory({0x100: bytes([1, 0, 3])})
    assert trace("mincore", memory, [0x1000, 8193, 0x100], 0) == "mincore(0x1000, 8193, [1, 0, 1]) = 0"
    # Past -s pages, strace stops with an ellipsis; only those are copied.
    memory = TraceeMemory({0x100: bytes(8)})
    assert (
        trace("mincore", memory, [0x1000, 8 * 4096, 0x100], 0, limit=4)
        == "mincore(0x1000, 32768, [0, 0, 0, 0, ...]) = 0"
    )
    assert memory.reads == [(0x100, 4)]


def test_sched_policy_and_param() -> None:
    memory = TraceeMemory({0x10: struct.pack("<i", 0)})
    assert trace("sched_getparam", memory, [5, 0x10], 0) == "sched_getparam(5, [0]) = 0"
    memory = TraceeMemory({0x10: struct.pack("<i", -1)})
    assert trace("sched_setscheduler", memory, [5, 1, 0x10], EINVAL) == (
        "sched_setscheduler(5, SCHED_FIFO, [-1]) = -1 EINVAL (Invalid argument)"
    )
    assert compact(line("sched_setscheduler", [5, 0xFACEFEED, 0], EINVAL)).startswith(
        "sched_setscheduler(5, 0xfacefeed /* SCHED_??? */, NULL)"
    )
    assert compact(line("sched_getscheduler", [5], 0)) == "sched_getscheduler(5) = 0 (SCHED_OTHER)"
    assert compact(line("sched_get_priority_max", [2], 99)) == "sched_get_priority_max(SCHED_RR) = 99"


@pytest.mark.parametrize("ret", [EFAULT, EINVAL])
def test_written_values_are_addresses_when_the_call_fails(ret: int) -> None:
    memory = TraceeMemory({0x10: struct.pack("<I", 3)})
    assert trace("getcpu", memory, [0x10, 0, 0], ret).startswith("getcpu(0x10, NULL, NULL) = -1 ")


def test_nanosleep_time_left_only_when_interrupted() -> None:
    memory = TraceeMemory({0x10: struct.pack("<qq", 0, 999999999), 0x100: struct.pack("<qq", 0, 888964338)})
    assert trace("clock_nanosleep", memory, [0, HIGH, 0x10, 0x100], -516) == (
        "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=999999999}, {tv_sec=0, tv_nsec=888964338}) "
        "= ? ERESTART_RESTARTBLOCK (Interrupted by signal)"
    )
    # On success, or another error, the kernel wrote nothing there.
    assert trace("nanosleep", memory, [0x10, 0x100], 0) == "nanosleep({tv_sec=0, tv_nsec=999999999}, 0x100) = 0"
    assert trace("clock_nanosleep", memory, [1, 1, 0x10, 0x100], EINVAL).endswith(
        "(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=0, tv_nsec=999999999}, 0x100) = -1 EINVAL (Invalid argument)"
    )
    # A sleep until a time (TIMER_ABSTIME) has no time left to write.
    assert trace("clock_nanosleep", memory, [0, 1, 0x10, 0x100], -514).endswith(
        "(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=999999999}, 0x100) "
        "= ? ERESTARTNOHAND (To be restarted if no handler)"
    )


# -- memory read, or the address shown ---------------------------------------


def test_sigset_of_a_size_strace_does_not_read_is_an_address() -> None:
    memory = TraceeMemory({0x10: struct.pack("<Q", 1 << 8)})  # signal 9
    assert trace("rt_sigprocmask", memory, [0, 0x10, 0, 8], 0) == "rt_sigprocmask(SIG_BLOCK, [KILL], NULL, 8) = 0"
    assert trace("rt_sigprocmask", memory, [0, 0x10, 0, 16], EINVAL) == (
        "rt_sigprocmask(SIG_BLOCK, 0x10, NULL, 16) = -1 EINVAL (Invalid argument)"
    )
    assert trace("rt_sigprocmask", memory, [0, 0x10, 0, 4], EINVAL).startswith(
        "rt_sigprocmask(SIG_BLOCK, 0x10, NULL, 4)"
    )
    # i386's word is 4 bytes: a 4-byte set holds signals 1-32.
    assert (
        trace("rt_sigprocmask", memory, [0, 0x10, 0, 4], 0, ARCH_I386)
        == "rt_sigprocmask(SIG_BLOCK, [KILL], NULL, 4) = 0"
    )


def test_a_path_without_its_nul_is_an_address() -> None:
    memory = TraceeMemory({0x10: b"utimes_sample+"})  # readable memory ends after the +
    assert trace("utimes", memory, [0x10, 0], EFAULT) == "utimes(0x10, NULL) = -1 EFAULT (Bad address)"


def test_a_path_is_shown_up_to_path_max() -> None:
    memory = TraceeMemory({0x10: b"/" * 5000 + b"\0"})
    text = trace("chdir", memory, [0x10], -36)
    assert text == 'chdir("' + "/" * 4095 + '"...) = -1 ENAMETOOLONG (File name too long)'


def test_gettimeofday_and_settimeofday_structs() -> None:
    memory = TraceeMemory({0x10: struct.pack("<qq", 1795936924, 840556), 0x20: struct.pack("<ii", -60, 0)})
    assert trace("gettimeofday", memory, [0x10, 0x20], 0) == (
        "gettimeofday({tv_sec=1795936924, tv_usec=840556}, {tz_minuteswest=-60, tz_dsttime=0}) = 0"
    )
    memory = TraceeMemory({0x10: struct.pack("<qq", -1, 1000000), 0x20: struct.pack("<ii", 0, 0)})
    assert trace("settimeofday", memory, [0x10, 0x20], EINVAL) == (
        "settimeofday({tv_sec=-1, tv_usec=1000000}, {tz_minuteswest=0, tz_dsttime=0}) = -1 EINVAL (Invalid argument)"
    )


@pytest.mark.parametrize(
    ("arch", "fmt"), [(0, "<I4xqqqqi4xqqqqQqqqi4xqqqqqi44x"), (ARCH_I386, "<IiiiiiiiiiIiiiiiiiiii44x")]
)
def test_adjtimex_shows_the_struct_timex_and_clock_state(arch: int, fmt: str) -> None:
    values = (0, 1, 2, 3, 4, 0x41, 5, 6, 7, 1795936920, 114033, 10000, 8, 9, 10, 11, 12, 13, 14, 15, 37)
    memory = TraceeMemory({0x10: struct.pack(fmt, *values)})
    assert trace("adjtimex", memory, [0x10], 5, arch) == (
        "adjtimex({modes=0, offset=1, freq=2, maxerror=3, esterror=4, status=STA_PLL|STA_UNSYNC, constant=5, "
        "precision=6, tolerance=7, time={tv_sec=1795936920, tv_usec=114033}, tick=10000, ppsfreq=8, jitter=9, "
        "shift=10, stabil=11, jitcnt=12, calcnt=13, errcnt=14, stbcnt=15, tai=37}) = 5 (TIME_ERROR)"
    )
    assert trace("adjtimex", memory, [0], EFAULT, arch) == "adjtimex(NULL) = -1 EFAULT (Bad address)"


def _pollfds(*entries: tuple[int, int]) -> bytes:
    return b"".join(struct.pack("<ihh", fd, events, 0) for fd, events in entries)


def test_poll_array_as_strace_prints_arrays() -> None:
    memory = TraceeMemory({0x100: _pollfds((-1, 1), (1, 4))})
    assert trace("poll", memory, [0x100, 2, 0], 0) == "poll([{fd=-1}, {fd=1, events=POLLOUT}], 2, 0) = 0 (Timeout)"
    assert trace("poll", TraceeMemory({}), [0, 0, 0], 0) == "poll(NULL, 0, 0) = 0 (Timeout)"
    assert trace("poll", memory, [0x100, 0, 0], 0) == "poll([], 0, 0) = 0 (Timeout)"
    # More than -s elements: that many, then `...`.
    assert trace("poll", memory, [0x100, 2, 0], 0, limit=1) == "poll([{fd=-1}, ...], 2, 0) = 0 (Timeout)"
    # Readable memory ends within the array: where, as a comment.
    memory = TraceeMemory({0x100: _pollfds((-5, 0))})
    assert (
        trace("poll", memory, [0x100, 2, 0], EFAULT)
        == "poll([{fd=-5}, ... /* 0x108 */], 2, 0) = -1 EFAULT (Bad address)"
    )
    assert trace("poll", TraceeMemory({}), [0x18, 1, 0], EFAULT) == "poll(0x18, 1, 0) = -1 EFAULT (Bad address)"


def test_iovecs_the_kernel_did_not_fill_show_their_addresses() -> None:
    memory = TraceeMemory({0x100: struct.pack("<QQ", 0x7000, 8)})
    assert trace("preadv", memory, [0, 0x100, 1, 2**64 - 1], EINVAL) == (
        "preadv(0, [{iov_base=0x7000, iov_len=8}], 1, -1) = -1 EINVAL (Invalid argument)"
    )
    assert (
        trace("preadv", memory, [0, 0x100, 0, 2**64 - 3], EINVAL)
        == "preadv(0, [], 0, -3) = -1 EINVAL (Invalid argument)"
    )


def test_an_iovec_buffer_not_readable_to_s_plus_one_is_an_address() -> None:
    memory = TraceeMemory({0x100: struct.pack("<QQ", 0x200, 2**64 - 1), 0x200: b"X" * 32})
    assert trace("writev", memory, [1, 0x100, 1], -9) == (
        "writev(1, [{iov_base=0x200, iov_len=18446744073709551615}], 1) = -1 EBADF (Bad file descriptor)"
    )


def test_recvmmsg_shows_the_time_left() -> None:
    memory = InPlace({0x200: struct.pack("<qq", 0, 12345678)}, {0x200: struct.pack("<qq", 0, 12334608)})
    text = trace_in_place("recvmmsg", memory, [3, 0, 1, 0, 0x200], 0)
    assert text.endswith(", 1, 0, {tv_sec=0, tv_nsec=12345678}) = 0 (Timeout)")
    memory = InPlace({0x200: struct.pack("<qq", 0, 12345678)}, {0x200: struct.pack("<qq", 0, 12334608)})
    text = trace_in_place("recvmmsg", memory, [3, 0, 1, 0, 0x200], 1)
    assert text.endswith(", 1, 0, {tv_sec=0, tv_nsec=12345678}) = 1 (left {tv_sec=0, tv_nsec=12334608})")


def test_execve_arrays_with_bad_pointers_and_no_end() -> None:
    argv = struct.pack("<4Q", 0x300, 0x310, 2**64 - 1, 2**64 - 2)  # no NULL: memory ends after these
    envp = struct.pack("<2Q", 0x320, 0x330)
    memory = TraceeMemory(
        {0x100: argv, 0x200: envp, 0x300: b"prog\0", 0x310: b"first\0", 0x320: b"A=1\0", 0x330: b"B\0"}
    )
    assert trace("execve", memory, [0x300, 0x100, 0x200], -13) == (
        'execve("prog", ["prog", "first", 0xffffffffffffffff, 0xfffffffffffffffe, ... /* 0x120 */], '
        "0x200 /* 2 vars, unterminated */) = -1 EACCES (Permission denied)"
    )
    memory = TraceeMemory({0x100: struct.pack("<2Q", 0x310, 0), 0x200: struct.pack("<2Q", 0x320, 0), 0x300: b"prog\0",
                           0x310: b"first\0", 0x320: b"A=1\0"})  # fmt: skip
    assert trace("execve", memory, [0x300, 0x100, 0x200], -13) == (
        'execve("prog", ["first"], 0x200 /* 1 var */) = -1 EACCES (Permission denied)'
    )
    assert trace("execve", TraceeMemory({0x300: b"prog\0"}), [0x300, 0, 0x18], -14) == (
        'execve("prog", NULL, 0x18) = -1 EFAULT (Bad address)'
    )


def test_exec_record_argv_has_strings_only() -> None:
    from atrace.tracer.decoding import exec_argv

    assert exec_argv(["cc", 0xFFFF, b"\xff", None]) == ["cc", b"", b"\xff"]
    assert exec_argv(None) is None


@pytest.mark.parametrize(("arch", "fmt"), [(0, "<QiiQQ32x"), (ARCH_I386, "<IiiII44x")])
def test_timer_create_sigevent_and_timer_id(arch: int, fmt: str) -> None:
    value = 0xDEADBEEFBADC0DED if arch == 0 else 0xBADC0DED
    memory = TraceeMemory({0x10: struct.pack(fmt, value, 14, 4, 1234, 0), 0x100: struct.pack("<i", 3)})
    assert trace("timer_create", memory, [1, 0x10, 0x100], 0, arch) == (
        f"timer_create(CLOCK_MONOTONIC, {{sigev_value={{sival_int=-1159983635, sival_ptr={value:#x}}}, "
        "sigev_signo=SIGALRM, sigev_notify=SIGEV_THREAD_ID, sigev_notify_thread_id=1234}, [3]) = 0"
    )
    memory = TraceeMemory({0x10: struct.pack(fmt, 0, -87097619, 0xDEFACED, 0, 0)})
    assert trace("timer_create", memory, [0, 0x10, 0], EINVAL, arch) == (
        "timer_create(CLOCK_REALTIME, {sigev_signo=4207869677, sigev_notify=0xdefaced /* SIGEV_??? */}, NULL) "
        "= -1 EINVAL (Invalid argument)"
    )


def test_epoll_pwait_failing_shows_addresses() -> None:
    memory = TraceeMemory({0x10: struct.pack("<qq", 1, 2), 0x20: struct.pack("<Q", 1)})
    assert trace("epoll_pwait2", memory, [3, 0x40, 1, 0x10, 0x20, 8], EINVAL) == (
        "epoll_pwait2(3, 0x40, 1, 0x10, 0x20, 8) = -1 EINVAL (Invalid argument)"
    )
    assert trace("epoll_pwait2", memory, [3, 0x40, 1, 0x10, 0x20, 8], 0) == (
        "epoll_pwait2(3, [], 1, {tv_sec=1, tv_nsec=2}, [HUP], 8) = 0"
    )


def test_close_range_takes_unsigned_ints() -> None:
    assert compact(line("close_range", [2**64 - 2, 2**32 - 1, 1], EINVAL)) == (
        "close_range(4294967294, 4294967295, 0x1 /* CLOSE_RANGE_??? */) = -1 EINVAL (Invalid argument)"
    )


def test_restart_syscall_names_the_call_it_resumes() -> None:
    from typing import Any, cast

    from atrace.events import records as R
    from atrace.render.text import TextOptions, TextRenderer
    from atrace.syscalls import by_name

    sleep, restart = by_name(0, "clock_nanosleep"), by_name(0, "restart_syscall")
    assert sleep is not None and restart is not None
    events = [
        (R.SYSCALL_ENTRY, 1, 7, 7, 0, sleep.nr, "clock_nanosleep", (0, 0, 0, 0, 0, 0), None),
        (R.SYSCALL_EXIT, 2, 7, 7, sleep.nr, -516, None),
        (R.SYSCALL_ENTRY, 3, 7, 7, 0, restart.nr, "restart_syscall", (0,) * 6, None),
        (R.SYSCALL_EXIT, 4, 7, 7, restart.nr, 0, None),
        (R.SYSCALL_ENTRY, 5, 7, 7, 0, restart.nr, "restart_syscall", (0,) * 6, None),
        (R.SYSCALL_EXIT, 6, 7, 7, restart.nr, 0, None),
    ]
    lines = TextRenderer(TextOptions(personality_notes=False)).render(cast(Any, events)).splitlines()
    assert [compact(text) for text in lines[1:]] == [
        "restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0",
        "restart_syscall() = 0",  # nothing was interrupted before this one
    ]


@pytest.mark.parametrize("size", [1, 2, 4, 8])
def test_rt_sigpending_reads_the_size_it_is_given(size: int) -> None:
    memory = TraceeMemory({0x10: (1).to_bytes(size, "little")})  # SIGHUP; memory ends after `size` bytes
    assert trace("rt_sigpending", memory, [0x10, size], 0) == f"rt_sigpending([HUP], {size}) = 0"
    assert memory.reads == [(0x10, size)]
