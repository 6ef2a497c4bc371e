"""strace's tracing behaviour where atrace used to differ (issue 11): -ff
files without pid prefixes, the -c table in the -o file, a non-leader
thread's execve, a command that cannot be executed, -o '|COMMAND'.

Real programs, exact lines; where strace is installed, it is given the same
arguments and must print the same lines (pids and addresses replaced)."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess

import pytest
from conftest import DEFAULT_TIMEOUT, atrace_argv, describe, run

HAVE_STRACE = shutil.which("strace") is not None


def _same_shape(text: str, pids: dict[int, str]) -> list[str]:
    """Lines with pids named and addresses and env counts masked, so that two
    runs (atrace's, strace's) compare."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"0x[0-9a-f]+ /\* \d+ vars \*/", "ENV", line)
        for pid, name in pids.items():
            line = re.sub(rf"\b{pid}\b", name, line)
        out.append(line)
    return out


def test_ff_parent_file_has_no_pid_prefix(program, tmp_path):
    """-ff: each file holds one task, so no line of it gets `[pid N]`, not
    even the parent's lines after its fork (strace-log-merge reads these)."""
    prefix = tmp_path / "t"
    proc = run(atrace_argv("-ff", "--text", "-o", prefix, "-e", "trace=kill,wait4,getppid", program("fork_text")))
    assert proc.returncode == 0, describe(proc)
    files = sorted(tmp_path.glob("t.*"))
    assert len(files) == 2, files
    parent = min(files, key=lambda f: int(f.suffix[1:]))
    lines = parent.read_text().splitlines()
    assert any(line.startswith("wait4(") for line in lines), lines
    assert not [line for line in lines if line.startswith("[pid")], lines
    assert lines[-1] == "+++ exited with 0 +++"


@pytest.mark.parametrize("option", ["-c", "-C"])
def test_summary_goes_to_the_output_file(program, tmp_path, option):
    """-c/-C with -o FILE (text): the table goes into the file, after the
    trace (-C) or alone (-c), and not to stderr, as strace does."""
    out = tmp_path / "t.txt"
    proc = run(atrace_argv(option, "--text", "-o", out, "-e", "trace=write,close", program("cli_calls")))
    assert proc.returncode == 3, describe(proc)
    assert b"% time" not in proc.stderr, proc.stderr
    lines = out.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("% time"))
    assert lines[header].split() == ["%", "time", "seconds", "usecs/call", "calls", "errors", "syscall"]
    table = [line.split() for line in lines[header + 2 :] if line and not line.startswith("-")]
    assert {row[-1] for row in table} >= {"write", "close", "total"}
    trace = lines[:header]
    if option == "-c":
        assert trace == [], trace
    else:
        assert any(line.startswith('write(1, "hi\\n", 3)') for line in trace), trace
        assert "+++ exited with 3 +++" in trace


