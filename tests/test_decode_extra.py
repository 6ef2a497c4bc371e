"""Decoding of interval timers, times, utimes/futimesat/utime, ppoll's time
left, NUMA memory policies, the pidfd clone and clone3 write back, the old
termio ioctls and unknown capabilities: what the tracer copies (Decoder plans
over a fake memory) and the text the renderer makes of it (strace 6.1's,
checked against the real one by tests/test_diff_strace.py with
tests/programs/decode_extra.c)."""

from __future__ import annotations

import struct
import time

import pytest
from decoding_support import FakeMemory, plan, render, run, trace

from atrace.syscalls import ARCH_I386
from atrace.syscalls.numa import nodemask_words

EFAULT, EINVAL, ENOTTY = -14, -22, -25

# -- setitimer, getitimer ---------------------------------------------------


def _itimerval(interval: tuple[int, int], value: tuple[int, int], fmt: str = "<4q") -> bytes:
    return struct.pack(fmt, *interval, *value)


def test_setitimer_new_value_at_entry_old_at_exit() -> None:
    memory = FakeMemory({0x1000: _itimerval((0, 0), (100, 250000)), 0x2000: _itimerval((1, 2), (3, 4))})
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
    assert trace("setitimer", FakeMemory({}), [0, 8, 0], EFAULT) == (
        "setitimer(ITIMER_REAL, 0x8, NULL) = -1 EFAULT (Bad address)"
    )
    memory = FakeMemory({0x2000: _itimerval((0, 0), (0, 0))})
    assert trace("getitimer", memory, [7, 0x2000], EINVAL) == (
        "getitimer(0x7 /* ITIMER_??? */, 0x2000) = -1 EINVAL (Invalid argument)"
    )


def test_getitimer_i386_layout() -> None:
    memory = FakeMemory({0x2000: _itimerval((5, 6), (7, 8), "<4i")})
    text = trace("getitimer", memory, [2, 0x2000], 0, ARCH_I386)
    assert text == "getitimer(ITIMER_PROF, {it_interval={tv_sec=5, tv_usec=6}, it_value={tv_sec=7, tv_usec=8}}) = 0"
    assert memory.reads == [(0x2000, 16)]


# -- times ------------------------------------------------------------------


@pytest.mark.parametrize(("arch", "fmt"), [(0, "<4q"), (ARCH_I386, "<4i")])
def test_times_fills_struct_tms(arch: int, fmt: str) -> None:
    memory = FakeMemory({0x3000: struct.pack(fmt, 1, 2, 30, 40)})
    text = trace("times", memory, [0x3000], 1718833409, arch)
    assert text == "times({tms_utime=1, tms_stime=2, tms_cutime=30, tms_cstime=40}) = 1718833409"
    assert trace("times", FakeMemory({}), [0], 1718833409, arch) == "times(NULL) = 1718833409"


# -- utimes, futimesat, utime ----------------------------------------------


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def test_utimes_shows_dates_to_the_microsecond(utc: None) -> None:
    memory = FakeMemory({0x4000: b"/f\0", 0x5000: struct.pack("<4q", 1000000000, 5, 1000000001, 0)})
    text = trace("utimes", memory, [0x4000, 0x5000], 0)
    assert text == (
        'utimes("/f", [{tv_sec=1000000000, tv_usec=5} /* 2001-09-09T01:46:40.000005+0000 */, '
        "{tv_sec=1000000001, tv_usec=0} /* 2001-09-09T01:46:41+0000 */]) = 0"
    )
    assert trace("utimes", memory, [0x4000, 0], 0) == 'utimes("/f", NULL) = 0'


def test_futimesat_i386(utc: None) -> None:
    memory = FakeMemory({0x4000: b"/f\0", 0x5000: struct.pack("<4i", 1000000000, 5, 1000000001, 0)})
    text = trace("futimesat", memory, [0xFFFFFF9C, 0x4000, 0x5000], 0, ARCH_I386)
    assert text.startswith('futimesat(AT_FDCWD, "/f", [{tv_sec=1000000000, tv_usec=5} /* 2001-09-09T01:46:40.000005')


@pytest.mark.parametrize(("arch", "fmt"), [(0, "<2q"), (ARCH_I386, "<2i")])
def test_utime_utimbuf(utc: None, arch: int, fmt: str) -> None:
    memory = FakeMemory({0x4000: b"/f\0", 0x5000: struct.pack(fmt, 1000000002, 1000000003)})
    text = trace("utime", memory, [0x4000, 0x5000], 0, arch)
    assert text == (
        'utime("/f", {actime=1000000002 /* 2001-09-09T01:46:42+0000 */, '
        "modtime=1000000003 /* 2001-09-09T01:46:43+0000 */}) = 0"
    )


# -- ppoll ------------------------------------------------------------------


