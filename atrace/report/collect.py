"""One pass over a trace, keeping only what the report needs.

A build trace can hold millions of records, so this loop does the least
per record: the process tree is fed only lifecycle records, syscall entries
are remembered per task until their exit (for the slowest calls), and
writes to fd 2 are kept per process (for the failures' stderr). Records are
indexed by position (FORMAT.md's field order) because attribute access on a
NamedTuple costs a function call each.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..analysis.proctree import Process, ProcessTree, TreeBuilder
from ..events import records as R

# Blocking calls kept as candidates for "slowest calls"; the parents
# waiting for their children are filtered out afterwards (jobs.py), when the
# tree says who had a child running.
SLOW_CANDIDATES = 400
# Waiting for a child is never "slow work", whoever does it.
WAITS = frozenset({"wait4", "waitid", "waitpid"})
STDERR_WRITES = frozenset({"write", "pwrite64", "sendto"})
# What a process said on stderr is kept up to this much (the tracer records
# up to 4 KiB per write, docs/FORMAT.md).
STDERR_KEEP = 16384
PROGRESS_EVERY = 250_000


@dataclass(slots=True)
class SlowCall:
    """A finished syscall: name, task, process, start, duration, result, decoded data."""

    name: str
    tid: int
    tgid: int
    start: int
    duration: int
    ret: int
    data: dict[str, Any] | None
    process: Process | None = None


@dataclass(slots=True)
class StderrWrite:
    ts: int
    data: bytes


@dataclass(slots=True)
class Reap:
    """A wait4/waitid that returned a child's pid: `waiter` learnt that `pid` ended."""

    ts: int
    waiter: Process
    pid: int

    def child(self) -> Process | None:
        """The child this reap names: the waiter's last child with that pid started before it."""
        found = None
        for child in self.waiter.children:
            if child.pid == self.pid and child.start <= self.ts:
                found = child
        return found


@dataclass(slots=True)
class BuildFacts:
    """What one pass over the trace found."""

    header: dict[str, Any]
    tree: ProcessTree
    start: int
    end: int
    events: int
    lost: int
    truncated: bool
    slow_calls: list[SlowCall]
    stderr: dict[Process, list[StderrWrite]] = field(default_factory=dict)
    reaps: list[Reap] = field(default_factory=list)  # in time order

    @property
    def wall(self) -> int:
        return max(self.end - self.start, 0)

    def stderr_text(self, proc: Process) -> bytes:
        return b"".join(write.data for write in self.stderr.get(proc, ()))


def collect(
    events: Iterable[R.Event], progress: Callable[[int], None] | None = None, *, truncated: Callable[[], bool]
) -> BuildFacts:
    """Read the whole trace; `progress(records so far)` is called now and then."""
    builder = TreeBuilder()
    add = builder.add
    process = builder.process
    pending: dict[int, Any] = {}  # tid -> its syscall entry still waiting for the exit
    heap: list[tuple[int, int, Any, Any, Process]] = []
    floor = 0  # the shortest duration in the full heap
    stderr: dict[Process, list[StderrWrite]] = {}
    reaps: list[Reap] = []
    kept: dict[Process, int] = {}
    header: dict[str, Any] = {}
    entry_cls, exit_cls = R.SyscallEntry, R.SyscallExit
    first = last = 0
    count = lost = 0
    serial = 0
    next_progress = PROGRESS_EVERY
    # Any: records are indexed by position, whatever their type.
    stream: Iterable[Any] = events
    for event in stream:
        count += 1
        kind = type(event)
        if kind is entry_cls:
            tid = event[2]
            pending[tid] = event
            if event[6] in STDERR_WRITES and event[7][0] == 2 and event[8]:
                data = event[8].get("buf")
                if isinstance(data, (bytes, str)):
                    proc = process(tid, event[3], event[1])
                    used = kept.get(proc, 0)
                    if used < STDERR_KEEP:
                        raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
                        raw = raw[: STDERR_KEEP - used]
                        kept[proc] = used + len(raw)
                        stderr.setdefault(proc, []).append(StderrWrite(event[1], raw))
            continue
        if kind is exit_cls:
            started = pending.pop(event[2], None)
            if started is None:
                continue
            duration = event[1] - started[1]
            if started[6] in WAITS:
                if event[5] > 0:  # reaped this child: what the waiter was waiting for
                    reaps.append(Reap(event[1], process(started[2], started[3], started[1]), event[5]))
            elif duration > floor:
                serial += 1
                item = (duration, serial, started, event, process(started[2], started[3], started[1]))
                if len(heap) < SLOW_CANDIDATES:
                    heapq.heappush(heap, item)
                    if len(heap) == SLOW_CANDIDATES:
                        floor = heap[0][0]
                else:
                    heapq.heapreplace(heap, item)
                    floor = heap[0][0]
            last = event[1]
            continue
        if count >= next_progress and progress is not None:
            progress(count)
            next_progress = count + PROGRESS_EVERY
        if kind is R.Header:
            header = event.meta
            count -= 1
            continue
        if kind is R.Lost:
            lost += event.events
            continue
        if kind is R.Trailer:
            continue
        add(event)
        ts = event[1]
        if not first or ts < first:
            first = ts
        if ts > last:
            last = ts
    tree = builder.tree
    if not first:
        first = min((proc.start for proc in tree.all), default=0)
    slow = []
    for duration, _serial, entry, exit_, owner in sorted(heap, key=lambda item: (-item[0], item[1])):
        slow.append(SlowCall(entry[6], entry[2], entry[3], entry[1], duration, exit_[5], entry[8], owner))
    reaps.sort(key=lambda reap: reap.ts)
    return BuildFacts(header, tree, first, max(last, first), count, lost, truncated(), slow, stderr, reaps)
