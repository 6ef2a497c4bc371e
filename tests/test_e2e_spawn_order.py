"""A new task's first stop may be reported before its parent's fork event
(waitpid favours the newest tracees): it waits in that stop until the
event names it, so no record of a task comes before its spawn record
(Tracer._held), with or without seccomp."""

from __future__ import annotations

from conftest import describe

import atrace

SCRIPT = "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do /bin/true & done; wait"


def test_no_record_of_a_task_before_its_spawn_record(trace_set) -> None:
    proc, events = trace_set(["sh", "-c", SCRIPT], "%process")
    assert proc.returncode == 0, describe(proc)
    root = events[0].tid
    first: dict[int, int] = {}
    for index, event in enumerate(events):
        tid = getattr(event, "tid", None)
        if tid is not None:
            first.setdefault(tid, index)
    spawns = [(index, e) for index, e in enumerate(events) if isinstance(e, atrace.Spawn)]
    assert len(spawns) == 20
    for index, spawn in spawns:
        assert first[spawn.child_tid] > index, (spawn, events[first[spawn.child_tid]])
    execs = [e for e in events if isinstance(e, atrace.Exec) and e.tid != root]
    assert len(execs) == 20
