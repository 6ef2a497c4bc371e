"""`atrace tail` against real traces: live while the tracer still runs (a
growing file, and a listening tracer with two tails at once), --no-follow on
a cut file, bad input, filters, colour."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import (
    assert_no_traceback,
    atrace_argv,
    atrace_env,
    cut_between_records,
    cut_inside_a_record,
    describe,
    kill_group,
    run,
    unix_socket_clients,
    wait_until,
)

import atrace


def gated_program(gate: Path) -> list[str]:
    """A program that writes a marker, waits until the test writes a line to
    the fifo ``gate``, then writes another: a tail that shows the first
    marker while the second cannot exist yet is live, whatever the load."""
    os.mkfifo(gate)
    return ["sh", "-c", f"echo first-marker; read x < {gate}; echo second-marker"]


def open_gate(gate: Path) -> None:
    with open(gate, "w") as fifo:
        fifo.write("go\n")


ANSI = re.compile(rb"\x1b\[[0-9;]*m")


class Lines:
    """A process's stdout lines, collected by a thread as they come."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.lines: list[tuple[float, str]] = []
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.append((time.monotonic(), raw.decode(errors="replace")))

    def find(self, text: str) -> float | None:
        return next((when for when, line in self.lines if text in line), None)

    def text(self) -> str:
        return "".join(line for _when, line in self.lines)

    def wait(self, timeout: float = 30) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(self.proc.pid)
            pytest.fail(f"tail did not end by itself; it printed:\n{self.text()[-2000:]}")
        self._thread.join(timeout=5)
        return code


def start(argv: list[object], **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(a) for a in argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=atrace_env(), start_new_session=True,
                            **kwargs)  # type: ignore[call-overload]  # fmt: skip


@pytest.fixture
def finished_trace(tmp_path: Path) -> Path:
    trace = tmp_path / "done.atrace"
    proc = run(atrace_argv("-f", "-o", trace, "--", "sh", "-c", "cat /etc/hostname /nonexistent; ls / >/dev/null"))
    assert_no_traceback(proc)
    return trace


def test_tail_follows_a_file_while_the_tracer_writes_it(tmp_path: Path) -> None:
    trace = tmp_path / "live.atrace"
    gate = tmp_path / "gate"
    tracer = start(atrace_argv("-f", "-o", trace, "--", *gated_program(gate)))
    try:
        wait_until(lambda: trace.exists() and trace.stat().st_size > 0, what="the trace file")
        tail = Lines(start(atrace_argv("tail", trace)))
        wait_until(lambda: tail.find("first-marker"), what="the first marker in tail's output")
        assert tracer.poll() is None, "the tracer ended before tail showed anything: not a live test"
        assert tail.find("second-marker") is None
        open_gate(gate)
        assert tail.wait() == 0  # ends by itself at the trailer
        assert tail.find("second-marker") is not None
        assert tail.lines[-1][1].startswith("+++ exited with 0 +++")
    finally:
        kill_group(tracer.pid)
        tracer.wait()


def test_tail_of_a_killed_tracer_ends_by_itself(tmp_path: Path) -> None:
    trace = tmp_path / "killed.atrace"
    tracer = start(atrace_argv("-f", "-o", trace, "--", "sh", "-c", "echo first-marker; sleep 30"))
    try:
        wait_until(lambda: trace.exists() and trace.stat().st_size > 0, what="the trace file")
        tail = Lines(start(atrace_argv("tail", trace)))
        wait_until(lambda: tail.find("first-marker"), timeout=30, what="the first marker in tail's output")
        os.kill(tracer.pid, signal.SIGKILL)  # no trailer will ever come
        assert tail.wait(timeout=10) == 1
        assert tail.proc.stderr is not None
        assert b"exited without finishing" in tail.proc.stderr.read()
    finally:
        kill_group(tracer.pid)
        tracer.wait()


def test_two_tails_watch_one_listening_tracer(tmp_path: Path) -> None:
    sock = tmp_path / "live.sock"
    start_gate, gate = tmp_path / "start", tmp_path / "gate"
    os.mkfifo(start_gate)
    program = gated_program(gate)
    program[-1] = f"read x < {start_gate}; " + program[-1]
    tracer = start(atrace_argv("-f", "--listen", f"unix:{sock}", "-o", tmp_path / "t.atrace", "--", *program))
    try:
        wait_until(sock.exists, what="the listening socket")
        tails = [Lines(start(atrace_argv("tail", f"unix:{sock}"))) for _ in range(2)]
        # Both tails connected before anything is written: neither can miss it.
        wait_until(lambda: unix_socket_clients(sock) >= 2, what="both tails to connect")
        open_gate(start_gate)
        for tail in tails:
            wait_until(lambda t=tail: t.find("first-marker"), what="the first marker")
        assert tracer.poll() is None, "the tracer ended before the tails showed anything"
        for tail in tails:
            assert tail.find("second-marker") is None
        open_gate(gate)
        for tail in tails:
            assert tail.wait() == 0, tail.proc.stderr.read() if tail.proc.stderr else ""  # type: ignore[union-attr]
            assert tail.find("second-marker") is not None
            assert "+++ exited with 0 +++" in tail.lines[-1][1]
    finally:
        kill_group(tracer.pid)
        tracer.wait()


