"""End-to-end: attaching with -p to running, sleeping, stopped and
multi-threaded processes, and detaching cleanly on SIGINT/SIGTERM."""

import mmap
import os
import signal
import struct
import subprocess
import time

import pytest
from conftest import (
    atrace_argv,
    atrace_env,
    kill_group,
    of_type,
    proc_status,
    read_events,
    read_header,
    task_ids,
    wait_until,
)

import atrace

MAX_THREADS = 16  # as in attach_target.c


class Target:
    """A running tests/programs/attach_target, observed through its counter file."""

    def __init__(self, exe, mode, nthreads, tmp_path):
        self.nthreads = nthreads
        self.path = tmp_path / f"counters-{mode}-{nthreads}-{time.monotonic_ns()}"
        self.proc = subprocess.Popen([str(exe), mode, str(self.path), str(nthreads)], start_new_session=True)
        self.pid = self.proc.pid
        wait_until(
            lambda: self.path.exists() and self.path.stat().st_size > 0,
            what=f"{mode} target to create its counter file",
        )
        with open(self.path, "r+b") as f:
            self.map = mmap.mmap(f.fileno(), 8 * (1 + MAX_THREADS))
        wait_until(lambda: all(self.counters()), what=f"all {mode} target threads to run")
        wait_until(lambda: len(task_ids(self.pid)) == nthreads, what="threads to start")

    def counters(self):
        return struct.unpack_from(f"{self.nthreads}Q", self.map, 8)

    def advances(self, within=2.0):
        """True if every worker's counter grows within ``within`` seconds."""
        before = self.counters()
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if all(a > b for a, b in zip(self.counters(), before, strict=False)):
                return True
        return False

    def state(self):
        return proc_status(self.pid).get("State", "gone")

    def tracer_pids(self):
        return {int(proc_status(self.pid, t).get("TracerPid", -1)) for t in task_ids(self.pid)}

    def finish(self, timeout=10):
        """Ask the program to exit; return its exit code."""
        struct.pack_into("Q", self.map, 0, 1)
        os.kill(self.pid, signal.SIGCONT)
        return self.proc.wait(timeout=timeout)

    def kill(self):
        if self.proc.poll() is None:
            kill_group(self.pid)
            self.proc.wait()


@pytest.fixture
def targets(program, tmp_path):
    """``targets(mode, nthreads=1)`` starts an attach_target; all are killed at teardown."""
    started = []

    def start(mode, nthreads=1):
        t = Target(program("attach_target"), mode, nthreads, tmp_path)
        started.append(t)
        return t

    yield start
    for t in started:
        t.kill()


