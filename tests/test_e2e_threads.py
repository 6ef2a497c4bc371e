"""End-to-end: multi-threaded tracees (CLONE_THREAD tasks, leader exit)."""

import re

from conftest import describe, exits_by_tid, of_type, root_pid, syscalls

import atrace


def test_eight_threads_every_getppid_recorded(program, trace_set):
    """8 threads x 500 getppid(): no syscall stop of any thread is lost.

    Covers auto-attach of new threads (PTRACE_O_TRACECLONE) and the tracer
    keeping up with many tasks stopping at once: the counts are exact.
    """
    proc, events = trace_set([program("threads_getppid")], "getppid")
    assert proc.returncode == 0, describe(proc)
    printed_tids = {int(t) for t in re.findall(rb"^tid (\d+)$", proc.stdout, re.M)}
    assert len(printed_tids) == 8, describe(proc)

    entries, exits = syscalls(events, "getppid")
    assert len(entries) == 4000
    assert len(exits) == 4000
    assert {e.tid for e in entries} == printed_tids
    assert {e.tid for e in exits} == printed_tids
    for tid in printed_tids:
        assert sum(e.tid == tid for e in entries) == 500, f"tid {tid}"
    pid = root_pid(events)
    assert all(e.tgid == pid for e in entries + exits)
    # every call returned the same parent pid (getppid cannot fail)
    assert len({e.ret for e in exits}) == 1 and exits[0].ret > 0
    # one Spawn per thread, each a clone inside the same thread group
    spawns = of_type(events, atrace.Spawn, tid=pid)
    assert {s.child_tid for s in spawns} == printed_tids
    assert all(s.child_tgid == pid and s.kind == "clone" for s in spawns)


def test_leader_pthread_exit_then_other_thread_exits_process(program, trace_set):
    """The leader calls pthread_exit(); another thread later calls exit(7).

    Covers the zombie-leader case: the leader's exit is reported by the
    kernel only when the whole thread group is gone (delay_group_leader), and
    its status is then the group exit code.  The tracer must let the leader
    finish exiting (the program checks it became a zombie), must not stop
    waiting for the group, and must report code 7 for the process.
    """
    proc, events = trace_set([program("leader_exit")], "exit_group")
    assert proc.returncode == 7, describe(proc)
    assert proc.stdout == b"leader gone\n"

    pid = root_pid(events)
    by_tid = exits_by_tid(events)
    assert len(by_tid.get(pid, [])) == 1, by_tid
    leader_exit = by_tid[pid][0]
    assert leader_exit.code == 7
    assert leader_exit.signal is None
    # the worker thread ended too, with the same group exit code
    workers = [tid for tid in by_tid if tid != pid]
    assert len(workers) == 1, by_tid
    [worker_exit] = by_tid[workers[0]]
    assert worker_exit.code == 7 and worker_exit.signal is None
    # the worker's exit_group has an entry but no exit record
    entries, exits = syscalls(events, "exit_group")
    assert [e.tid for e in entries] == workers
    assert exits == []
