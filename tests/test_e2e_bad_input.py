"""End-to-end: bad input gives one ``atrace:`` line, a non-zero exit, no
traceback, and leaves no process stopped behind."""

import contextlib
import os
import signal
import socket
import subprocess
import uuid

import pytest
from conftest import atrace_argv, describe, kill_group, proc_status, run, wait_until


def assert_one_error_line(proc):
    lines = proc.stderr.decode(errors="replace").strip().splitlines()
    assert proc.returncode > 0, describe(proc)
    assert b"Traceback" not in proc.stderr, describe(proc)
    assert len(lines) == 1 and lines[0].startswith("atrace:"), describe(proc)
    return lines[0]


def processes_with_marker(marker: str) -> list[int]:
    """pids whose command line contains ``marker`` (a unique string)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(entry))
        except OSError:
            pass
    return found


@pytest.fixture
def marker():
    """A unique argument to spot any process the failed run left behind."""
    m = f"atrace-test-{uuid.uuid4().hex}"
    yield m
    for pid in processes_with_marker(m):  # clean up after a failing test
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def sleeping_shell(marker):
    """A command that would run for 30 s, with ``marker`` in its cmdline ($0)."""
    return ["/bin/sh", "-c", "sleep 30; :", marker]


def assert_nothing_left(marker):
    left = processes_with_marker(marker)
    states = {pid: proc_status(pid).get("State") for pid in left}
    assert not left, f"processes left behind: {states}"


def test_unknown_command(tmp_path):
    """A command name not found on PATH."""
    proc = run(atrace_argv("-f", "-o", tmp_path / "t", "--", "no-such-command-xyzzy"))
    line = assert_one_error_line(proc)
    assert "no-such-command-xyzzy" in line


def test_missing_file(tmp_path):
    """A command path that does not exist."""
    proc = run(atrace_argv("-f", "-o", tmp_path / "t", "--", str(tmp_path / "nope" / "prog")))
    line = assert_one_error_line(proc)
    assert "prog" in line


def test_not_executable_file(tmp_path):
    """A command path that exists but is not executable (execve fails EACCES)."""
    script = tmp_path / "not-exec.sh"
    script.write_text("#!/bin/sh\nexit 0\n")
    os.chmod(script, 0o644)
    proc = run(atrace_argv("-f", "-o", tmp_path / "t", "--", str(script)))
    assert_one_error_line(proc)


def test_bad_option(tmp_path):
    """An option atrace does not know."""
    proc = run(atrace_argv("--no-such-option", "--", "/bin/true"))
    assert_one_error_line(proc)


def test_no_command_and_no_pid():
    """Nothing to trace at all."""
    proc = run(atrace_argv("-f"))
    assert_one_error_line(proc)


def _free_pid() -> int:
    with open("/proc/sys/kernel/pid_max") as f:
        pid_max = int(f.read())
    for pid in range(pid_max - 1, 1, -1):
        if not os.path.exists(f"/proc/{pid}"):
            return pid
    raise AssertionError("no free pid")


@pytest.mark.parametrize("pid", ["999999", "free"], ids=["beyond-pid-max", "unused-pid"])
def test_attach_nonexistent_pid(tmp_path, pid):
    """-p with a pid that does not exist."""
    pid = str(_free_pid()) if pid == "free" else pid
    proc = run(atrace_argv("-o", tmp_path / "t", "-p", pid))
    line = assert_one_error_line(proc)
    assert pid in line


def test_attach_garbage_pid(tmp_path):
    """-p with something that is not a pid."""
    proc = run(atrace_argv("-o", tmp_path / "t", "-p", "twelve"))
    assert_one_error_line(proc)


def test_attach_process_already_traced_by_strace(program, tmp_path):
    """-p on a process that strace already traces: PTRACE_SEIZE fails with
    EPERM.  atrace reports it and leaves the process exactly as it was:
    still traced by strace, still running."""
    counters = tmp_path / "counters"
    target = subprocess.Popen([str(program("attach_target")), "sleep", str(counters), "2"], start_new_session=True)
    strace = subprocess.Popen(
        ["strace", "-f", "-o", os.devnull, "-p", str(target.pid)], stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_until(
            lambda: counters.exists() and len(os.listdir(f"/proc/{target.pid}/task")) == 2, what="target threads"
        )
        tids = sorted(int(t) for t in os.listdir(f"/proc/{target.pid}/task"))
        wait_until(
            lambda: all(proc_status(target.pid, t).get("TracerPid") == str(strace.pid) for t in tids),
            what="strace to attach",
        )
        before = {t: proc_status(target.pid, t)["State"][0] for t in tids}

        proc = run(atrace_argv("-o", tmp_path / "t", "-p", str(target.pid)))
        assert_one_error_line(proc)

        for t in tids:
            st = proc_status(target.pid, t)
            assert st.get("TracerPid") == str(strace.pid), (t, st)
            assert st["State"][0] in "SRt" and before[t] in "SRt", (t, st["State"], before[t])
        counters_before = counters.read_bytes()
        wait_until(lambda: counters.read_bytes() != counters_before, what="the target to keep running")
    finally:
        strace.send_signal(signal.SIGINT)
        try:
            strace.wait(timeout=30)
        finally:
            kill_group(strace.pid)
            kill_group(target.pid)
            target.wait(timeout=30)


def test_output_in_missing_directory(marker):
    """-o /nonexistent/dir/x: the output cannot be created.  The command must
    not be left running or stopped."""
    proc = run(atrace_argv("-f", "-o", "/nonexistent/dir/x", "--", *sleeping_shell(marker)))
    line = assert_one_error_line(proc)
    assert "/nonexistent/dir/x" in line
    assert_nothing_left(marker)


@pytest.mark.parametrize("kind", ["no-socket-file", "bound-but-not-listening"])
def test_output_unix_socket_nobody_listens(tmp_path, marker, kind):
    """-o unix:PATH where nobody listens (no file, or a dead socket file)."""
    path = tmp_path / "nobody.sock"
    if kind == "bound-but-not-listening":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(str(path))
        s.close()
    proc = run(atrace_argv("-f", "-o", f"unix:{path}", "--", *sleeping_shell(marker)))
    line = assert_one_error_line(proc)
    assert str(path) in line
    assert_nothing_left(marker)
