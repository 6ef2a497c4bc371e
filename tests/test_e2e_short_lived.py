"""Children reaped before their parent's fork event is read (see
tests/programs/vfork_quick_exit.c): the trace must end, and record them."""

from __future__ import annotations

from conftest import of_type

import atrace


def test_children_that_exit_before_their_parents_fork_event(program, trace_set) -> None:
    proc, events = trace_set([program("vfork_quick_exit")], "none")
    assert proc.returncode == 0
    root = events[1].tid
    worker = of_type(events, atrace.Spawn, tid=root)[0].child_tid
    spawns = of_type(events, atrace.Spawn, tid=worker)
    assert len(spawns) == 200
    assert sorted(s.kind for s in spawns) == ["fork"] * 100 + ["vfork"] * 100
    children = {s.child_tid for s in spawns}
    exits = {e.tid for e in of_type(events, atrace.Exit, code=7)}
    assert children == exits