def test_no_follow_prints_the_trace_as_the_tracer_would(finished_trace: Path) -> None:
    proc = run(atrace_argv("tail", "--no-follow", finished_trace))
    assert proc.returncode == 0, describe(proc)
    text = proc.stdout.decode()
    assert 'openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)' in text
    assert text.rstrip().endswith("+++ exited with 0 +++")
    assert not ANSI.search(proc.stdout)  # not a terminal: plain text


def test_tail_reads_stdin(finished_trace: Path) -> None:
    proc = run(atrace_argv("tail", "-"), input=finished_trace.read_bytes())
    assert proc.returncode == 0 and proc.stdout == run(atrace_argv("tail", "--no-follow", finished_trace)).stdout


@pytest.mark.parametrize("where", [cut_inside_a_record, cut_between_records])
def test_no_follow_on_a_cut_trace(finished_trace: Path, tmp_path: Path, where: Callable[[bytes], int]) -> None:
    data = finished_trace.read_bytes()
    cut = tmp_path / "cut.atrace"
    cut.write_bytes(data[: where(data)])
    complete = [e for e in atrace.read(cut) if isinstance(e, atrace.SyscallExit)]
    proc = run(atrace_argv("tail", "--no-follow", cut))
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stderr.decode().count("\n") == 1 and b"cut short" in proc.stderr, describe(proc)
    assert proc.stdout.count(b"\n") >= len(complete)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", b"not an atrace trace"),
        (b"just some text\n", b"not an atrace trace"),
        (os.urandom(64), b"atrace: "),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, content: bytes, message: bytes) -> None:
    path = tmp_path / "bad"
    path.write_bytes(content)
    proc = run(atrace_argv("tail", "--no-follow", path))
    assert_no_traceback(proc)
    assert proc.returncode == 1 and message in proc.stderr and proc.stderr.count(b"\n") == 1, describe(proc)


def test_corrupt_body_after_a_good_header(finished_trace: Path, tmp_path: Path) -> None:
    data = bytearray(finished_trace.read_bytes())
    data[600:700] = b"\xc1" * 100  # 0xc1 is never valid msgpack
    bad = tmp_path / "corrupt.atrace"
    bad.write_bytes(bytes(data))
    proc = run(atrace_argv("tail", "--no-follow", bad))
    assert_no_traceback(proc)
    assert proc.returncode == 1 and proc.stderr.startswith(b"atrace: ") and b"corrupt" in proc.stderr
    assert proc.stderr.count(b"\n") == 1, describe(proc)
    missing = run(atrace_argv("tail", tmp_path / "absent.atrace"))
    assert missing.returncode == 1 and missing.stderr.count(b"\n") == 1 and b"cannot open" in missing.stderr


def syscall_lines(text: str) -> list[str]:
    lines = [re.sub(r"^\[pid\s+\d+\] ", "", line) for line in text.splitlines()]
    return [line for line in lines if not line.startswith(("+++", "---"))]