def test_thread_execve_lines(program, tmp_path):
    """A non-leader thread's execve: its line ends `<pid changed to P ...>`,
    the leader says `+++ superseded by execve in pid T +++` (the thread's
    old tid), and the call returns 0 in the leader's pid."""
    prog = str(program("exec_from_thread"))
    lines_by: dict[str, list[str]] = {}
    tracers = {"atrace": atrace_argv("--text")}
    if HAVE_STRACE:
        tracers["strace"] = ["strace"]
    for name, argv in tracers.items():
        out = tmp_path / f"{name}.txt"
        proc = run([*argv, "-f", "-s256", "-a21", "-e", "trace=execve", "-e", "signal=none", "-o", out, prog])
        assert proc.returncode == 42, describe(proc)
        m = re.match(rb"pid (\d+) tid (\d+)\n", proc.stdout)
        assert m, describe(proc)
        pid, tid = int(m.group(1)), int(m.group(2))
        lines = _same_shape(out.read_text(), {})
        if name == "atrace":
            execve = f'{tid:<5} execve("{prog}", ["{prog}", "after-exec"], ENV'
            if lines[1] == execve + " <unfinished ...>":
                # The program's third thread died first (killed by the exec)
                # and cut the line.
                assert re.fullmatch(r"\d+ +\+\+\+ exited with 0 \+\+\+", lines.pop(2)), lines
            else:
                assert lines[1] == execve + f" <pid changed to {pid} ...>", lines
            assert lines[:1] + lines[2:] == [
                f'{pid:<5} execve("{prog}", ["{prog}"], ENV) = 0',
                f"{pid:<5} +++ superseded by execve in pid {tid} +++",
                f"{pid:<5} <... execve resumed>) = 0",
                f"{pid:<5} +++ exited with 42 +++",
            ]
        lines_by[name] = [line.split()[1:] for line in _same_shape("\n".join(lines), {pid: "P", tid: "T"})]
    if HAVE_STRACE and len(lines_by["strace"]) == len(lines_by["atrace"]):
        # (the same shape, which depends on the third thread's timing)
        assert lines_by["strace"] == lines_by["atrace"]


def test_exit_line_is_complete_at_entry(program, tmp_path):
    """exit and exit_group never return: strace prints `= ?` at once, so no
    other task's line can cut them into `<unfinished ...>`/`resumed`."""
    out = tmp_path / "t.txt"
    proc = run(atrace_argv("--text", "-o", out, "-e", "trace=exit_group", "true"))
    assert proc.returncode == 0, describe(proc)
    assert out.read_text().splitlines() == ["exit_group(0)                           = ?", "+++ exited with 0 +++"]


@pytest.mark.parametrize("target", ["/", "/etc/passwd"])
def test_failed_first_exec_is_traced(target, tmp_path):
    """A command that exists but cannot be executed (a directory, no x bit):
    as strace, its execve is made and shown failing, then the exit; the
    reason is atrace's one line on stderr; the run exits 1."""
    tracers = {"atrace": atrace_argv("--text")} | ({"strace": ["strace"]} if HAVE_STRACE else {})
    for name, argv in tracers.items():
        out = tmp_path / f"{name}.txt"
        proc = run([*argv, "-o", out, target])
        assert proc.returncode == 1, describe(proc)
        assert proc.stderr.decode() == f"{name}: exec: Permission denied\n"
        assert _same_shape(out.read_text(), {}) == [
            f'execve("{target}", ["{target}"], ENV) = -1 EACCES (Permission denied)',
            "+++ exited with 1 +++",
        ], name


@pytest.mark.parametrize("mark", ["|", "!"])
def test_output_piped_to_a_command(program, tmp_path, mark):
    """-o '|COMMAND' (or '!COMMAND'): the trace goes to `sh -c COMMAND`'s
    stdin; atrace waits for the command to finish before it exits."""
    out = tmp_path / "piped.txt"
    command = f"{mark}cat > {out}; echo command-done"
    proc = run(atrace_argv("--text", "-o", command, "-e", "trace=write", program("cli_calls")))
    assert proc.returncode == 3, describe(proc)
    assert proc.stdout == b"hi\ncommand-done\n"  # the command ran to its end before atrace exited
    assert out.read_text().splitlines() == ['write(1, "hi\\n", 3)'.ljust(40) + "= 3", "+++ exited with 3 +++"]


