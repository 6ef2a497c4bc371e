"""strace's command-line behaviour where atrace used to differ (issue 11,
strace's own qual_syscall and similar tests): exact lines from tracing
tests/programs/cli_calls.c (a write to stdout, a close of fd 100, exit 3);
where strace is installed it is given the same arguments and must agree."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess

import pytest
from conftest import DEFAULT_TIMEOUT, atrace_argv, atrace_env, describe, kill_group, proc_status, run, wait_until

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


@pytest.mark.parametrize("status", [None, "detached"])
@pytest.mark.parametrize("signo", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_fatal_signal_detaches_and_kills_the_command(program, tmp_path, status, signo):
    """-I2: a fatal signal sent to atrace alone detaches the
    command, whose call in progress ends `<detached ...>` (kept by
    -e status=detached, as strace's status-detached test checks), kills the
    command by the same signal, and atrace ends by it, as strace does."""
    out = tmp_path / "t.txt"
    options = ["-e", f"status={status}"] if status else []
    argv = atrace_argv("-I2", "--text", "-o", out, "-e", "trace=nanosleep,clock_nanosleep", *options, "sleep", "60")
    tracer = subprocess.Popen(argv, env=atrace_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True)  # fmt: skip
    try:
        command = wait_until(lambda: _sleeping_child(tracer.pid), what="the command to sleep, traced")
        tracer.send_signal(signo)
        assert tracer.wait(DEFAULT_TIMEOUT) == -signo
        wait_until(lambda: _gone(command), what="the command to be killed")
    finally:
        kill_group(tracer.pid)
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and lines[0].endswith(" <detached ...>"), lines
    assert "nanosleep(" in lines[0], lines


def _sleeping_child(pid: int) -> int | None:
    """The command, once it sits in its (clock_)nanosleep (35, 230)."""
    try:
        child = _child_of(pid)
        with open(f"/proc/{child}/syscall") as f:
            return child if f.read().split()[0] in ("35", "230") else None
    except (OSError, IndexError):
        return None


def _child_of(pid: int) -> int:
    return _child_of_named(pid, "sleep") or 0


def _child_of_named(pid: int, comm: str) -> int | None:
    children = []
    for tid in os.listdir(f"/proc/{pid}/task"):  # (the tracer thread forks the command)
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{tid}/children") as f:
            children += [int(word) for word in f.read().split()]
    # The renderer and the waker are atrace's too: the command is the one
    # that runs `comm`.
    for child in children:
        with contextlib.suppress(OSError), open(f"/proc/{child}/comm") as f:
            if f.read().strip() == comm:
                return child
    return None


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in "ZX"
    except OSError:
        return True


def test_detach_shows_the_interrupted_call_unfinished(program, tmp_path):
    """-p, then SIGTERM: the call the process sleeps in is shown
    `<detached ...>` and not also as resumed and interrupted (atrace's own
    interrupt broke it off; it goes on once the process is let go)."""
    target = subprocess.Popen(["sleep", "60"], start_new_session=True)
    out = tmp_path / "t.txt"
    tracer = subprocess.Popen(atrace_argv("--text", "-o", out, "-p", str(target.pid)), env=atrace_env(),
                              stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        wait_until(lambda: proc_status(target.pid).get("TracerPid", "0") != "0", what="atrace to attach")
        wait_until(lambda: out.exists() and out.read_text(), what="the call in progress to be shown")
        tracer.send_signal(signal.SIGTERM)
        assert tracer.wait(DEFAULT_TIMEOUT) == -signal.SIGTERM
        assert target.poll() is None, "the process must go on running"
    finally:
        kill_group(tracer.pid)
        target.kill()
        target.wait()
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and lines[0].endswith("( <detached ...>"), lines


def _table(lines: list[str]) -> list[dict[str, str]]:
    """The -c table's rows as {header: cell}, cut where the rule's dashes are."""
    spans, at = [], 0
    for dashes in lines[1].split(" "):
        spans.append((at, at + len(dashes)))
        at += len(dashes) + 1
    spans[-1] = (spans[-1][0], None)
    headers = [lines[0][a:b].strip() for a, b in spans]
    rows = [line for line in lines[2:] if line and not line.startswith("-")]
    return [{h: line[a:b].strip() for h, (a, b) in zip(headers, spans, strict=True)} for line in rows]


@pytest.mark.parametrize(
    ("options", "header"),
    [
        (["-U", "time,time-max,name", "-S", "max_time"], ["% time", "longest", "syscall"]),
        (["--summary-columns=calls,errors", "--summary-sort-by=count"], ["calls", "errors", "syscall"]),
        (["-U", "syscall_name,shortest,avg_time", "-S", "syscall"], ["syscall", "shortest", "usecs/call"]),
        (["-S", "time_total"], ["% time", "seconds", "usecs/call", "calls", "errors", "syscall"]),
    ],
)
def test_summary_columns_and_sort_names(program, options, header):
    """-U/--summary-columns picks the -c table's columns (the name always
    shown), -S takes the same words as strace 6.1 (strace's strace-S test);
    strace, where installed, prints the same header and the same calls."""
    prog = str(program("cli_calls"))
    tables = {}
    for name, argv in {"atrace": atrace_argv(), "strace": ["strace"] if shutil.which("strace") else None}.items():
        if argv is None:
            continue
        proc = run([*argv, "-c", "-w", *options, prog])
        assert proc.returncode == 3, describe(proc)
        tables[name] = proc.stderr.decode().splitlines()
    lines = tables["atrace"]
    rows = _table(lines)
    assert list(rows[0]) == header, lines
    assert rows[-1]["syscall"] == "total", lines
    calls = [row["syscall"] for row in rows[:-1]]
    assert {"write", "close"} <= set(calls), lines
    if "syscall" in options:
        assert calls == sorted(calls), lines
    if "--summary-sort-by=count" in options:
        counts = [int(row["calls"]) for row in rows[:-1]]
        assert counts == sorted(counts, reverse=True), lines
    if "strace" in tables:
        theirs = _table(tables["strace"])
        assert list(theirs[0]) == header
        # (atrace counts calls that never return, exit_group: strace does not)
        assert {row["syscall"] for row in theirs} == {*calls, "total"} - {"exit_group"}


def test_summary_columns_errors():
    """-U's errors, in strace's words, and -U without -c."""
    for options, message in [
        (["-c", "-U", "calls,bogus"], "atrace: unknown column name: 'bogus'"),
        (["-c", "-U", "calls,count"], "atrace: call summary column has been provided more than once: 'count'"),
        (["-U", "calls"], "atrace: -U/--summary-columns must be given with (-c/--summary-only or -C/--summary)"),
    ]:
        proc = run(atrace_argv(*options, "true"))
        assert proc.returncode != 0
        assert proc.stderr.decode().splitlines()[0] == message, describe(proc)


@pytest.mark.parametrize(
    ("spelling", "shown"),
    [
        ("--strings-in-hex=non-ascii-chars", '"/\\t\\x0e hi\\xff"'),
        ("--strings-in-hex=non-ascii", '"\\x2f\\x09\\x0e\\x20\\x68\\x69\\xff"'),
        ("--strings-in-hex=none", '"/\\t\\16 hi\\377"'),
    ],
)
def test_strings_in_hex_non_ascii_chars(spelling, shown):
    """--strings-in-hex=non-ascii-chars (strace 6.1): the unprintable bytes
    alone in hex, named escapes kept; -x (non-ascii) hexes such a string
    whole. strace, where installed, prints the same line."""
    argv = [spelling, "-e", "trace=chdir", "sh", "-c", """cd "/$(printf '\\t\\016 hi\\377')" 2>/dev/null"""]
    lines = {}
    for name, prefix in {"atrace": atrace_argv(), "strace": ["strace"] if shutil.which("strace") else None}.items():
        if prefix is None:
            continue
        proc = run([*prefix, *argv])
        lines[name] = [ln for ln in proc.stderr.decode().splitlines() if ln.startswith("chdir(")]
    assert lines["atrace"] == [f"chdir({shown})".ljust(39) + " = -1 ENOENT (No such file or directory)"]
    if "strace" in lines:
        assert lines["strace"] == lines["atrace"]


def test_failed_exit_group_is_a_whole_line():
    """-e fault=exit_group: the call returns, so its line has its result,
    not `= ?` (strace's qual_fault-exit_group); libc then leaves by exit."""
    argv = ["-e", "trace=exit_group", "-e", "fault=exit_group", "sh", "-c", "exit 42"]
    outputs = {}
    for name, prefix in {"atrace": atrace_argv(), "strace": ["strace"] if shutil.which("strace") else None}.items():
        if prefix is None:
            continue
        proc = run([*prefix, *argv])
        assert proc.returncode == 42, describe(proc)
        outputs[name] = proc.stderr.decode().splitlines()
    assert outputs["atrace"] == [
        "exit_group(42)                          = -1 ENOSYS (Function not implemented) (INJECTED)",
        "+++ exited with 42 +++",
    ]
    if "strace" in outputs:
        assert outputs["strace"] == outputs["atrace"]


def test_fatal_signal_default_with_output_and_command(tmp_path):
    """strace's default -I: with -o and a command, never (3): a SIGTERM to
    atrace alone is ignored and the trace goes on to the command's end."""
    out = tmp_path / "t.txt"
    go = tmp_path / "go"
    command = ["sh", "-c", f"while [ ! -e {go} ]; do sleep 0.05; done"]
    tracer = subprocess.Popen(atrace_argv("--text", "-o", out, "-e", "trace=none", *command), env=atrace_env(),
                              stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        wait_until(lambda: _child_of_named(tracer.pid, "sh"), what="the command to run traced")
        tracer.send_signal(signal.SIGTERM)
        go.touch()
        assert tracer.wait(DEFAULT_TIMEOUT) == 0
    finally:
        kill_group(tracer.pid)
    assert out.read_text().splitlines()[-1] == "+++ exited with 0 +++"
