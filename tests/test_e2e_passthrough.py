"""Tasks carrying atrace's seccomp filter are passed through, never detached.

The filter cannot be removed, and a call it marks TRACE fails with ENOSYS
in a task without a tracer: detached, the command would be changed (its
execs fail). So when atrace stops recording under seccomp (its own failure,
a fatal signal) it stays the tracer and restarts every stop at once until
the command ends (tracer/passthrough.py). The probe program does, after
the moment atrace stops recording, what such a task could not do detached:
signals to a handler, a child's group-stop seen by waitpid(WUNTRACED),
a forked child that execs, a traced call; its output must be the untraced
run's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DEFAULT_TIMEOUT, atrace_argv, atrace_env

# openat's path reader raises on a path holding "trigger": the tracer
# thread fails while the probe is held at that call's seccomp stop.
CRASHING_READER = """
import sys
from atrace.tracer import decoding

original = decoding.Decoder.entry_reader

def entry_reader(self, kind, arch, call):
    reader = original(self, kind, arch, call)
    if call != "openat":
        return reader
    def failing(*args):
        value = reader(*args)
        if b"trigger" in (value if isinstance(value, bytes) else str(value).encode()):
            raise RuntimeError("injected reader failure")
        return value
    return failing

decoding.Decoder.entry_reader = entry_reader
from atrace.cli import main
sys.exit(main(sys.argv[1:]))
"""

# The stop loop fails while the probe is held at a signal-delivery stop
# (SIGUSR1, which must still reach its handler) or at its child's
# group-stop (which must be kept: PTRACE_LISTEN), after the trigger's open.
CRASHING_HANDLER = """
import signal, sys
from atrace.tracer import loop

original = loop.Tracer.{name}

def failing(self, task, *args):
    if {condition}:
        raise RuntimeError("injected {what} failure")
    return original(self, task, *args)

loop.Tracer.{name} = failing
from atrace.cli import main
sys.exit(main(sys.argv[1:]))
"""
PATCHES = {
    "reader": CRASHING_READER,
    "signal": CRASHING_HANDLER.format(name="_on_signal_stop", condition="args[0] == signal.SIGUSR1", what="signal"),
    "group-stop": CRASHING_HANDLER.format(
        name="_on_event_stop", condition="args == (128, signal.SIGSTOP) and not task.hidden", what="group-stop"
    ),
}

EXEC_COMMAND = "echo exec ran; cat /dev/null"
UNTRACED_OUTPUT = [
    "handled 3",
    "stopped Stopped (signal)",
    "still stopped yes",
    "child exited 7",
    "exec ran",
    "exec child exited 0",
    "open ok",
]


def _untraced(probe: Path, tmp_path: Path) -> list[str]:
    proc = subprocess.run([probe, tmp_path / "trigger-untraced", EXEC_COMMAND], capture_output=True,
                          timeout=DEFAULT_TIMEOUT)  # fmt: skip
    assert proc.returncode == 0, proc
    lines = proc.stdout.decode().splitlines()
    assert lines == [*UNTRACED_OUTPUT, "untraced"]
    return lines


def run_patched(patch: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """atrace's cli run in-process after `patch` (a failure injected)."""
    return subprocess.run([sys.executable, "-c", patch, *args], env=atrace_env(), capture_output=True,
                          timeout=DEFAULT_TIMEOUT)  # fmt: skip


def _crash(probe: Path, tmp_path: Path, *options: str, patch: str = CRASHING_READER) -> subprocess.CompletedProcess:
    return run_patched(patch, "-f", *options, "-e", "trace=openat", "-o", str(tmp_path / "t.txt"),
                       "--text", str(probe), str(tmp_path / "trigger"), EXEC_COMMAND, "300")  # fmt: skip


@pytest.mark.parametrize("where", list(PATCHES))
def test_failure_under_seccomp_passes_the_command_through(program, tmp_path: Path, where: str) -> None:
    """The loop fails with the probe held at a seccomp stop, at a signal's
    delivery or at a group-stop: it is restarted as that stop requires, and
    everything after runs as untraced."""
    probe = program("passthrough_probe")
    untraced = _untraced(probe, tmp_path)
    proc = _crash(probe, tmp_path, patch=PATCHES[where])  # seccomp-bpf is automatic here
    stderr = proc.stderr.decode()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 2, stderr
    what = "reader" if where == "reader" else where
    assert lines[0].startswith(f"atrace: stopped recording (atrace failed: RuntimeError('injected {what} failure'))")
    assert "waits for it to end" in lines[0]
    assert lines[1].startswith("atrace: internal error") and f"injected {what} failure" in lines[1]
    # atrace waited for the command: its whole output is there, as untraced,
    # though it was still atrace's tracee (passed through, not detached).
    out = proc.stdout.decode().splitlines()
    assert out[:-1] == untraced[:-1], out
    assert out[-1] == "traced"
    # What came before the failure was recorded; nothing after it.
    trace = (tmp_path / "t.txt").read_text()
    assert "ld.so.cache" in trace
    assert ("trigger" in trace) == (where != "reader")
    assert "/dev/null" not in trace


def test_failure_without_seccomp_still_detaches(program, tmp_path: Path) -> None:
    """No filter, nothing to protect: the tasks are detached at once, as
    before (the probe sees no tracer)."""
    probe = program("passthrough_probe")
    untraced = _untraced(probe, tmp_path)
    proc = _crash(probe, tmp_path, "--seccomp-bpf=off")
    stderr = proc.stderr.decode()
    assert proc.returncode == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("atrace: internal error"), stderr
    # (subprocess.run waits for the end of the probe's stdout, which the
    # detached probe holds: its output is whole.) Detached, it saw no tracer.
    out = proc.stdout.decode().splitlines()
    assert out == untraced, out