class Tracer:
    """atrace -p ... running in the background, writing its trace to a file."""

    def __init__(self, tmp_path, options, pids):
        self.trace_file = tmp_path / f"attach-{time.monotonic_ns()}.msgpack"
        self.stderr_file = tmp_path / f"attach-{time.monotonic_ns()}.stderr"
        argv = atrace_argv(*options, "-o", self.trace_file, *[a for p in pids for a in ("-p", str(p))])
        with open(self.stderr_file, "wb") as err:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=atrace_env(),
                start_new_session=True,
            )

    def stop(self, sig, timeout=30):
        os.kill(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(self.proc.pid)
            self.proc.wait()
            pytest.fail(f"atrace did not exit within {timeout} s of {sig.name}\n{self.stderr()}")
        assert "Traceback" not in self.stderr(), self.stderr()
        # Detached by a signal, atrace ends by that signal, as strace does
        # (a shell sees 128 + N: 143 for SIGTERM).
        assert self.proc.returncode == -sig, (self.proc.returncode, self.stderr())

    def stderr(self):
        return self.stderr_file.read_text(errors="replace")

    def kill(self):
        if self.proc.poll() is None:
            kill_group(self.proc.pid)
            self.proc.wait()


@pytest.fixture
def tracer(tmp_path):
    """``tracer(options, pids)`` starts atrace -p; killed at teardown if still running."""
    started = []

    def start(options, pids):
        t = Tracer(tmp_path, options, pids)
        started.append(t)
        return t

    yield start
    for t in started:
        t.kill()


def wait_traced_by(targets_, tracer_pid, timeout=20):
    """Waits until every thread of every target is traced by atrace.

    TracerPid in /proc/PID/status is the *thread* id of the tracing thread
    (atrace traces from a dedicated thread), so it must be one of atrace's
    tids, not necessarily its pid.
    """

    def traced():
        tracer_tids = set(task_ids(tracer_pid))
        return all(t.tracer_pids() <= tracer_tids for t in targets_)

    wait_until(traced, timeout=timeout, what=f"every target thread to be traced by atrace ({tracer_pid})")


def test_attach_running_sleeping_and_stopped_then_sigint(targets, tracer):
    """-p on a busy process, a sleeping one and a SIGSTOPped one; then SIGINT.

    Covers PTRACE_SEIZE/INTERRUPT of a task in user mode, of a task blocked
    in nanosleep (the sleep is restarted with restart_syscall and must not
    return EINTR), and of a task in group-stop (which must stay stopped while
    traced and after the detach, and continue only on SIGCONT).  After
    SIGINT, atrace detaches from every task and exits.
    """
    busy = targets("busy")
    sleeper = targets("sleep")
    stopped = targets("sleep")
    os.kill(stopped.pid, signal.SIGSTOP)
    wait_until(lambda: stopped.state().startswith("T"), what="SIGSTOP to take effect")

    at = tracer(["-f"], [busy.pid, sleeper.pid, stopped.pid])
    wait_traced_by([busy, sleeper, stopped], at.proc.pid)
    # while traced: the running and sleeping ones run on, the stopped one not
    assert busy.advances(), "busy target does not run while traced"
    assert sleeper.advances(), "sleeping target does not wake up while traced"
    frozen = stopped.counters()
    time.sleep(0.3)
    assert stopped.counters() == frozen, "the stopped target ran while traced"

    at.stop(signal.SIGINT)

    for t in (busy, sleeper, stopped):
        assert t.tracer_pids() == {0}, f"pid {t.pid} still traced"
    assert busy.advances(), "busy target stopped running after the detach"
    assert sleeper.advances(), "sleeping target stopped waking up after the detach"
    assert sleeper.state()[0] in "SR"
    assert stopped.state().startswith("T (stopped)"), stopped.state()
    time.sleep(0.3)
    assert stopped.counters() == frozen, "the stopped target was resumed by the detach"
    os.kill(stopped.pid, signal.SIGCONT)
    assert stopped.advances(), "the stopped target did not continue after SIGCONT"

    # nanosleep never failed in any target, and each exits normally
    assert [t.finish() for t in (busy, sleeper, stopped)] == [61, 61, 61]

    events = read_events(at.trace_file)
    header = read_header(at.trace_file)
    assert header.meta["command"] is None
    assert sorted(header.meta["attach"]) == sorted([busy.pid, sleeper.pid, stopped.pid])
    pids = {busy.pid, sleeper.pid, stopped.pid}
    assert {e.tid for e in of_type(events, atrace.Attached)} == pids
    assert {e.tid for e in of_type(events, atrace.Detached)} == pids
    assert len(of_type(events, atrace.Attached)) == 3
    assert len(of_type(events, atrace.Detached)) == 3
    assert not of_type(events, atrace.Exit)
    assert isinstance(events[-1], atrace.Trailer)


def test_attach_multithreaded_process_attaches_every_thread(targets, tracer):
    """-p PID (without -f) on a 4-thread process, then SIGTERM.

    Covers attaching to every thread listed in /proc/PID/task (a tracer
    attaches per task, not per process), and detaching them all on SIGTERM:
    afterwards no thread is traced and all four run on.
    """
    target = targets("sleep", nthreads=4)
    tids = task_ids(target.pid)
    assert len(tids) == 4

    at = tracer([], [target.pid])
    wait_traced_by([target], at.proc.pid)
    assert target.advances(), "threads do not run while traced"
    at.stop(signal.SIGTERM)

    assert target.tracer_pids() == {0}
    assert target.advances(), "threads stopped running after the detach"
    assert target.finish() == 61

    events = read_events(at.trace_file)
    attached = of_type(events, atrace.Attached)
    assert sorted(e.tid for e in attached) == tids
    assert all(e.tgid == target.pid for e in attached)
    assert sorted(e.tid for e in of_type(events, atrace.Detached)) == tids
    # the threads' nanosleeps were traced while attached
    sleeping_tids = {e.tid for e in of_type(events, atrace.SyscallEntry, name="clock_nanosleep")}
    assert sleeping_tids == set(tids)
