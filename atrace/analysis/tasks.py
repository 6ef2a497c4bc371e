"""Splitting the merged stream of a trace into one stream per task or process.

The tracer writes the records of all tasks interleaved, in the order it saw
them; each task's own records keep their order (FORMAT.md), so grouping by
tid gives every thread's story and grouping by tgid every process's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..events import records as R

TaskEvent = R.SyscallEntry | R.SyscallExit | R.Spawn | R.Exec | R.Exit | R.Signal | R.Stopped | R.Attached | R.Detached


def split_by_task(events: Iterable[R.Event]) -> dict[int, list[TaskEvent]]:
    """tid -> that task's events, in order. Records without a task (header,
    lost, trailer) are left out. A spawn is listed under its creator; an exec
    under the leader's tid (the id the process has after it)."""
    out: defaultdict[int, list[TaskEvent]] = defaultdict(list)
    for event in events:
        if not isinstance(event, (R.Header, R.Lost, R.Trailer)):
            out[event.tid].append(event)
    return dict(out)


def split_by_process(events: Iterable[R.Event]) -> dict[int, list[TaskEvent]]:
    """tgid -> the events of all threads of that process, in stream order.

    A pid reused by a later process in a long trace lands in the same list;
    use atrace.analysis.build_tree to tell such processes apart.
    """
    out: defaultdict[int, list[TaskEvent]] = defaultdict(list)
    for event in events:
        if not isinstance(event, (R.Header, R.Lost, R.Trailer)):
            out[event.tgid].append(event)
    return dict(out)
