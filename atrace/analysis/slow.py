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
    for item in pair_calls(events, passthrough=True):
        if not isinstance(item, Call):
            builder.add(item)
            tracker.feed(item)
            continue
        duration = item.duration
        if duration is not None and (include_waits or item.name not in WAITS):
            proc = builder.process(item.tid, item.tgid, item.start)
            paths = [path for _arg, path in tracker.paths(item)]
            entry = blocked.get(proc)
            if entry is None:
                entry = blocked[proc] = Blocked(proc)
            entry.total_ns += duration
            entry.calls += 1
            entry.by_name[item.name] += duration
            for path in paths:
                entry.by_path[path] += duration
            serial += 1
            if len(heap) < top:
                heapq.heappush(heap, (duration, serial, SlowCall(item, proc, paths)))
            elif duration > heap[0][0]:
                heapq.heapreplace(heap, (duration, serial, SlowCall(item, proc, paths)))
        tracker.feed(item)
    slowest = [slow for _d, _s, slow in sorted(heap, key=lambda x: (-x[0], x[1]))]
    ranked = sorted(blocked.values(), key=lambda b: -b.total_ns)[:top]
    return SlowReport(builder.tree, slowest, ranked)