def test_trace_and_status_filters(finished_trace: Path) -> None:
    only_open = run(atrace_argv("tail", "--no-follow", "-e", "trace=openat,execve", finished_trace))
    lines = syscall_lines(only_open.stdout.decode())
    assert lines and all(line.startswith(("openat(", "execve(", "<... openat", "<... execve")) for line in lines)
    failed = run(atrace_argv("tail", "--no-follow", "-e", "status=failed", finished_trace))
    lines = syscall_lines(failed.stdout.decode())
    assert lines and all(re.search(r"= -1 E[A-Z]+ ", line) for line in lines), lines
    assert any('"/nonexistent"' in line for line in lines)
    classes = run(atrace_argv("tail", "--no-follow", "-e", "trace=%process", finished_trace))
    names = {re.match(r"(?:<\.\.\. )?(\w+)", line).group(1) for line in syscall_lines(classes.stdout.decode())}  # type: ignore[union-attr]
    assert names and names <= {"execve", "clone", "clone3", "fork", "vfork", "wait4", "exit_group", "exit"}
    regex = run(atrace_argv("tail", "--no-follow", "-e", "trace=/^open", finished_trace))
    names = {re.match(r"(?:<\.\.\. )?(\w+)", line).group(1) for line in syscall_lines(regex.stdout.decode())}  # type: ignore[union-attr]
    assert names and all(name.startswith("open") for name in names)
    no_signals = run(atrace_argv("tail", "--no-follow", "-e", "signal=none", finished_trace)).stdout.decode()
    assert "--- SIGCHLD" in run(atrace_argv("tail", "--no-follow", finished_trace)).stdout.decode()
    assert "--- SIG" not in no_signals
    bad = run(atrace_argv("tail", "-e", "trace=nosuchcall", finished_trace))
    assert bad.returncode == 1 and bad.stderr.count(b"\n") == 1 and b"nosuchcall" in bad.stderr


def test_pid_and_path_filters(finished_trace: Path) -> None:
    events = list(atrace.read(finished_trace))
    root = next(e.tid for e in events if isinstance(e, atrace.SyscallEntry))
    cat = next(e.tgid for e in events if isinstance(e, atrace.Exec) and e.argv[0] == "cat")
    alone = run(atrace_argv("tail", "--no-follow", "--always-show-pid", "--pid", root, finished_trace))
    pids = set(re.findall(r"^\[pid\s+(\d+)\]", alone.stdout.decode(), re.M))
    assert pids == {str(root)}
    family = run(atrace_argv("tail", "--no-follow", "--always-show-pid", "--pid", root, "-f", finished_trace))
    assert str(cat) in set(re.findall(r"^\[pid\s+(\d+)\]", family.stdout.decode(), re.M))
    on_path = run(atrace_argv("tail", "--no-follow", "-P", "/etc/hostname", finished_trace))
    lines = syscall_lines(on_path.stdout.decode())
    assert any(line.startswith('openat(AT_FDCWD, "/etc/hostname"') for line in lines)
    assert any(line.startswith("read(") for line in lines)  # through the fd it opened
    assert all("/etc/hostname" in line or line.startswith(("read(", "close(", "fstat(", "newfstatat(",
                                                              "fadvise64(", "mmap(", "<... "))
               for line in lines), lines  # fmt: skip


def test_colour_when_asked(finished_trace: Path) -> None:
    proc = run(atrace_argv("tail", "--no-follow", "--color", "always", finished_trace))
    assert proc.returncode == 0
    assert ANSI.search(proc.stdout)
    plain = ANSI.sub(b"", proc.stdout)
    assert plain == run(atrace_argv("tail", "--no-follow", finished_trace)).stdout
    error_line = next(line for line in proc.stdout.splitlines() if b'"/nonexistent", O_RDONLY' in line)
    assert b"\x1b[1;31m= -1 ENOENT" in error_line


def _shown(text: str) -> list[str]:
    """Lines without what differs between two runs: pid prefixes, addresses
    and the column padding."""
    out = []
    for raw in text.splitlines():
        line = re.sub(r"^(\[pid +\d+\] |\d+ +)", "", raw)
        line = re.sub(r"0x[0-9a-f]+", "ADDR", line)
        out.append(re.sub(r"\)\s+= ", ") = ", line))
    return out


@pytest.mark.parametrize(
    "expression",
    [("-e", "status=failed"), ("-e", "trace-fds=3"), ("-P", "/etc/hostname"), ("-e", "trace=%file", "-Z")],
)
def test_tail_filters_as_the_tracer_does(tmp_path: Path, expression: tuple[str, ...]) -> None:
    """The same filters give the same lines live (the tracer's text) and
    offline (tail over a recorded trace): one filter for both."""
    command = ["cat", "/etc/hostname", "/nonexistent"]
    options = [o for o in expression if o != "-Z"]
    live = run(atrace_argv("-f", "--text", "-o", tmp_path / "live.txt", *expression, "--", *command))
    recorded = run(atrace_argv("-f", "-o", tmp_path / "all.atrace", "--", *command))
    assert_no_traceback(live)
    assert_no_traceback(recorded)
    failed_only = ["-e", "status=failed"] if "-Z" in expression else []
    tail = run(atrace_argv("tail", "--no-follow", *options, *failed_only, tmp_path / "all.atrace"))
    assert tail.returncode == 0, tail.stderr.decode()
    want = _shown((tmp_path / "live.txt").read_text())
    assert len(want) > 2
    assert _shown(tail.stdout.decode()) == want
