"""End-to-end: atrace's own exit status mirrors the root command's end."""

import os
import re
import resource
import signal

from conftest import atrace_argv, atrace_env, describe, exits_by_tid, kill_group, of_type, read_events, root_pid

import atrace


def test_exit_code_is_the_roots_not_a_grandchilds(program, trace_set):
    """The root exits 3, its child 4, and the orphaned grandchild 5 later.

    Covers choosing the status to mirror: the root's, not the last task to
    die.  The grandchild outlives the root and is still traced to its end.
    """
    proc, events = trace_set([program("grandchild_exit")], "none")
    assert proc.returncode == 3, describe(proc)
    m = re.match(rb"grandchild (\d+)\n$", proc.stdout)
    assert m, describe(proc)
    grandchild = int(m.group(1))
    pid = root_pid(events)
    by_tid = exits_by_tid(events)
    [child_spawn] = of_type(events, atrace.Spawn, tid=pid)
    child = child_spawn.child_tid
    assert [e.code for e in by_tid[pid]] == [3]
    assert [e.code for e in by_tid[child]] == [4]
    assert [e.code for e in by_tid[grandchild]] == [5]
    [trailer] = of_type(events, atrace.Trailer)
    assert trailer.summary["exit_code"] == 3
    assert trailer.summary["signal"] is None


def _raise_core_limit():
    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def test_killed_by_sigsegv_atrace_dies_by_sigsegv_without_core(program, tmp_path):
    """The command dies of SIGSEGV: atrace dies of SIGSEGV too, with no core.

    Covers mirroring a fatal signal the way strace does (disable core dumps,
    then raise the signal on itself).  atrace runs with the core limit as
    high as allowed, while the program disables its own core dumps, so a
    core dump or core file can only come from atrace.  The raw wait status
    of atrace is checked for WCOREDUMP.
    """
    trace_file = tmp_path / "t.msgpack"
    argv = atrace_argv("-f", "-o", trace_file, "--", program("segv"))
    pid = os.fork()
    if pid == 0:  # child: a minimal spawn that lets us see the raw wait status
        try:
            os.setsid()
            _raise_core_limit()
            os.chdir(tmp_path)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            err = os.open(tmp_path / "stderr.txt", os.O_WRONLY | os.O_CREAT, 0o644)
            os.dup2(err, 2)
            os.execve(argv[0], argv, atrace_env())
        finally:
            os._exit(127)
    try:
        status = _waitpid_with_timeout(pid, 60)
    finally:
        kill_group(pid)
    stderr = (tmp_path / "stderr.txt").read_bytes()
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")
    assert os.WIFSIGNALED(status), f"status {status:#x}, stderr: {stderr[-2000:]!r}"
    assert os.WTERMSIG(status) == signal.SIGSEGV
    assert not os.WCOREDUMP(status), "atrace dumped core"
    assert not [p for p in os.listdir(tmp_path) if p.startswith("core")]

    events = read_events(trace_file)
    root = root_pid(events)
    [ex] = exits_by_tid(events)[root]
    assert (ex.code, ex.signal, ex.core_dumped) == (None, signal.SIGSEGV, False)
    sigs = of_type(events, atrace.Signal, tid=root)
    assert [s.signo for s in sigs] == [signal.SIGSEGV]


def test_killed_by_sigabrt_returncode(program, trace_set):
    """A shell kills itself with SIGABRT: atrace's returncode is -SIGABRT too."""
    proc, events = trace_set(["/bin/sh", "-c", "kill -ABRT $$"], "none")
    assert proc.returncode == -signal.SIGABRT, describe(proc)
    [ex] = exits_by_tid(events)[root_pid(events)]
    assert ex.signal == signal.SIGABRT


def _waitpid_with_timeout(pid, timeout):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        wpid, status = os.waitpid(pid, os.WNOHANG)
        if wpid == pid:
            return status
        time.sleep(0.05)
    kill_group(pid)
    os.waitpid(pid, 0)
    raise AssertionError(f"atrace did not finish within {timeout} s")
