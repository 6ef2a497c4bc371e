"""strace's command-line behaviour where atrace used to differ (issue 11,
strace's own qual_syscall and similar tests): exact lines from tracing
tests/programs/cli_calls.c (a write to stdout, a close of fd 100, exit 3);
where strace is installed it is given the same arguments and must agree."""

from __future__ import annotations

import shutil

import pytest
from conftest import atrace_argv, describe, run

WRITE = 'write(1, "hi\\n", 3)'
CLOSE = "close(100)"


def _calls(text: str) -> list[str]:
    """The lines that are calls (name and an opening parenthesis)."""
    return [ln for ln in text.splitlines() if ln[:1].isalpha() and "(" in ln.split(" ")[0]]


@pytest.mark.parametrize(
    ("options", "names"),
    [
        (["-e", "trace=close", "-e", "trace=write"], ["write"]),
        (["-e", "write", "-e", "close"], ["close"]),
        (["-e/", "-e42"], []),  # a regex for all, then connect only: the program makes no connect
        (["--trace=write", "-e", "trace=!close"], None),  # everything but close
    ],
)
def test_last_trace_set_wins(program, options, names):
    """Each -e trace= replaces the one before (strace 6.1): sets do not add up."""
    prog = str(program("cli_calls"))
    proc = run(atrace_argv(*options, prog))
    assert proc.returncode == 3, describe(proc)
    calls = _calls(proc.stderr.decode())
    seen = [ln.split("(")[0] for ln in calls]
    if names is None:
        assert "close" not in seen and "write" in seen and "execve" in seen, calls
    else:
        assert sorted(set(seen)) == names, calls
    if shutil.which("strace"):
        real = run(["strace", *options, prog])
        assert real.returncode == 3, describe(real)
        assert [ln.split("(")[0] for ln in _calls(real.stderr.decode())] == seen