@pytest.mark.parametrize(
    "options, message",
    [
        (["-c", "-C"], "-c/--summary-only and -C/--summary are mutually exclusive"),
        (
            ["-c", "-ff", "-o", "x"],
            "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive",
        ),
        (["-w"], "-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)"),
        (["-o", "|cat", "-ff"], "piping the output and -ff/--output-separately are mutually exclusive"),
        (["-b", "chdir"], "Syscall 'chdir' for -b isn't supported"),
        (["--detach-on=execve", "--detach-on=chdir"], "Syscall 'chdir' for -b isn't supported"),
        (["-I", "5"], "invalid -I argument: '5'"),
        (["--interruptible=nev"], "invalid --interruptible argument: 'nev'"),
        (["-DDDD"], "Too many -D's (4), maximum supported -D count is 3"),
        (["-D", "--daemonize"], "-D and --daemonize cannot be provided simultaneously"),
        (["--daemonize=pgr"], "invalid --daemonize argument: 'pgr'"),
        (["--tips=id:rand"], "invalid --tips argument: 'id:rand'"),
        (["--decode-pids=chdir"], "invalid decode-pids 'chdir'"),
        (["-e", "decode-pid=comm,gettid"], "invalid decode-pids 'gettid'"),
        (["--syscall-limit=0"], "invalid --syscall-limit argument: '0'"),
    ],
)
def test_option_errors_worded_as_strace(options, message):
    """Option errors: one `atrace:` line with strace's words (its test suite
    greps for them), exit 1, nothing run."""
    proc = run(atrace_argv(*options, "true"))
    assert proc.returncode == 1, describe(proc)
    assert proc.stderr.decode() == f"atrace: {message}\n"


def test_daemonize_needs_a_command():
    proc = run(atrace_argv("-D", "-p", "1"))
    assert (
        proc.returncode == 1 and proc.stderr.decode() == "atrace: PROG [ARGS] must be specified with -D/--daemonize\n"
    )


@pytest.mark.parametrize("signals", ["none", "all"])
def test_attach_and_command_together(tmp_path, signals):
    """-p PID with a command: both are traced (strace allows it), the -o
    file gets a pid column as it starts with two processes, and atrace ends
    when both have. `+++ killed by SIG +++` shows only for the -e signal=
    set, as strace."""
    tracers = {"atrace": atrace_argv("--text")} | ({"strace": ["strace"]} if HAVE_STRACE else {})
    for name, argv in tracers.items():
        target = subprocess.Popen(["sleep", "60"], start_new_session=True)
        try:
            out = tmp_path / f"{name}.txt"
            command = ["sh", "-c", f"echo $$; kill {target.pid}"]
            options = ["-qq", "-o", out, "-e", "trace=kill", "-e", f"signal={signals}", "-p", target.pid]
            proc = run([*argv, *options, *command])
            assert proc.returncode == 0, describe(proc)
            assert target.wait(DEFAULT_TIMEOUT) == -signal.SIGTERM
            shell = int(proc.stdout)
            lines = [line for line in out.read_text().splitlines() if not line.startswith(f"{target.pid:<5} ---")]
            expected = [f"{shell:<5} kill({target.pid}, SIGTERM)".ljust(40) + "= 0"]
            if signals == "all":
                expected.append(f"{target.pid:<5} +++ killed by SIGTERM +++")
            assert lines == expected, name
        finally:
            if target.poll() is None:
                target.kill()
                target.wait()


@pytest.mark.parametrize("spelling", [["-O", "10s"], ["-O10000000"], ["--summary-syscall-overhead=1e4ms"]])
def test_summary_overhead(program, spelling):
    """-O OVERHEAD: taken off each call's time in the -c table (not below
    0): ten seconds leave nothing of three getppid calls."""
    proc = run(atrace_argv("-cw", *spelling, "-e", "trace=getppid", program("getppid_loop"), "3"))
    assert proc.returncode == 0, describe(proc)
    rows = [line.split() for line in proc.stderr.decode().splitlines() if line.endswith(" getppid")]
    assert len(rows) == 1 and rows[0][1:4] == ["0.000000", "0", "3"], proc.stderr.decode()
    plain = run(atrace_argv("-cw", "-e", "trace=getppid", program("getppid_loop"), "3"))
    rows = [line.split() for line in plain.stderr.decode().splitlines() if line.endswith(" getppid")]
    assert rows[0][1] != "0.000000" and rows[0][3] == "3", plain.stderr.decode()
