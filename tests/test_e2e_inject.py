"""-e inject= / -e fault=: tampering done by the tracer at the tracee's stops.

tests/programs/inject_calls.c makes the calls and prints what it got back
(results, errnos, signals caught), so each test checks that the tracee
really saw the injected result, the exact lines atrace prints, and, where
strace is installed, that strace prints the same lines for the same
arguments.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys

import pytest
from conftest import (
    DEFAULT_TIMEOUT,
    assert_no_traceback,
    atrace_argv,
    atrace_env,
    describe,
    kill_group,
    proc_status,
    read_events,
    run,
    wait_until,
)

import atrace

STRACE = shutil.which("strace")
_ADDRESS = re.compile(r"0x[0-9a-f]{6,}")


def _trace_lines(stderr: bytes) -> list[str]:
    """The trace's lines, pids and addresses masked (they differ per run)."""
    lines = []
    for line in stderr.decode().splitlines():
        if re.match(r"\S*strace: (Process \d+ attached|Inadvertent)", line):
            continue  # strace's notes, not trace lines
        line = re.sub(r"^\[pid +\d+\] ", "[pid N] ", line)
        lines.append(_ADDRESS.sub("ADDR", re.sub(r"si_pid=\d+", "si_pid=N", line)))
    return lines


def _both(program, options: list[str], mode: list[str], expect_stdout: str, compare: bool = True) -> list[str]:
    """atrace's lines; the tracee printed `expect_stdout`; strace's lines
    and the tracee's output under strace are the same (unless not `compare`)."""
    prog = str(program("inject_calls"))
    proc = run(atrace_argv(*options, prog, *mode))
    assert proc.returncode == 0, describe(proc)
    assert_no_traceback(proc)
    assert proc.stdout.decode() == expect_stdout, describe(proc)
    lines = _trace_lines(proc.stderr)
    if STRACE and compare:
        # strace stops at every call unless told --seccomp-bpf (it has no =off).
        real = run([STRACE, *(o for o in options if o != "--seccomp-bpf=off"), prog, *mode])
        assert real.returncode == 0, describe(real)
        assert real.stdout.decode() == expect_stdout
        assert _trace_lines(real.stderr) == lines, (real.stderr.decode(), proc.stderr.decode())
    return lines


def test_error_on_chosen_invocations(program):
    lines = _both(program, ["-e", "trace=chdir", "-e", "inject=chdir:error=ENOENT:when=2..4+2"], ["chdir", "5"],
                  " 0 -1:2 0 -1:2 0\n")  # fmt: skip
    ok = 'chdir("/")                              = 0'
    injected = 'chdir("/")                              = -1 ENOENT (No such file or directory) (INJECTED)'
    assert lines == [ok, injected, ok, injected, ok, "+++ exited with 0 +++"]


@pytest.mark.parametrize("seccomp", ["--seccomp-bpf", "--seccomp-bpf=off"])
def test_fault_defaults_to_enosys_with_and_without_seccomp(program, seccomp):
    # With -f and a trace set the calls stop at seccomp stops, where the
    # number is replaced just the same.
    lines = _both(program, ["-f", seccomp, "-e", "trace=chdir", "--fault=chdir:when=3+"], ["chdir", "4"],
                  " 0 0 -1:38 -1:38\n")  # fmt: skip
    assert lines.count('chdir("/")                              = -1 ENOSYS (Function not implemented) (INJECTED)') == 2


def test_retval_of_a_call_that_never_fails_is_unsigned(program):
    lines = _both(program, ["-e", "trace=geteuid", "-e", "inject=geteuid:retval=0xffffffffffffffff"], ["geteuid"],
                  "18446744073709551615\n")  # fmt: skip
    assert lines[0] == "geteuid()                               = 18446744073709551615 (INJECTED)"


@pytest.mark.parametrize("seccomp", ["--seccomp-bpf", "--seccomp-bpf=off"])
def test_signal_with_error_and_replacement_call(program, seccomp):
    # syscall=gettid runs instead of chdir; error= is still what it returns.
    # At a seccomp stop the kernel ignores a signal given on restart, so
    # atrace delivers it at the call's exit stop; strace 6.1 loses it there
    # (its tracee catches no SIGUSR1): compared with strace without seccomp.
    inject = "inject=chdir:syscall=gettid:error=EIO:signal=USR1"
    lines = _both(program, ["-f", seccomp, "-e", "trace=chdir", "-e", inject], ["signal"], " -1:5 usr1 1\n",
                  compare=seccomp != "--seccomp-bpf")  # fmt: skip
    assert lines[:2] == [
        'chdir(".")                              = -1 EIO (Input/output error) (INJECTED)',
        "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---",
    ]


def test_signal_alone_leaves_the_call_and_no_note(program):
    lines = _both(program, ["-e", "trace=chdir", "-e", "inject=chdir:signal=SIGUSR1"], ["signal"], " 0 usr1 1\n")
    assert lines[:2] == ['chdir(".")                              = 0',
                         "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---"]  # fmt: skip


