"""strace's tracing-behaviour options, end to end on real processes: -D
(the tracer as a detached grandchild), -I (which signals stop atrace), -b
execve, --syscall-limit, --kill-on-exit, -A, -d, --tips."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess

import pytest
from conftest import DEFAULT_TIMEOUT, atrace_argv, atrace_env, describe, kill_group, proc_status, run, wait_until

# The command of the -D tests: its own pid, its parent, its tracer (the
# tracing thread's process), and the tracer's process group and session
# (fields 5 and 6 of /proc/PID/stat, counted after the command name, which
# may hold spaces).
REPORT = (
    "t=$(awk '/^TracerPid:/{print $2}' /proc/$$/status); "
    "t=$(awk '/^Tgid:/{print $2}' /proc/$t/status); "
    'echo "$$ $PPID $t $(sed "s/.*) //" /proc/$t/stat | cut -d" " -f3,4)"'
)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_daemonize_keeps_the_command_in_atraces_place(tmp_path, level):
    """-D: the command runs as the process its caller started (its pid, its
    parent), traced by another process, which with -DD has a process group
    and with -DDD a session of its own. The trace is complete."""
    out = tmp_path / "t.txt"
    proc = run(atrace_argv("-" + "D" * level, "--text", "-o", out, "-e", "trace=execve", "sh", "-c", REPORT))
    assert proc.returncode == 0, describe(proc)
    pid, ppid, tracer, pgrp, session = map(int, proc.stdout.split())
    assert ppid == os.getpid(), "the command's parent must be atrace's caller"
    assert tracer not in (0, pid, ppid)
    if level == 2:
        assert pgrp == tracer != session
    elif level == 3:
        assert session == pgrp == tracer
    else:
        assert pgrp != tracer
    # The tracer outlives the command by a moment: the end of the trace.
    wait_until(lambda: out.read_text().endswith("+++ exited with 0 +++\n"), what="the tracer to finish")
    lines = out.read_text().splitlines()
    assert lines[0].startswith('execve("/usr/bin/sh", ["sh", "-c", ') or lines[0].startswith('execve("/bin/sh"')
    assert lines[-1] == "+++ exited with 0 +++"


def test_daemonize_command_pid_is_the_started_process(tmp_path):
    """The pid the caller got from fork/exec is the command's own ($$)."""
    out = tmp_path / "t.txt"
    child = subprocess.Popen(atrace_argv("-D", "--text", "-o", out, "sh", "-c", "echo $$"),
                             env=atrace_env(), stdout=subprocess.PIPE, start_new_session=True)  # fmt: skip
    stdout, _ = child.communicate(timeout=DEFAULT_TIMEOUT)
    assert int(stdout) == child.pid


def _long_command(tmp_path):
    """A command that runs until its file `go` exists (polled by a shell)."""
    go = tmp_path / "go"
    return go, ["sh", "-c", f"while [ ! -e {go} ]; do sleep 0.05; done; echo done"]


