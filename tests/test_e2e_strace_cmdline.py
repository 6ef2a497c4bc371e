"""strace's command-line behaviour where atrace used to differ (issue 11,
strace's own qual_syscall and similar tests): exact lines from tracing
tests/programs/cli_calls.c (a write to stdout, a close of fd 100, exit 3);
where strace is installed it is given the same arguments and must agree."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess

import pytest
from conftest import DEFAULT_TIMEOUT, atrace_argv, atrace_env, describe, run, wait_until

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


def test_atrace_holds_no_copy_of_stdin_or_stdout(tmp_path):
    """Once the command runs, atrace (and its helper processes) keep no copy
    of the stdin and stdout they were given, as strace does: when the command
    closes them, its reader sees end-of-file and its writer a broken pipe."""
    lock = tmp_path / "lock"
    closed = tmp_path / "closed"
    lock.touch()
    script = f"exec <&- >&-; : > {closed}; while [ -f {lock} ]; do sleep 0.05; done"
    proc = subprocess.Popen(
        atrace_argv("-qq", "-enone", "-esignal=none", "sh", "-c", script),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=atrace_env(),
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        # Read until end-of-file: it comes while the command still runs
        # (the lock is there), so nobody else holds the pipe's write end.
        wait_until(closed.exists, DEFAULT_TIMEOUT, what="the command closing its stdin and stdout")
        reader = select.select([proc.stdout], [], [], DEFAULT_TIMEOUT)[0]
        assert reader, "stdout still held open by atrace"
        assert proc.stdout.read() == b""
        # And no one reads stdin any more: a write breaks the pipe.
        with pytest.raises(BrokenPipeError):
            os.write(proc.stdin.fileno(), b"x")
    finally:
        lock.unlink()
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        proc.wait(timeout=DEFAULT_TIMEOUT)
    assert proc.stderr is not None
    assert proc.returncode == 0, proc.stderr.read()
