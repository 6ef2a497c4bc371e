"""The strace line itself: errors and restart codes, personalities, prefixes, -T, resumptions."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from decoding_support import compact, line

from atrace.events import records as R
from atrace.render.returns import format_return
from atrace.render.text import TextOptions, TextRenderer
from atrace.syscalls import ARCH_I386, ARCH_X86_64, by_name


def test_errors_and_restarts() -> None:
    assert format_return(None, -2) == "-1 ENOENT (No such file or directory)"
    assert format_return(None, -512) == "? ERESTARTSYS (To be restarted if SA_RESTART is set)"
    assert format_return(None, -514) == "? ERESTARTNOHAND (To be restarted if no handler)"
    assert format_return(None, -516) == "? ERESTART_RESTARTBLOCK (Interrupted by signal)"


def test_i386_calls_use_i386_layouts() -> None:
    # pread64's offset is split over two registers on i386.
    text = line("pread64", [3, 0x10, 4, 2, 0], 4, None, {"ubuf": b"abcd"}, arch=ARCH_I386)
    assert compact(text) == 'pread64(3, "abcd", 4, 2) = 4'
    act = struct.pack("<IIIQ", 1, 0, 0, 0)
    assert "sa_handler=SIG_IGN" in line("rt_sigaction", [13, 0x10, 0, 8], 0, {"act": act}, arch=ARCH_I386)


def test_personality_note() -> None:
    renderer = TextRenderer(TextOptions())
    getpid = by_name(ARCH_I386, "getpid")
    assert getpid is not None
    text = renderer.render([
        (R.SYSCALL_ENTRY, 1, 10, 10, ARCH_I386, getpid.nr, "getpid", (0,) * 6, None),
        (R.SYSCALL_EXIT, 2, 10, 10, getpid.nr, 10, None),
    ])  # fmt: skip
    assert text.startswith("[ Process PID=10 runs in 32 bit mode. ]\ngetpid()")


@pytest.mark.parametrize(
    ("options", "prefix"),
    [({"timestamps": 3}, "0.000001 "), ({"relative": True}, "     0.000000 "), ({"syscall_numbers": True}, "[  39] ")],
)
def test_prefix_options(options: dict[str, Any], prefix: str) -> None:
    assert line("getpid", [], 10, **options).startswith(prefix)


def test_syscall_times() -> None:
    assert line("getpid", [], 10, syscall_times=True).endswith("= 10 <0.000001>")


def test_exit_without_its_entry_is_a_named_resumption() -> None:
    # A live tail joins the stream between a read's entry and its exit.
    read = by_name(ARCH_X86_64, "read")
    assert read is not None
    renderer = TextRenderer(TextOptions(personality_notes=False))
    text = renderer.render([(R.SYSCALL_EXIT, 2_000, 10, 10, read.nr, -11, None)])
    assert compact(text.rstrip("\n")) == "<... read resumed>) = -1 EAGAIN (Resource temporarily unavailable)"


def test_hand_made_data_must_be_what_the_tracer_writes() -> None:
    """The helpers refuse a data map the tracer's plan would not write: read's
    buffer is read at exit, never at entry, and has no other key."""
    assert compact(line("read", [3, 0x1000, 8], 2, None, {"buf": b"hi"})) == 'read(3, "hi", 8) = 2'
    with pytest.raises(AssertionError, match="at entry"):
        line("read", [3, 0x1000, 8], 2, {"buf": b"hi"}, None)
    with pytest.raises(AssertionError, match="at exit"):
        line("read", [3, 0x1000, 8], 2, None, {"buffer": b"hi"})
