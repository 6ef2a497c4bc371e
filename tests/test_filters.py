"""The filter language (-e trace=, status=, signal=, trace-fds=, -P) and its errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from atrace import filters
from atrace.errors import AtraceError
from atrace.events import records as R
from atrace.render.stage import text_pipeline
from atrace.render.text import TextOptions
from atrace.syscalls import ARCH_I386, ARCH_X86_64, by_name

REPO = Path(__file__).resolve().parent.parent


def nr(name: str, arch: int = ARCH_X86_64) -> int:
    call = by_name(arch, name)
    assert call is not None
    return call.nr


def test_names() -> None:
    chosen = filters.syscall_set("open,close")
    assert chosen is not None
    assert chosen[ARCH_X86_64] == {nr("open"), nr("close")}
    assert chosen[ARCH_I386] == {nr("open", ARCH_I386), nr("close", ARCH_I386)}


def test_classes_and_aliases() -> None:
    chosen = filters.syscall_set("%file")
    assert chosen is not None
    assert nr("openat") in chosen[ARCH_X86_64] and nr("read") not in chosen[ARCH_X86_64]
    stat_like = filters.syscall_set("%%stat")
    assert stat_like is not None and nr("newfstatat") in stat_like[ARCH_X86_64]
    assert filters.syscall_set("%net") == filters.syscall_set("%network")
    assert filters.syscall_set("file") == filters.syscall_set("%file")  # strace's old spelling


def test_regex_negation_all_none() -> None:
    chosen = filters.syscall_set("/^rt_sig")
    assert chosen is not None and nr("rt_sigaction") in chosen[ARCH_X86_64] and nr("kill") not in chosen[ARCH_X86_64]
    negated = filters.syscall_set("!read")
    assert negated is not None and nr("read") not in negated[ARCH_X86_64] and nr("write") in negated[ARCH_X86_64]
    assert filters.syscall_set("all") is None
    none = filters.syscall_set("none")
    assert none is not None and not none[ARCH_X86_64]
    assert filters.syscall_set("!none") is None


def test_numbers_select_in_every_abi_whose_table_has_them() -> None:
    chosen = filters.syscall_set("51,chdir")
    assert chosen is not None
    assert chosen[ARCH_X86_64] == {51, nr("chdir")}  # 51: getsockname
    assert chosen[ARCH_I386] == {51, nr("chdir", ARCH_I386)}  # 51: acct
    with pytest.raises(AtraceError, match="invalid system call '1000'"):
        filters.syscall_set("1000")  # in no table


def test_question_mark_ignores_unknown() -> None:
    chosen = filters.syscall_set("?nosuchcall,close")
    assert chosen is not None and chosen[ARCH_X86_64] == {nr("close")}
    # socketcall exists only on i386: no error, nothing on x86_64.
    i386_only = filters.syscall_set("socketcall")
    assert i386_only is not None and not i386_only[ARCH_X86_64] and i386_only[ARCH_I386]


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("nosuchcall", "invalid system call 'nosuchcall'"),
        ("%nosuchclass", "invalid system call '%nosuchclass'"),
        ("open,bogus", "invalid system call 'bogus'"),
        ("/[", "regcomp: [:"),
    ],
)
def test_bad_trace_sets(expr: str, message: str) -> None:
    with pytest.raises(AtraceError, match=message.replace("[", r"\[").replace("%", "%")):
        filters.syscall_set(expr)


def test_status_signal_fd_sets() -> None:
    assert filters.status_set("successful,failed") == {"successful", "failed"}
    assert filters.status_set("!failed") == {"successful", "unfinished", "unavailable", "detached"}
    with pytest.raises(AtraceError, match="invalid status 'bogus'"):
        filters.status_set("bogus")
    assert filters.signal_set("SIGINT,term,9") == {2, 15, 9}
    assert filters.signal_set("!all") == frozenset()
    with pytest.raises(AtraceError, match="invalid signal 'FOO'"):
        filters.signal_set("FOO")
    assert filters.fd_set("1,2") == {1, 2}
    with pytest.raises(AtraceError, match="invalid descriptor"):
        filters.fd_set("x")


def _events(calls: list[tuple[str, tuple[int, ...], int, dict[str, object] | None]]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for ts, (name, args, ret, data) in enumerate(calls):
        number = nr(name)
        regs = args + (0,) * (6 - len(args))
        out.append((R.SYSCALL_ENTRY, ts, 1, 1, ARCH_X86_64, number, name, regs, data))
        out.append((R.SYSCALL_EXIT, ts, 1, 1, number, ret, None))
    return out


CALLS = [
    ("openat", (2**64 - 100, 1, 0, 0), 3, {"filename": "/etc/hosts"}),
    ("openat", (2**64 - 100, 1, 0, 0), -2, {"filename": "/nope"}),
    ("close", (3,), 0, None),
    ("close", (4,), -9, None),
]


def rendered(filt: filters.DisplayFilter | None) -> list[str]:
    text = text_pipeline(TextOptions(filter=filt)).render(_events(CALLS))
    return [re.sub(r"\s+= .*", "", line) for line in text.splitlines()]


def test_status_filters_before_the_renderer() -> None:
    successful = filters.display_filter([], [], [], [], successful_only=True, failed_only=False)
    assert rendered(successful) == ['openat(AT_FDCWD, "/etc/hosts", O_RDONLY)', "close(3)"]
    failed = filters.display_filter(["failed"], [], [], [], False, False)
    assert rendered(failed) == ['openat(AT_FDCWD, "/nope", O_RDONLY)', "close(4)"]


def test_path_filter_follows_fds() -> None:
    by_path = filters.display_filter([], [], ["/etc/hosts"], [], False, False)
    assert rendered(by_path) == ['openat(AT_FDCWD, "/etc/hosts", O_RDONLY)', "close(3)"]


def test_path_filter_matches_recorded_fd_paths_and_fsconfig_by_command() -> None:
    """-P on an fd the trace never saw opened (inherited, dup'd): the path
    the tracer recorded behind it; fsconfig only by its aux fd and, for the
    path commands, its value (never its context fd), as strace."""
    calls = [
        ("dup", (7,), 8, {"fildes_path": "/dev/full"}),
        ("dup", (6,), 9, {"fildes_path": "/dev/null"}),
        ("fsconfig", (7, 3, 0, 0, 2**64 - 100), -22, {"fs_fd_path": "/dev/full", "value": "/dev/full"}),
        ("fsconfig", (7, 1, 0, 0, 5), -22, {"fs_fd_path": "/dev/full", "aux_path": "/dev/full"}),
        ("fsconfig", (7, 5, 0, 0, 5), -22, {"fs_fd_path": "/dev/full", "aux_path": "/dev/full"}),
        ("fsconfig", (7, 4, 0, 0, 5), -22, {"fs_fd_path": "/dev/full", "aux_path": "/dev/zero"}),
    ]
    filt = filters.display_filter([], [], ["/dev/full"], [], False, False)
    lines = text_pipeline(TextOptions(filter=filt, decode_fds=frozenset())).render(_events(calls)).splitlines()
    shown = [re.sub(r"\s+= .*", "", line) for line in lines]
    assert shown == ["dup(7)", 'fsconfig(7, FSCONFIG_SET_PATH, NULL, "/dev/full", AT_FDCWD)',
                     "fsconfig(7, FSCONFIG_SET_FD, NULL, NULL, 5)"]  # fmt: skip


def test_trace_fds() -> None:
    by_fd = filters.display_filter([], [], [], ["4"], False, False)
    assert rendered(by_fd) == ["close(4)"]


def test_signal_filter() -> None:
    filt = filters.display_filter([], ["!SIGCHLD"], [], [], False, False)
    renderer = text_pipeline(TextOptions(filter=filt))
    text = renderer.render([(R.SIGNAL, 0, 1, 1, 17, 1, 2, 0, None), (R.SIGNAL, 0, 1, 1, 10, 0, 2, 0, None)])
    assert "SIGCHLD" not in text and "SIGUSR1" in text


def test_a_signal_filter_alone_shows_every_call_as_without_a_filter() -> None:
    """-e signal= alone lets calls through the stage unparsed: the text of
    calls (two tasks' interleaved, unfinished and resumed, an unknown
    number, an exit) must be the same as without a filter, only the
    signals it leaves out gone."""
    openat, close = nr("openat"), nr("close")
    at = (2**64 - 100, 1, 0, 0, 0, 0)
    events: list[tuple[object, ...]] = [
        (R.SYSCALL_ENTRY, 0, 1, 1, ARCH_X86_64, openat, "openat", at, {"filename": "/etc/hosts"}),
        (R.SYSCALL_ENTRY, 1, 2, 2, ARCH_X86_64, close, "close", (3, 0, 0, 0, 0, 0), None),
        (R.SIGNAL, 2, 1, 1, 10, 0, 2, 0, None),
        (R.SYSCALL_EXIT, 3, 1, 1, openat, 3, None),
        (R.SIGNAL, 4, 2, 2, 17, 1, 2, 0, None),
        (R.SYSCALL_EXIT, 5, 2, 2, close, -9, None),
        (R.SYSCALL_ENTRY, 6, 1, 1, ARCH_X86_64, 999, "syscall_999", (1, 2, 0, 0, 0, 0), None),
        (R.SYSCALL_EXIT, 7, 1, 1, 999, -38, None),
        (R.SYSCALL_EXIT, 8, 2, 2, close, 0, None),  # an exit whose entry the stream lacks
        (R.SYSCALL_ENTRY, 9, 2, 2, ARCH_X86_64, close, "close", (4, 0, 0, 0, 0, 0), None),
        (R.EXIT, 10, 2, 2, 0, None, False),
    ]
    plain = text_pipeline(TextOptions()).render(events)
    for chosen, dropped in (("none", ("SIGUSR1", "SIGCHLD")), ("SIGCHLD", ("SIGUSR1",)), ("all", ())):
        filt = filters.display_filter([], [chosen], [], [], False, False)
        text = text_pipeline(TextOptions(filter=filt)).render(events)
        expected = [line for line in plain.splitlines() if not any(f"--- {name} " in line for name in dropped)]
        assert text.splitlines() == expected
        assert len(expected) == len(plain.splitlines()) - len(dropped)
    assert "<... openat resumed>" in plain and "+++ exited with 0 +++" in plain and "syscall_999(" in plain


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-e", "trace=nosuchcall"], "atrace: invalid system call 'nosuchcall'"),
        (["-e", "trace=%bogus"], "atrace: invalid system call '%bogus'"),
        (["-e", "status=bogus"], "atrace: invalid status 'bogus'"),
        (["-e", "signal=NOPE"], "atrace: invalid signal 'NOPE'"),
        (["-e", "nope=1"], "atrace: invalid -e qualifier 'nope'"),
        (["-s", "-1"], "atrace: invalid -s argument: '-1'"),
        (["-s", "x"], "atrace: invalid -s argument: 'x'"),
        (["-c", "-S", "bogus"], "atrace: invalid sortby: 'bogus'"),
    ],
)
def test_bad_options_give_one_line_and_exit_1(argv: list[str], message: str) -> None:
    done = subprocess.run([sys.executable, "-m", "atrace", *argv, "true"], capture_output=True, text=True,
                          cwd=REPO, timeout=60)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == message + "\n"


def test_each_leading_bang_inverts_the_set_again() -> None:
    """strace's tests/readv.test: `-e read=!!!0,...` is `!0,...`."""
    assert filters.fd_set("!!!0,1") == filters.fd_set("!0,1")
    assert 2 in filters.fd_set("!!!0,1") and 1 not in filters.fd_set("!!!0,1")
    assert filters.fd_set("!!3") == frozenset({3})
