"""Decoding of time calls: clocks, nanosleep, interval timers, times."""

from __future__ import annotations

import struct

import pytest
from decoding_support import TraceeMemory, compact, line, plan, render, run, trace

from atrace.syscalls import ARCH_I386

EFAULT, EINVAL, ENOTTY = -14, -22, -25

# -- setitimer, getitimer ---------------------------------------------------


def _itimerval(interval: tuple[int, int], value: tuple[int, int], fmt: str = "<4q") -> bytes:
    return struct.pack(fmt, *interval, *value)


def test_time_calls() -> None:
    ts = struct.pack("<qq", 0, 1000)
    assert compact(line("nanosleep", [0x10, 0], 0, {"rqtp": ts})) == "nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0"
    assert compact(line("clock_nanosleep", [1, 0, 0x10, 0], 0, {"rqtp": ts})) == (
        "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, NULL) = 0"
    )
    assert compact(line("clock_gettime", [1, 0x10], 0, None, {"tp": struct.pack("<qq", 5, 6)})) == (
        "clock_gettime(CLOCK_MONOTONIC, {tv_sec=5, tv_nsec=6}) = 0"
    )


def test_setitimer_new_value_at_entry_old_at_exit() -> None:
    memory = TraceeMemory({0x1000: _itimerval((0, 0), (100, 250000)), 0x2000: _itimerval((1, 2), (3, 4))})
    p = plan("setitimer", memory)
    entry, exit_ = run(p, [0, 0x1000, 0x2000], 0)
    # The new value is read at entry, the old one (the kernel's) only at exit.
    assert set(entry) == {"value"} and set(exit_) == {"ovalue"}
    text = render("setitimer", [0, 0x1000, 0x2000], 0, entry, exit_)
    assert text == (
        "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=100, tv_usec=250000}}, "
        "{it_interval={tv_sec=1, tv_usec=2}, it_value={tv_sec=3, tv_usec=4}}) = 0"
    )


def test_setitimer_failures_and_unknown_timer() -> None:
    assert trace("setitimer", TraceeMemory({}), [0, 8, 0], EFAULT) == (
        "setitimer(ITIMER_REAL, 0x8, NULL) = -1 EFAULT (Bad address)"
    )
    memory = TraceeMemory({0x2000: _itimerval((0, 0), (0, 0))})
    assert trace("getitimer", memory, [7, 0x2000], EINVAL) == (
        "getitimer(0x7 /* ITIMER_??? */, 0x2000) = -1 EINVAL (Invalid argument)"
    )


def test_getitimer_i386_layout() -> None:
    memory = TraceeMemory({0x2000: _itimerval((5, 6), (7, 8), "<4i")})
    text = trace("getitimer", memory, [2, 0x2000], 0, ARCH_I386)
    assert text == "getitimer(ITIMER_PROF, {it_interval={tv_sec=5, tv_usec=6}, it_value={tv_sec=7, tv_usec=8}}) = 0"
    assert memory.reads == [(0x2000, 16)]


# -- times ------------------------------------------------------------------


@pytest.mark.parametrize(("arch", "fmt"), [(0, "<4q"), (ARCH_I386, "<4i")])
def test_times_fills_struct_tms(arch: int, fmt: str) -> None:
    memory = TraceeMemory({0x3000: struct.pack(fmt, 1, 2, 30, 40)})
    text = trace("times", memory, [0x3000], 1718833409, arch)
    assert text == (
        "times({tms_utime=1 /* 0.01 s */, tms_stime=2 /* 0.02 s */, tms_cutime=30 /* 0.30 s */, "
        "tms_cstime=40 /* 0.40 s */}) = 1718833409"
    )
    assert trace("times", TraceeMemory({}), [0], 1718833409, arch) == "times(NULL) = 1718833409"


def test_timer_settime_and_gettime_itimerspecs() -> None:
    """The new value at entry, the old one and gettime's at exit (only when
    the call succeeded); tv_nsec unsigned."""
    spec = struct.pack("<qQqQ", 1, 2, -3, 0xBADC0DED)
    memory = TraceeMemory({0x1000: spec, 0x2000: struct.pack("<4Q", 0, 0, 0, 0)})
    assert trace("timer_settime", memory, [0, 1, 0x1000, 0x2000], 0) == (
        "timer_settime(0, TIMER_ABSTIME, {it_interval={tv_sec=1, tv_nsec=2}, it_value={tv_sec=-3, tv_nsec=3134983661}},"
        " {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0"
    )
    assert trace("timer_settime", memory, [0, 0, 0x1000, 0x2000], EINVAL).endswith(
        "it_value={tv_sec=-3, tv_nsec=3134983661}}, 0x2000) = -1 EINVAL (Invalid argument)"
    )
    assert trace("timerfd_gettime", memory, [5, 0x1000], 0) == (
        "timerfd_gettime(5, {it_interval={tv_sec=1, tv_nsec=2}, it_value={tv_sec=-3, tv_nsec=3134983661}}) = 0"
    )
    i386 = TraceeMemory({0x1000: struct.pack("<iIiI", 1, 2, 3, 4)})
    assert trace("timer_gettime", i386, [0, 0x1000], 0, ARCH_I386) == (
        "timer_gettime(0, {it_interval={tv_sec=1, tv_nsec=2}, it_value={tv_sec=3, tv_nsec=4}}) = 0"
    )