def test_ppoll_shows_the_time_left_and_the_mask() -> None:
    pollfd = struct.pack("<ihh", 3, 1, 0)
    memory = FakeMemory({0x1000: pollfd, 0x2000: struct.pack("<2q", 5, 0), 0x3000: struct.pack("<Q", 1 << 9)})
    p = plan("ppoll", memory)
    entry, _ = run(p, [0x1000, 1, 0x2000, 0x3000, 8], 1)
    # The kernel writes the results and the time left in place.
    memory.regions[0x1000] = struct.pack("<ihh", 3, 1, 1)
    memory.regions[0x2000] = struct.pack("<2q", 4, 999999395)
    _, exit_ = run(p, [0x1000, 1, 0x2000, 0x3000, 8], 1)
    text = render("ppoll", [0x1000, 1, 0x2000, 0x3000, 8], 1, entry, exit_)
    assert text == (
        "ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=5, tv_nsec=0}, [USR1], 8)"
        " = 1 ([{fd=3, revents=POLLIN}], left {tv_sec=4, tv_nsec=999999395})"
    )
    # No time left shown when the call timed out.
    timeout = render("ppoll", [0x1000, 1, 0x2000, 0x3000, 8], 0, entry, exit_)
    assert timeout.endswith(", [USR1], 8) = 0 (Timeout)")


def test_ppoll_time64_i386_time_left() -> None:
    memory = FakeMemory({0x1000: struct.pack("<ihh", 3, 1, 1), 0x2000: struct.pack("<2q", 1, 5)})
    text = trace("ppoll_time64", memory, [0x1000, 1, 0x2000, 0, 8], 1, ARCH_I386)
    assert text.endswith("= 1 ([{fd=3, revents=POLLIN}], left {tv_sec=1, tv_nsec=5})")


# -- set_mempolicy, get_mempolicy, mbind -------------------------------------


def test_nodemask_words_follow_maxnode_minus_one_bits() -> None:
    assert [nodemask_words(n, 64) for n in (0, 1, 2, 64, 65, 66, 129)] == [0, 0, 1, 1, 1, 2, 2]
    assert nodemask_words(64, 32) == 2
    assert nodemask_words((1 << 64) - 1, 64) == 0  # overflows strace's arithmetic


def test_set_mempolicy_masks_per_abi() -> None:
    words = struct.pack("<4Q", 1, 0, 3, 4)
    text = trace("set_mempolicy", FakeMemory({0x1000: words}), [1, 0x1000, 64], 0)
    assert text == "set_mempolicy(MPOL_PREFERRED, [0x00000000000001], 64) = 0"
    i386 = trace("set_mempolicy", FakeMemory({0x1000: struct.pack("<4I", 1, 0x10001, 0, 0)}), [1, 0x1000, 64], 0,
                 ARCH_I386)  # fmt: skip
    assert i386 == "set_mempolicy(MPOL_PREFERRED, [0x000001, 0x010001], 64) = 0"
    # maxnode 0 is an empty mask, 1 leaves no whole word: the address.
    assert trace("set_mempolicy", FakeMemory({0x1000: words}), [1, 0x1000, 0], EINVAL).startswith(
        "set_mempolicy(MPOL_PREFERRED, [], 0) = -1"
    )
    assert trace("set_mempolicy", FakeMemory({0x1000: words}), [1, 0x1000, 1], 0) == (
        "set_mempolicy(MPOL_PREFERRED, 0x1000, 1) = 0"
    )


def test_set_mempolicy_modes_flags_and_cut() -> None:
    memory = FakeMemory({0x1000: struct.pack("<8Q", *range(1, 9))})
    text = trace("set_mempolicy", memory, [2 | 1 << 15, 0x1000, 8 * 64], 0, limit=3)
    assert text == (
        "set_mempolicy(MPOL_BIND|MPOL_F_STATIC_NODES, [0x00000000000001, 0x00000000000002, 0x00000000000003, ...], "
        "512) = 0"
    )
    # Only the words -s shows are copied.
    assert memory.reads == [(0x1000, 24)]
    unknown = trace("set_mempolicy", FakeMemory({}), [99, 0, 0], EINVAL)
    assert unknown == "set_mempolicy(0x63 /* MPOL_??? */, NULL, 0) = -1 EINVAL (Invalid argument)"


def test_get_mempolicy_fills_mode_and_mask() -> None:
    memory = FakeMemory({0x1000: struct.pack("<i", 1), 0x2000: struct.pack("<Q", 0)})
    text = trace("get_mempolicy", memory, [0x1000, 0x2000, 64, 0, 2], 0)
    assert text == "get_mempolicy([MPOL_PREFERRED], [0000000000000000], 64, NULL, MPOL_F_ADDR) = 0"
    failed = trace("get_mempolicy", memory, [0x1000, 0x2000, 65, 0, 3], EFAULT)
    assert failed == "get_mempolicy(0x1000, 0x2000, 65, NULL, MPOL_F_NODE|MPOL_F_ADDR) = -1 EFAULT (Bad address)"


