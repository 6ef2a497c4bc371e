"""The CPU time in exit records (docs/FORMAT.md, exit): read from a
process's CPU clocks when its leader was its only task, from /proc per
task otherwise, at the exit event or, when the trace set stops exit or
exit_group, at that call's entry (tracer/task_times.py, Tracer._cpu_time).
Whichever way, the records add up to what the program's own getrusage
says, and a thread's time is never counted in its leader's record."""

from __future__ import annotations

import os
import subprocess
import threading

import pytest
from conftest import atrace_argv, describe, of_type, read_events, run

import atrace
from atrace.tracer.task_times import is_group_leader, proc_tgid, process_cpu_time, split_run_time, task_cpu_time

# every call stops; exit_group's entry stops under seccomp; it does not (only
# the exit event is left); without -f (threads unseen: /proc)
OPTIONS = {
    "full": ["-f"],
    "process-set": ["-f", "-e", "trace=%process"],
    "file-set": ["-f", "-e", "trace=%file"],
    "no-follow": ["-e", "trace=%process"],
}
MS = 1_000_000


@pytest.mark.parametrize("how", ["exit_group", "exit", "kill", "thread"])
@pytest.mark.parametrize("options", OPTIONS.values(), ids=list(OPTIONS))
def test_exit_records_add_up_to_the_programs_own_rusage(program, tmp_path, how: str, options: list[str]) -> None:
    trace = tmp_path / "cpu.atrace"
    proc = run(atrace_argv(*options, "-o", trace, program("cpu_exit"), how))
    assert proc.returncode == (-9 if how == "kill" else 0), describe(proc)
    user, system = map(int, proc.stdout.split())
    exits = of_type(read_events(trace), atrace.Exit)
    unseen_thread = how == "thread" and options[0] != "-f"
    assert len(exits) == (2 if how == "thread" and not unseen_thread else 1), exits
    assert all(e.utime is not None and e.stime is not None for e in exits), exits
    traced = sum(e.utime + e.stime for e in exits)
    leader = next(e for e in exits if e.tid == e.tgid)
    if unseen_thread:
        # without -f the thread has no record, and its time is not its leader's
        assert leader.utime + leader.stime < user + system - 50 * MS, (user, system, exits)
        return
    # what it used after its getrusage (printf, exit) is a few ms at most
    assert user + system - 10 * MS <= traced <= user + system + 30 * MS, (user, system, exits)
    assert leader.stime > 0  # reading /dev/zero is system time
    assert (leader.signal, leader.code) == ((9, None) if how == "kill" else (None, 0))
    if how != "thread":
        assert leader.utime > 50 * MS
    else:
        # the spinning thread's time is its own, not its leader's
        (spinner,) = (e for e in exits if e.tid != e.tgid)
        assert spinner.utime > 50 * MS
        assert leader.utime < spinner.utime / 2


def test_a_busy_process_cpu_time_from_its_clocks_and_from_proc() -> None:
    """A single-threaded process that computed for a while: its clocks
    give schedstat's run time exactly, as /proc's reading does, split about
    as /proc's ticks split it; a gone process has none."""
    child = subprocess.Popen(["sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; read x"],
                             stdin=subprocess.PIPE)  # fmt: skip
    try:
        while True:  # until it has finished the loop (then it blocks in read)
            with open(f"/proc/{child.pid}/stat", "rb") as f:
                if f.read().rsplit(b")", 1)[1].split()[0] == b"S":
                    break
        user, system = process_cpu_time(child.pid)
        proc_user, proc_system = task_cpu_time(child.pid, child.pid)
        with open(f"/proc/{child.pid}/schedstat", "rb") as f:
            total = int(f.read().split()[0])
        assert user is not None and system is not None and proc_user is not None and proc_system is not None
        assert user + system == total == proc_user + proc_system
        assert user > total // 2 and proc_user > total // 2
    finally:
        child.communicate(b"\n", timeout=30)
    assert process_cpu_time(child.pid) == (None, None)
    assert task_cpu_time(child.pid, child.pid) == (None, None)


def test_a_threads_group_its_leader_and_a_gone_task() -> None:
    """Only a thread-group leader has a process clock: a thread's tgid is
    its process's pid (from /proc), a leader's itself; a task that is gone
    has neither."""
    ready, go = threading.Event(), threading.Event()
    seen: list[int] = []

    def worker() -> None:
        seen.append(threading.get_native_id())
        ready.set()
        go.wait(10)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert ready.wait(10)
        assert seen[0] != os.getpid()
        assert is_group_leader(os.getpid()) and not is_group_leader(seen[0])
        assert proc_tgid(seen[0]) == proc_tgid(os.getpid()) == os.getpid()
        assert process_cpu_time(seen[0]) == (None, None)
    finally:
        go.set()
        thread.join()
    child = subprocess.Popen(["true"])
    child.wait()
    assert not is_group_leader(child.pid)
    assert proc_tgid(child.pid) is None


def test_run_time_split() -> None:
    assert split_run_time(1000, 0, 0) == (1000, 0)
    assert split_run_time(1000, 5, 0) == (1000, 0)
    assert split_run_time(1000, 0, 5) == (0, 1000)
    assert split_run_time(1000, 1, 3) == (250, 750)