def test_invocations_are_counted_per_task(program):
    # Each child's own second chdir fails: the count is per task.
    lines = _both(program, ["-f", "-e", "trace=chdir", "-e", "inject=chdir:error=EPERM:when=2"], ["children", "2"],
                  "child: 0 -1:1 0\nchild: 0 -1:1 0\n")  # fmt: skip
    assert sum("(INJECTED)" in line for line in lines) == 2


def test_pokes_show_what_was_written(program):
    # poke_enter rewrites chdir's path before the call (and before atrace
    # reads it); the exit poke, retval and delay give strace's three notes.
    lines = _both(program, ["-e", "trace=chdir", "-e", "inject=chdir:poke_enter=@arg1=2f746d7000"], ["poke"],
                  " 0 /tmp\n")  # fmt: skip
    assert lines[0] == 'chdir("/tmp")                           = 0 (INJECTED: args)'
    lines = _both(program, ["-e", "trace=chdir", "-e", "inject=chdir:poke_exit=@arg1=2f00:retval=0:delay_exit=1ms"],
                  ["poke"], " 0 " + os.getcwd() + "\n")  # fmt: skip
    assert lines[0] == 'chdir("/nonexistent")                   = 0 (INJECTED: args, retval) (DELAYED)'


BAD = [
    ("inject", "chdir"),  # nothing to do
    ("inject", "chdir:when=0"),
    ("inject", "chdir:when=24..23"),
    ("inject", "chdir:when=7+0"),
    ("inject", "chdir:error=4096"),
    ("inject", "chdir:retval=0b"),
    ("inject", "chdir:retval=0:error=1"),
    ("inject", "chdir:signal=129"),
    ("inject", "chdir:syscall=chdir:error=1"),
    ("inject", "chdir:delay_enter=-1"),
    ("inject", "chdir:poke_enter=@arg8=00"),
    ("inject", "chdir:42"),
    ("fault", "chdir:retval=0"),
    ("fault", "chdir:signal=1"),
]


@pytest.mark.parametrize(("qualifier", "value"), BAD)
def test_invalid_arguments_are_refused_in_one_line(program, qualifier, value):
    proc = run(atrace_argv("-e", f"{qualifier}={value}", str(program("inject_calls")), "chdir"))
    assert proc.returncode == 1, describe(proc)
    assert proc.stderr.decode() == f"atrace: invalid {qualifier} argument '{value}'\n"
    assert proc.stdout == b""  # the command never ran
    if STRACE:
        real = run([STRACE, "-e", f"{qualifier}={value}", "true"])
        assert real.returncode != 0 and f"invalid {qualifier} argument" in real.stderr.decode()


def test_the_stream_records_what_was_done(program, tmp_path):
    out = tmp_path / "t.atrace"
    prog = str(program("inject_calls"))
    proc = run(atrace_argv("-o", out, "-e", "trace=chdir", "-e", "inject=chdir:error=EACCES:delay_enter=1ms:when=2",
                           prog, "chdir", "3"))  # fmt: skip
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == b" 0 -1:13 0\n"
    exits = [e for e in read_events(out) if isinstance(e, atrace.SyscallExit)]
    assert [e.ret for e in exits] == [0, -13, 0]
    assert [(e.data or {}).get("injected") for e in exits] == [None, ["error", "delay_enter"], None]
    shown = run(atrace_argv("tail", out))
    assert "= -1 EACCES (Permission denied) (INJECTED) (DELAYED)" in shown.stdout.decode(), describe(shown)


def test_a_delay_holds_the_task_at_least_that_long(program, tmp_path):
    out = tmp_path / "t.atrace"
    proc = run(atrace_argv("-o", out, "-e", "trace=chdir", "-e", "inject=chdir:delay_enter=300ms:delay_exit=200ms",
                           str(program("inject_calls")), "chdir", "1"))  # fmt: skip
    assert proc.returncode == 0, describe(proc)
    events = read_events(out)
    entry = next(e for e in events if isinstance(e, atrace.SyscallEntry) and e.name == "chdir")
    exit_ = next(e for e in events if isinstance(e, atrace.SyscallExit) and e.tid == entry.tid)
    task_end = next(e for e in events if isinstance(e, atrace.Exit) and e.tid == entry.tid)
    # Both times are taken when the tracer sees the stops: the entry's before
    # the hold at entry, the exit's after it; the task's end after the exit's.
    assert exit_.ts - entry.ts >= 300_000_000
    assert task_end.ts - exit_.ts >= 200_000_000
    assert exit_.data == {"injected": ["delay_enter", "delay_exit"]}