def test_mbind_mode_mask_and_flags() -> None:
    memory = FakeMemory({0x1000: struct.pack("<Q", 1)})
    text = trace("mbind", memory, [0x7000, 4096, 2, 0x1000, 64, 7], EINVAL)
    assert text == (
        "mbind(0x7000, 4096, MPOL_BIND, [0x00000000000001], 64, MPOL_MF_STRICT|MPOL_MF_MOVE|MPOL_MF_MOVE_ALL)"
        " = -1 EINVAL (Invalid argument)"
    )
    unknown = trace("mbind", memory, [0, 4096, 7, 0x1000, 64, 8], EINVAL)
    assert unknown.startswith("mbind(NULL, 4096, 0x7 /* MPOL_??? */, [0x00000000000001], 64, 0x8 /* MPOL_??? */)")


# -- clone3's and clone's pidfd ----------------------------------------------


def _clone_args(flags: int) -> bytes:
    return struct.pack("<11Q", flags, 0x7000, 0, 0x7010, 17, 0, 0, 0, 0, 0, 0)


def test_clone3_writes_back_pidfd_and_tid() -> None:
    memory = FakeMemory({0x1000: _clone_args(0x1000 | 0x100000), 0x7000: struct.pack("<i", 3),
                         0x7010: struct.pack("<i", 4321)})  # fmt: skip
    text = trace("clone3", memory, [0x1000, 88], 4321)
    assert text == (
        "clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd=0x7000, parent_tid=0x7010, exit_signal=SIGCHLD, "
        "stack=NULL, stack_size=0} => {pidfd=[3], parent_tid=[4321]}, 88) = 4321"
    )
    memory.regions[0x1000] = _clone_args(0x1000)
    assert "} => {pidfd=[3]}, 88) = 4321" in trace("clone3", memory, [0x1000, 88], 4321)
    # The child (ret 0) has nothing written back to show.
    assert " => " not in trace("clone3", memory, [0x1000, 88], 0)


@pytest.mark.parametrize("arch", [0, ARCH_I386])
def test_clone_pidfd_shows_at_parent_tid(arch: int) -> None:
    memory = FakeMemory({0x7000: struct.pack("<i", 3)})
    text = trace("clone", memory, [0x1000 | 17, 0, 0x7000, 0, 0], 555, arch)
    assert text == "clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=[3]) = 555"


# -- termio ioctls, capabilities ----------------------------------------------


def _termio(iflag: int, oflag: int, cflag: int, lflag: int) -> bytes:
    return struct.pack("<4HB8Bx", iflag, oflag, cflag, lflag, 0, 3, 0x1C, 0x7F, 0x15, 4, 0, 1, 0)


def test_tcgeta_reads_struct_termio_at_exit() -> None:
    memory = FakeMemory({0x1000: _termio(0x500, 0x5, 0xBF, 0x8A3B)})
    p = plan("ioctl", memory)
    entry, exit_ = run(p, [4, 0x5405, 0x1000], 0)
    assert entry == {"arg": None} and exit_ == {"arg": memory.regions[0x1000]}
    text = render("ioctl", [4, 0x5405, 0x1000], 0, entry, exit_)
    assert text == (
        "ioctl(4, TCGETA, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, "
        "c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0"
    )
    verbose = render("ioctl", [4, 0x5405, 0x1000], 0, entry, exit_, verbose=True)
    assert verbose.endswith(
        "c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, "
        "[VMIN]=0x1, [VSWTC]=0]}) = 0"
    )
    failed = trace("ioctl", memory, [3, 0x5405, 0x1000], ENOTTY)
    assert failed == "ioctl(3, TCGETA, 0x1000) = -1 ENOTTY (Inappropriate ioctl for device)"


@pytest.mark.parametrize(("code", "name"), [(0x5406, "TCSETA"), (0x5407, "TCSETAW"), (0x5408, "TCSETAF")])
def test_tcseta_reads_struct_termio_at_entry(code: int, name: str) -> None:
    memory = FakeMemory({0x1000: _termio(0, 0, 0, 0)})
    text = trace("ioctl", memory, [3, code, 0x1000], ENOTTY, ARCH_I386)
    assert text == (
        f"ioctl(3, {name}, {{c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B0|CS5|, c_lflag=, ...}})"
        " = -1 ENOTTY (Inappropriate ioctl for device)"
    )
    assert memory.reads == [(0x1000, 18)]


def test_prctl_unknown_capability_is_hex() -> None:
    assert render("prctl", [23, 48], EINVAL, None, None) == (
        "prctl(PR_CAPBSET_READ, 0x30 /* CAP_??? */) = -1 EINVAL (Invalid argument)"
    )
    assert render("prctl", [23, (1 << 64) - 1], EINVAL, None, None).startswith(
        "prctl(PR_CAPBSET_READ, 0xffffffff /* CAP_??? */)"
    )
    assert render("prctl", [24, 40], 0, None, None) == "prctl(PR_CAPBSET_DROP, CAP_CHECKPOINT_RESTORE) = 0"