@pytest.mark.parametrize("resident", ["on", "off"])
def test_fatal_signal_under_seccomp_passes_the_tree_through(program, tmp_path: Path, resident: str) -> None:
    """-I2 and SIGTERM while the command ignores it: atrace stops recording,
    the command runs on to its end unchanged, and atrace ends by SIGTERM
    (served by the resident worker, or in-process)."""
    probe = program("passthrough_probe")
    untraced = _untraced(probe, tmp_path)
    trigger, out = tmp_path / "trigger", tmp_path / "out"
    script = f"trap '' TERM; {probe} {trigger} '{EXEC_COMMAND}' 1000 > {out}; echo sh-end"
    proc = subprocess.Popen(
        atrace_argv("-I2", "-f", "-e", "trace=openat", "-o", str(tmp_path / "t.txt"), "--text", "sh", "-c", script),
        env={**atrace_env(), "ATRACE_RESIDENT": resident},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + DEFAULT_TIMEOUT
    while not trigger.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=DEFAULT_TIMEOUT)
    assert proc.returncode == -signal.SIGTERM, stderr
    assert stdout == b"sh-end\n"  # atrace returned after the command's end
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("atrace: stopped recording (SIGTERM)"), lines
    assert out.read_text().splitlines() == [*untraced[:-1], "traced"]
    assert "/dev/null" not in (tmp_path / "t.txt").read_text()


def test_syscall_limit_under_seccomp_passes_the_tree_through(program, tmp_path: Path) -> None:
    """--syscall-limit with -f and a set keeps seccomp-bpf: at the limit the
    tasks are passed through, so the execs after it still work (detached,
    they would fail with ENOSYS), and atrace exits with the command's code."""
    prog = program("getppid_loop")
    script = f"{prog} 10; {prog} 1; exit 3"
    proc = subprocess.run(
        atrace_argv("--syscall-limit=3", "-f", "-e", "trace=getppid", "sh", "-c", script),
        env=atrace_env(),
        capture_output=True,
        timeout=DEFAULT_TIMEOUT,
    )
    stderr = proc.stderr.decode()
    assert proc.returncode == 3, stderr
    # both programs ran (the second exec'd after the limit), still traced
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 2 and all(line.startswith("TracerPid:") and line.split()[1] != "0" for line in lines)
    assert "atrace: stopped recording (--syscall-limit reached)" in stderr
    assert "--seccomp-bpf not used" not in stderr
    assert len([line for line in stderr.splitlines() if "getppid(" in line]) == 3, stderr


def test_threads_forks_and_an_exec_from_a_thread_in_pass_through(program, tmp_path: Path) -> None:
    """After a failure under seccomp: 8 threads making traced calls, a
    non-leader thread's exec (its old tid never dies: the pass-through must
    not wait for it), 200 children that may die before their parent's fork
    event is read (which must not bring them back): all run as untraced and
    atrace ends with them."""
    threads, execer = program("threads_getppid"), program("exec_from_thread")
    forks = program("vfork_quick_exit")
    trigger = tmp_path / "trigger"
    trigger.write_text("")
    exec_out = tmp_path / "exec.out"
    script = f"cat {trigger}; {threads} | wc -l; {execer} > {exec_out}; echo $?; {forks}; echo $?"
    proc = run_patched(CRASHING_READER, "-f", "-e", "trace=openat,getppid,wait4", "-o", str(tmp_path / "t.txt"),
                       "sh", "-c", script)  # fmt: skip
    stderr = proc.stderr.decode()
    assert proc.returncode == 1, stderr
    assert stderr.startswith("atrace: stopped recording (atrace failed: "), stderr
    assert proc.stdout.decode().split() == ["8", "42", "0"]
    assert exec_out.read_text().splitlines()[-1].startswith("after-exec pid ")


def test_signal_while_an_injected_delay_holds_a_task(program, tmp_path: Path) -> None:
    """-e inject=...:delay_enter= holds a task in its stop; SIGTERM then: the
    held call is let go (its entry shown `<detached ...>`), the command
    runs to its end, still traced but passed through."""
    prog = program("getppid_loop")
    trace = tmp_path / "t.txt"
    # (the shell may call getppid itself before the trap: the delay is for
    # the second call on, the program's)
    script = f"trap '' TERM; {prog} 3; echo after-$?"
    proc = subprocess.Popen(
        atrace_argv("-I2", "-f", "-e", "trace=getppid", "-e", "inject=getppid:delay_enter=20s:when=2+",
                    "-o", str(trace), "--text", "sh", "-c", script),
        env=atrace_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    _wait_held(str(prog))
    os.kill(proc.pid, signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=DEFAULT_TIMEOUT)
    assert proc.returncode == -signal.SIGTERM, stderr
    tracer_line, after = stdout.decode().splitlines()
    assert tracer_line.startswith("TracerPid:") and tracer_line.split()[1] != "0"
    assert after == "after-0"
    assert trace.read_text().rstrip().endswith("getppid( <detached ...>")


def _wait_held(program: str) -> None:
    """Until a process running `program` sits in a ptrace-stop (state t)
    across two looks 0.3 s apart: held by the delay, not passing a stop."""
    deadline = time.monotonic() + DEFAULT_TIMEOUT
    seen: set[str] = set()
    while time.monotonic() < deadline:
        held = set()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if not f.read().startswith(program.encode() + b"\0"):
                        continue
                with open(f"/proc/{pid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            if stat[stat.rindex(")") + 2] == "t":
                held.add(pid)
        if held & seen:
            return
        seen = held
        time.sleep(0.3)
    raise AssertionError(f"{program} was never held")