def test_a_held_task_does_not_hold_the_others(program, tmp_path):
    """One child is held for 100 s at its chdir; the other still runs and
    writes (the tracer thread serves it meanwhile). The held one is then
    killed in its stop, and atrace ends with its command."""
    prog = str(program("inject_calls"))
    argv = atrace_argv("-f", "-e", "trace=chdir", "-e", "inject=chdir:delay_enter=100s", prog, "hold")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=atrace_env(),
                            start_new_session=True)  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"other done\n"

        def held_child() -> int | None:
            """The grandchild of atrace in a tracing stop: the held child."""
            for entry in os.listdir("/proc"):
                status = proc_status(int(entry)) if entry.isdigit() else {}
                parent = proc_status(int(status["PPid"])) if "PPid" in status else {}
                if status.get("State", "").startswith("t") and parent.get("PPid") == str(proc.pid):
                    return int(entry)
            return None

        os.kill(wait_until(held_child, what="the held child"), signal.SIGKILL)
        _out, err = proc.communicate(timeout=DEFAULT_TIMEOUT)
    finally:
        kill_group(proc.pid)
        proc.wait()
    assert proc.returncode == 0, err.decode()
    text = err.decode()
    assert 'chdir("/" <unfinished ...>' in text or 'chdir("/")' in text, text
    assert "+++ killed by SIGKILL +++" in text, text


def test_a_poke_beyond_the_calls_arguments_is_refused(program):
    # chdir has one argument: poking the second would write wherever that
    # register happens to point. Nothing is written, strace's words say why.
    proc = run(atrace_argv("-e", "trace=chdir", "-e", "inject=chdir:poke_enter=@arg2=00", str(program("inject_calls")),
                           "chdir", "1"))  # fmt: skip
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == b" 0\n"
    lines = proc.stderr.decode().splitlines()
    assert re.fullmatch(r"atrace: Failed to tamper with process \d+: requested to tamper with argument #2, "
                        r"but system call 'chdir' has only 1 arguments", lines[0]), lines  # fmt: skip
    assert lines[1] == 'chdir("/")                              = 0'


def test_detaching_lets_a_held_call_run_untampered(program):
    """-p: a call held at its entry (its number replaced for error=) when
    Ctrl-C detaches gets its own number back and runs: the program sees
    no injected error, and is not left stopped."""
    target = subprocess.Popen([str(program("inject_calls")), "loop", "150"], stdout=subprocess.PIPE,
                              start_new_session=True)  # fmt: skip
    tracer = None
    try:
        tracer = subprocess.Popen(atrace_argv("-p", str(target.pid), "-e", "trace=chdir", "-e",
                                              "inject=chdir:delay_enter=100s:error=EPERM"),
                                  stderr=subprocess.PIPE, env=atrace_env(), start_new_session=True)  # fmt: skip

        def held() -> bool:
            # In its stop at chdir's entry, the number already replaced by -1.
            with open(f"/proc/{target.pid}/syscall") as f:
                return f.read().startswith("-1 ") and proc_status(target.pid).get("State", "").startswith("t")

        wait_until(held, what="the call held at its entry")
        tracer.send_signal(signal.SIGINT)
        _out, err = tracer.communicate(timeout=DEFAULT_TIMEOUT)
        assert tracer.returncode == -signal.SIGINT, err.decode()  # ended by the signal that detached it, as strace
        out, _err = target.communicate(timeout=DEFAULT_TIMEOUT)
    finally:
        for proc in (tracer, target):
            if proc is not None:
                kill_group(proc.pid)
                proc.wait()
    assert target.returncode == 0
    assert out.decode().split() == ["0"] * 150
    # (The "Process N attached" note can land inside the open line: the
    # notes and the trace text are two outputs.)
    assert 'chdir("/"' in err.decode() and " <detached ...>\n" in err.decode()


def test_an_exit_group_the_fault_skips_returns_and_its_line_shows_it():
    """exit_group with -e fault=: the call is skipped and returns, so its
    line waits for the result instead of ending in `= ?` (strace's
    qual_fault-exit_group test); glibc's _exit then calls exit, which
    ends the process. The same lines as strace's, when strace is here."""
    tracee = [sys.executable, "-c", "import os; os._exit(42)"]
    options = ["-e", "trace=exit,exit_group", "-e", "fault=exit_group:error=ENOSYS"]
    proc = run(atrace_argv(*options, *tracee))
    assert proc.returncode == 42, describe(proc)
    assert_no_traceback(proc)
    lines = [re.sub(r" +=", " =", line) for line in _trace_lines(proc.stderr)]
    assert lines == [
        "exit_group(42) = -1 ENOSYS (Function not implemented) (INJECTED)",
        "exit(42) = ?",
        "+++ exited with 42 +++",
    ], describe(proc)
    if STRACE:
        real = run([STRACE, *options, *tracee])
        assert real.returncode == 42, describe(real)
        assert [re.sub(r" +=", " =", line) for line in _trace_lines(real.stderr)] == lines
