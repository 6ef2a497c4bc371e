"""The slowest system calls, and the processes that spent the most time blocked.

"Blocked" is wall-clock time inside syscalls. Waiting for children
(wait4, waitid) is left out by default: a make or a shell spends its whole
life there, which says nothing about what was slow.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..events import records as R
from .calls import Call, pair_calls
from .paths import PathTracker
from .proctree import Process, ProcessTree, TreeBuilder

WAITS = frozenset({"wait4", "waitid", "waitpid"})


@dataclass(slots=True)
class SlowCall:
    call: Call
    process: Process
    paths: list[str]


@dataclass(slots=True)
class Blocked:
    """Time one process spent inside syscalls."""

    process: Process
    total_ns: int = 0
    calls: int = 0
    by_name: Counter[str] = field(default_factory=Counter)  # ns per syscall name
    by_path: Counter[str] = field(default_factory=Counter)  # ns per file touched


@dataclass(slots=True)
class SlowReport:
    tree: ProcessTree
    slowest: list[SlowCall]
    blocked: list[Blocked]


def slow_report(events: Iterable[R.Event], *, top: int = 20, include_waits: bool = False) -> SlowReport:
    builder = TreeBuilder()
    tracker = PathTracker()
    heap: list[tuple[int, int, SlowCall]] = []  # min-heap of the `top` slowest so far
    blocked: dict[Process, Blocked] = {}
    serial = 0  # tie-breaker so the heap never compares SlowCalls
    skipped = frozenset() if include_waits else WAITS
    tracked = PathTracker.CALLS
    # The last call's task and process: a task makes many calls in a row.
    last_tid = -1
    proc: Process | None = None
    entry: Blocked | None = None
    for item in pair_calls(events, passthrough=True):
        if type(item) is not Call:
            builder.add(item)  # type: ignore[arg-type]
            tracker.feed(item)
            last_tid = -1  # a lifecycle record may end or replace the process
            continue
        end = item.end
        if end is None:
            continue  # unfinished: no duration, and it changed nothing
        name = item.name
        paths = tracker.path_map(item)
        if name not in skipped:
            duration = end - item.start
            if item.tid != last_tid or proc is None or entry is None:
                proc = builder.process(item.tid, item.tgid, item.start)
                entry = blocked.get(proc)
                if entry is None:
                    entry = blocked[proc] = Blocked(proc)
                last_tid = item.tid
            entry.total_ns += duration
            entry.calls += 1
            by_name = entry.by_name
            by_name[name] = by_name.get(name, 0) + duration
            if paths:
                by_path = entry.by_path
                for path in paths.values():
                    by_path[path] = by_path.get(path, 0) + duration
            if len(heap) < top or duration > heap[0][0]:
                serial += 1
                slow = (duration, serial, SlowCall(item, proc, list(paths.values())))
                if len(heap) < top:
                    heapq.heappush(heap, slow)
                else:
                    heapq.heapreplace(heap, slow)
        if name in tracked:
            tracker.feed(item, paths)
    slowest = [slow for _d, _s, slow in sorted(heap, key=lambda x: (-x[0], x[1]))]
    ranked = sorted(blocked.values(), key=lambda b: -b.total_ns)[:top]
    return SlowReport(builder.tree, slowest, ranked)
