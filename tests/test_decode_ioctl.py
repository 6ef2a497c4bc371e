"""Decoding of ioctl: requests by name, terminal structs (termios, termio, winsize) and int arguments."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from decoding_support import TraceeMemory, plan, render, run, trace

from atrace.events import records as R
from atrace.render.text import TextOptions, TextRenderer
from atrace.syscalls import ARCH_I386, ARCH_X86_64, by_name

EFAULT, EINVAL, ENOTTY = -14, -22, -25


# -- termio ioctls, capabilities ----------------------------------------------


def _termio(iflag: int, oflag: int, cflag: int, lflag: int) -> bytes:
    return struct.pack("<4HB8Bx", iflag, oflag, cflag, lflag, 0, 3, 0x1C, 0x7F, 0x15, 4, 0, 1, 0)


TCGETS, TCSETSW, TIOCGWINSZ, FIONREAD, FIONBIO, TIOCGPGRP, TCFLSH = (
    0x5401,
    0x5403,
    0x5413,
    0x541B,
    0x5421,
    0x540F,
    0x540B,
)
# A terminal in cooked mode, as a new pty starts (c_cc: ^C ^\\ DEL ^U ^D, VMIN 1...).
COOKED = struct.pack("<IIIIB19B", 0x500, 0x5, 0xBF, 0x8A3B, 0,
                     3, 0x1C, 0x7F, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1A, 0, 0x12, 0xF, 0x17, 0x16, 0, 0, 0)  # fmt: skip


def test_tcgeta_reads_struct_termio_at_exit() -> None:
    memory = TraceeMemory({0x1000: _termio(0x500, 0x5, 0xBF, 0x8A3B)})
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
    memory = TraceeMemory({0x1000: _termio(0, 0, 0, 0)})
    text = trace("ioctl", memory, [3, code, 0x1000], ENOTTY, ARCH_I386)
    assert text == (
        f"ioctl(3, {name}, {{c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B0|CS5|, c_lflag=, ...}})"
        " = -1 ENOTTY (Inappropriate ioctl for device)"
    )
    assert memory.reads == [(0x1000, 18)]


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


# -- ioctl -------------------------------------------------------------------


def test_ioctl_reads_by_request() -> None:
    memory = TraceeMemory({0x1000: COOKED, 0x2000: struct.pack("<HHHH", 24, 80, 0, 0), 0x3000: b"\x05\0\0\0"})
    p = plan("ioctl", memory)
    assert run(p, [0, TCGETS, 0x1000], 0) == ({"arg": None}, {"arg": COOKED})
    assert run(p, [0, TCSETSW, 0x1000], 0) == ({"arg": COOKED}, {"arg": None})
    assert run(p, [0, TIOCGWINSZ, 0x2000], 0)[1] == {"arg": struct.pack("<HHHH", 24, 80, 0, 0)}
    assert run(p, [0, FIONREAD, 0x3000], 0)[1] == {"arg": b"\x05\0\0\0"}
    memory.reads.clear()
    # A value, not an address: nothing is read.
    assert run(p, [0, TCFLSH, 0], 0) == ({"arg": None}, {"arg": None})
    assert memory.reads == []


def test_ioctl_termios_default_and_verbose() -> None:
    text = render("ioctl", [0, TCGETS, 0x7FFD0000], 0, {"arg": None}, {"arg": COOKED})
    assert text == (
        "ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, "
        "c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0"
    )
    verbose = render("ioctl", [0, TCSETSW, 0x7FFD0000], 0, {"arg": COOKED}, {}, verbose=True)
    assert verbose.startswith("ioctl(0, SNDCTL_TMR_STOP or TCSETSW, {c_iflag=ICRNL|IXON, ")
    assert ", c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, " in verbose
    assert verbose.endswith("[VEOL2]=0, [17]=0, [18]=0]}) = 0")


def test_ioctl_termios_odd_bits() -> None:
    raw = struct.pack("<IIIIB19x", 0, 0x1800, 0x1000F | 0x40, 0x100 | 0x20000, 0)
    text = render("ioctl", [3, 0x5402, 0x1000], -25, {"arg": raw}, None)
    assert text == (
        "ioctl(3, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|XTABS|BS0|VT0|FF0|, "
        "c_cflag=B38400|B50<<IBSHIFT|CS5|CSTOPB, c_lflag=TOSTOP|0x20000, ...}) "
        "= -1 ENOTTY (Inappropriate ioctl for device)"
    )


def test_ioctl_results_and_failures() -> None:
    winsize = struct.pack("<HHHH", 24, 80, 640, 480)
    assert render("ioctl", [1, TIOCGWINSZ, 0x1000], 0, {}, {"arg": winsize}) == (
        "ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=640, ws_ypixel=480}) = 0"
    )
    assert render("ioctl", [0, FIONREAD, 0x1000], 0, {}, {"arg": b"\x03\0\0\0"}) == "ioctl(0, FIONREAD, [3]) = 0"
    assert render("ioctl", [0, FIONBIO, 0x1000], 0, {"arg": b"\x01\0\0\0"}, {}) == "ioctl(0, FIONBIO, [1]) = 0"
    assert render("ioctl", [2, TIOCGPGRP, 0x1000], 0, {}, {"arg": struct.pack("<i", 4242)}) == (
        "ioctl(2, TIOCGPGRP, [4242]) = 0"
    )
    assert render("ioctl", [3, TCGETS, 0x7FFD1000], -25, {}, None) == (
        "ioctl(3, TCGETS, 0x7ffd1000) = -1 ENOTTY (Inappropriate ioctl for device)"
    )
    assert render("ioctl", [3, TCGETS, 0], -14, {}, None) == "ioctl(3, TCGETS, NULL) = -1 EFAULT (Bad address)"
    assert render("ioctl", [0, TCFLSH, 0], 0, {}, {}) == "ioctl(0, TCFLSH, TCIFLUSH) = 0"
    assert render("ioctl", [0, 0x5409, 1], 0, {}, {}) == "ioctl(0, TCSBRK, 1) = 0"
    assert render("ioctl", [0, 0x540C, 0], 0, {}, {}) == "ioctl(0, TIOCEXCL) = 0"


def test_ioctl_line_cut_where_the_kernel_answers() -> None:
    """An unfinished TCGETS shows its struct in the resumed half; TCSETS at entry."""
    call = by_name(ARCH_X86_64, "ioctl")
    other = by_name(ARCH_X86_64, "getpid")
    assert call is not None and other is not None
    renderer = TextRenderer(TextOptions(personality_notes=False))
    events: list[Any] = []
    for request, entry, exit_ in ((TCGETS, {}, {"arg": COOKED}), (TCSETSW, {"arg": COOKED}, {})):
        events += [
            (R.SYSCALL_ENTRY, 1, 10, 10, ARCH_X86_64, call.nr, "ioctl", (0, request, 0x1000, 0, 0, 0), entry),
            (R.SYSCALL_ENTRY, 2, 11, 11, ARCH_X86_64, other.nr, "getpid", (0,) * 6, None),
            (R.SYSCALL_EXIT, 3, 11, 11, other.nr, 11, None),
            (R.SYSCALL_EXIT, 4, 10, 10, call.nr, 0, exit_),
        ]
    # Lines without the [pid N] prefix (there once task 11 appeared).
    lines = [line.split("] ", 1)[-1] for line in renderer.render(events).splitlines()]
    assert lines[0] == "ioctl(0, TCGETS,  <unfinished ...>"
    assert lines[2].startswith("<... ioctl resumed>{c_iflag=ICRNL|IXON, ")
    assert lines[3].startswith("ioctl(0, SNDCTL_TMR_STOP or TCSETSW, {c_iflag=ICRNL|IXON, ")
    assert lines[3].endswith("...} <unfinished ...>")
    assert lines[5].startswith("<... ioctl resumed>)")


def test_requests_named_from_the_kernel_headers() -> None:
    """Requests the generated table names (several names of one number
    joined as strace joins them), and the small ones decoded by table."""
    assert render("ioctl", [3, 0x80045705, 0], 0, None, None) == "ioctl(3, WDIOC_KEEPALIVE) = 0"
    assert render("ioctl", [3, 0x5204, 0], 0, None, None) == ("ioctl(3, FASTRPC_IOCTL_INIT_ATTACH or RNDZAPENTCNT) = 0")
    assert render("ioctl", [3, 0x40044900, 0xDEADBEEFBADC0DED], -9, None, None) == (
        "ioctl(3, INOTIFY_IOC_SETNEXTWD, -1159983635) = -1 EBADF (Bad file descriptor)"
    )
    assert render("ioctl", [3, 0xB703, 0], 0x10000000, None, None) == (
        "ioctl(3, NS_GET_NSTYPE) = 268435456 (CLONE_NEWUSER)"
    )
    assert render("ioctl", [3, 0xC0045706, 0x1000], 0, {"arg": struct.pack("<i", 123)}, None) == (
        "ioctl(3, WDIOC_SETTIMEOUT, [123]) = 0"
    )


def test_modem_lines() -> None:
    assert render("ioctl", [3, 0x5416, 0x1000], 0, {"arg": struct.pack("<I", 0x8006)}, None) == (
        "ioctl(3, TIOCMBIS, [TIOCM_DTR|TIOCM_RTS|TIOCM_LOOP]) = 0"
    )
    assert render("ioctl", [3, 0x5418, 0x1000], -9, {"arg": struct.pack("<I", 0xFFFF1E00)}, None) == (
        "ioctl(3, TIOCMSET, [0xffff1e00 /* TIOCM_??? */]) = -1 EBADF (Bad file descriptor)"
    )