def test_interruptible_never_ignores_sigterm(tmp_path):
    """-I3 (never): SIGTERM does not stop atrace nor reach the command; the
    trace goes on to the command's own end."""
    go, command = _long_command(tmp_path)
    out = tmp_path / "t.txt"
    tracer = subprocess.Popen(atrace_argv("-I", "never", "-f", "--text", "-o", out, *command), env=atrace_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        wait_until(lambda: out.exists() and "wait4(" in out.read_text(), what="the command to run traced")
        tracer.send_signal(signal.SIGTERM)  # (atrace ignores it: -I2 would detach and kill)
        go.touch()
        stdout, _ = tracer.communicate(timeout=DEFAULT_TIMEOUT)
        assert tracer.returncode == 0 and stdout == b"done\n"
        assert out.read_text().endswith("+++ exited with 0 +++\n")
    finally:
        kill_group(tracer.pid)


def test_interruptible_anywhere_dies_at_once(tmp_path):
    """-I1 (anywhere): SIGTERM kills atrace itself, and with it the command
    it launched (PTRACE_O_EXITKILL): nothing is left running untraced."""
    _, command = _long_command(tmp_path)
    out = tmp_path / "t.txt"
    tracer = subprocess.Popen(atrace_argv("-I1", "--text", "-o", out, *command), env=atrace_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        wait_until(lambda: out.exists() and "execve(" in out.read_text(), what="the command to run traced")
        shell = _child_of(tracer.pid)
        tracer.send_signal(signal.SIGTERM)
        assert tracer.wait(DEFAULT_TIMEOUT) == -signal.SIGTERM
        wait_until(lambda: proc_status(shell).get("State", "gone")[0] in "gZ", what="the command to be killed")
    finally:
        kill_group(tracer.pid)


def test_interruptible_anywhere_leaves_the_last_line_cut(tmp_path):
    """-I1: atrace killed by SIGTERM ends its text where it was, as strace
    killed at once does: the call in progress stays cut after its last
    argument, with no ` <unfinished ...>` (which only a trace that ended
    writes). The renderer process outlives atrace to write what it got."""
    out = tmp_path / "t.txt"
    env = {**atrace_env(), "ATRACE_RESIDENT": "off"}  # (the renderer is then atrace's child)
    argv = atrace_argv("-I1", "-e", "trace=nanosleep,clock_nanosleep", "--text", "-o", out, "sleep", "30")
    tracer = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_until(lambda: out.exists() and "nanosleep(" in out.read_text(), what="the sleep to be traced")
        renderers = [child for child in _children(tracer.pid) if proc_status(child).get("Name") != "sleep"]
        assert len(renderers) == 1, renderers
        tracer.send_signal(signal.SIGTERM)
        assert tracer.wait(DEFAULT_TIMEOUT) == -signal.SIGTERM
        wait_until(lambda: proc_status(renderers[0]).get("State", "gone")[0] in "gZ", what="the renderer to end")
        text = out.read_text()
        assert text.endswith("tv_sec=30, tv_nsec=0}, "), text
    finally:
        kill_group(tracer.pid)


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(child) for child in f.read().split()]


def _child_of(pid: int) -> int:
    """The one child process of `pid` (the launched command)."""
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            for child in f.read().split():
                if proc_status(int(child)).get("Name") == "sh":
                    return int(child)
    raise AssertionError(f"no sh child of {pid}")


def test_detach_on_execve(program):
    """-b execve: the launched command's own first exec is traced, a later
    execve lets the process go: the new program runs untraced, and atrace
    says `Process N detached` and exits 0."""
    prog = str(program("getppid_loop"))
    proc = run(atrace_argv("-b", "execve", "-e", "trace=execve", "sh", "-c", f"exec {prog} 2"))
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == b"TracerPid:\t0\n"
    lines = proc.stderr.decode().splitlines()
    assert lines[0].startswith('execve("/usr/bin/sh", ["sh", "-c", ') or lines[0].startswith('execve("/bin/sh"')
    # (its exit stop never comes: the process is let go at the exec event)
    assert lines[1].startswith(f'execve("{prog}", [') and lines[1].endswith(" <detached ...>"), lines
    assert re.fullmatch(r"atrace: Process \d+ detached", lines[-1]), lines
    assert not any("exited" in line for line in lines)


def test_syscall_limit(program):
    """--syscall-limit=N: after N recorded calls every task is detached and
    runs on untraced (the program then sees TracerPid 0)."""
    prog = program("getppid_loop")
    proc = run(atrace_argv("--syscall-limit=3", "-e", "trace=getppid", prog, "10"))
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == b"TracerPid:\t0\n"
    entries = [line for line in proc.stderr.decode().splitlines() if line.startswith("getppid(")]
    assert len(entries) == 3, proc.stderr.decode()


def test_kill_on_exit_kills_attached_processes(tmp_path):
    """--kill-on-exit with -p: when atrace is stopped, the processes it
    traced are killed instead of let go."""
    target = subprocess.Popen(["sleep", "60"], start_new_session=True)
    tracer = subprocess.Popen(atrace_argv("--kill-on-exit", "-o", tmp_path / "t", "-p", str(target.pid)),
                              env=atrace_env(), stderr=subprocess.PIPE)  # fmt: skip
    try:
        wait_until(lambda: proc_status(target.pid).get("TracerPid", "0") != "0", what="atrace to attach")
        tracer.send_signal(signal.SIGINT)
        tracer.wait(DEFAULT_TIMEOUT)
        assert target.wait(DEFAULT_TIMEOUT) == -signal.SIGKILL
    finally:
        kill_group(target.pid)
        if tracer.poll() is None:
            tracer.kill()


def test_append_mode(program, tmp_path):
    """-A: a second run appends its trace to the -o file."""
    out = tmp_path / "t.txt"
    prog = program("getppid_loop")
    for _ in range(2):
        proc = run(atrace_argv("-A", "--text", "-o", out, "-e", "trace=getppid", prog, "1"))
        assert proc.returncode == 0, describe(proc)
    assert out.read_text().splitlines().count("+++ exited with 0 +++") == 2
    proc = run(atrace_argv("--text", "-o", out, "-e", "trace=getppid", prog, "1"))
    assert out.read_text().splitlines().count("+++ exited with 0 +++") == 1


def test_debug_and_tips(program):
    """-d: a debug line with the ptrace options; --tips: a tip after the
    trace (none with format:none)."""
    prog = program("getppid_loop")
    proc = run(atrace_argv("-d", "--tips=id:2", "-e", "trace=none", prog, "1"))
    lines = proc.stderr.decode().splitlines()
    assert re.fullmatch(r"atrace: ptrace_setoptions = 0x[0-9a-f]+", lines[0]), lines
    assert lines[1] == "+++ exited with 0 +++" and lines[2] == "atrace tip 2:" and len(lines) > 3
    quiet = run(atrace_argv("--tips=format:none", "-e", "trace=none", prog, "1"))
    assert quiet.stderr.decode().splitlines() == ["+++ exited with 0 +++"]


def _strace_or_atrace(tmp_path, options, command):
    """Each tracer's -o text with these options (strace's when installed)."""
    texts = {}
    tracers = {"atrace": atrace_argv("--text")} | ({"strace": ["strace"]} if shutil.which("strace") else {})
    for name, argv in tracers.items():
        out = tmp_path / f"{name}.txt"
        proc = run([*argv, *options, "-o", out, *command])
        assert proc.returncode == 0, describe(proc)
        texts[name] = (proc.stdout.decode(), out.read_text())
    return texts


def test_decode_pids_comm(tmp_path):
    """-Y (--decode-pids=comm): a pid argument shows its command name, and
    with -f each line's pid too."""
    for name, (stdout, text) in _strace_or_atrace(tmp_path, ["-Y", "-e", "trace=kill"],
                                                  ["sh", "-c", "echo $$; kill -0 $$"]).items():  # fmt: skip
        pid = int(stdout)
        assert text.splitlines() == [f"kill({pid}<sh>, 0)".ljust(40) + "= 0", "+++ exited with 0 +++"], name
    texts = _strace_or_atrace(tmp_path, ["-f", "--decode-pids=comm", "-e", "trace=kill"],
                              ["sh", "-c", "echo $$; kill -0 $$"])  # fmt: skip
    for name, (stdout, text) in texts.items():
        pid = int(stdout)
        assert text.splitlines()[0] == f"{pid}<sh> kill({pid}<sh>, 0)".ljust(40) + "= 0", (name, text)


def test_pidns_translation(tmp_path):
    """--pidns-translation: a tracee in a pid namespace of its own sees
    itself as pid 1; the line says which pid that is in atrace's."""
    if run(["unshare", "-Urpf", "true"]).returncode != 0:
        pytest.skip("no user and pid namespaces here (unshare -Urpf)")
    options = ["-f", "--pidns-translation", "-e", "trace=getpid"]
    command = ["unshare", "-Urpf", "sh", "-c", "trap : USR1; echo $$; kill -USR1 $$"]
    for name, (_, text) in _strace_or_atrace(tmp_path, options, command).items():
        lines = [line for line in text.splitlines() if "getpid" in line or "SIGUSR1" in line]
        assert len(lines) == 2, (name, text)
        m = re.fullmatch(r"(\d+) +getpid\(\) += 1 /\* (\d+) in strace's PID NS \*/", lines[0])
        assert m and m.group(1) == m.group(2), (name, lines)
        # the signal's sender (the shell itself) too
        host = m.group(1)
        assert lines[1] == (f"{host:<5} --- SIGUSR1 {{si_signo=SIGUSR1, si_code=SI_USER, "
                            f"si_pid=1 /* {host} in strace's PID NS */, si_uid=0}} ---"), (name, lines)  # fmt: skip
