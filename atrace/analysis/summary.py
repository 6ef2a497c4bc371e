"""strace -c style counts: calls, errors and time per syscall name.

Times are wall-clock time inside the call (entry to exit, as `strace -c -w`
reports).  The table is printed by atrace.summary, the tracer's own -c, so
both look and count alike (a call that never returned counts as a call
without time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..events import records as R
from ..summary import Row, format_rows
from .calls import Call, pair_calls
from .proctree import Process, ProcessTree, TreeBuilder


@dataclass(slots=True)
class SyscallStats:
    name: str
    calls: int = 0
    errors: int = 0
    unfinished: int = 0
    total_ns: int = 0
    max_ns: int = 0

    @property
    def average_ns(self) -> float:
        finished = self.calls - self.unfinished
        return self.total_ns / finished if finished else 0.0

    def add(self, call: Call) -> None:
        self.calls += 1
        duration = call.duration
        if duration is None:
            self.unfinished += 1
            return
        self.total_ns += duration
        if duration > self.max_ns:
            self.max_ns = duration
        if call.errno is not None:
            self.errors += 1


Table = dict[str, SyscallStats]

SORT_KEYS: dict[str, Callable[[SyscallStats], object]] = {
    "time": lambda s: (-s.total_ns, s.name),
    "calls": lambda s: (-s.calls, s.name),
    "errors": lambda s: (-s.errors, s.name),
    "avg": lambda s: (-s.average_ns, s.name),
    "max": lambda s: (-s.max_ns, s.name),
    "name": lambda s: s.name,
}


def count(calls: Iterable[Call]) -> Table:
    table: Table = {}
    for call in calls:
        stats = table.get(call.name)
        if stats is None:
            stats = table[call.name] = SyscallStats(call.name)
        stats.add(call)
    return table


def count_by_process(events: Iterable[R.Event]) -> tuple[ProcessTree, dict[Process, Table]]:
    """One table per process (pid reuse kept apart), and the tree they belong to."""
    builder = TreeBuilder()
    tables: dict[Process, Table] = {}
    for item in pair_calls(events, passthrough=True):
        if isinstance(item, Call):
            proc = builder.process(item.tid, item.tgid, item.start)
            table = tables.get(proc)
            if table is None:
                table = tables[proc] = {}
            stats = table.get(item.name)
            if stats is None:
                stats = table[item.name] = SyscallStats(item.name)
            stats.add(item)
        else:
            builder.add(item)
    return builder.tree, tables


def merge(tables: Iterable[Table]) -> Table:
    total: Table = {}
    for table in tables:
        for name, stats in table.items():
            into = total.get(name)
            if into is None:
                into = total[name] = SyscallStats(name)
            into.calls += stats.calls
            into.errors += stats.errors
            into.unfinished += stats.unfinished
            into.total_ns += stats.total_ns
            into.max_ns = max(into.max_ns, stats.max_ns)
    return total


def format_table(table: Table, sort: str = "time") -> str:
    """The table as strace -c prints it, with a total line (atrace.summary's
    formatting, the same as the tracer's -c)."""
    rows = {s.name: Row(s.calls, s.errors, s.total_ns, None, s.max_ns) for s in table.values()}
    return format_rows(rows, sort)
