"""strace -c style counts: calls, errors and time per syscall name.

Times are wall-clock time inside the call (entry to exit, as `strace -c -w`
reports).  Calls are counted into atrace.summary's rows and printed by its
formatter, the tracer's own -c, so both count and look alike (a call that
never returned counts as a call without time).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..events import records as R
from ..summary import Row, Summary, format_rows
from .calls import Call, pair_calls
from .proctree import Process, ProcessTree, TreeBuilder

# Name -> counts. A row is atrace.summary's, so a call counts here exactly
# as in the tracer's own -c.
Table = dict[str, Row]

# The sort orders offered offline: those of the tracer's -S.
SORT_KEYS = ("time", "calls", "errors", "avg", "max", "name")


def _add(table: Table, call: Call) -> None:
    if call.unfinished:
        return  # never returned: not counted, as by the tracer's -c (and strace's)
    row = table.get(call.name)
    if row is None:
        row = table[call.name] = Row()
    row.add(call.duration, call.errno is not None)


def count_events(events: Iterable[R.Event]) -> Table:
    """Every process's calls counted by the tracer's own -c code
    (atrace.summary.Summary), by wall-clock time."""
    summary = Summary(wall_clock=True)
    summary.feed(events)
    summary.finish()
    return {name: row for (_group, name), row in summary.rows.items()}


def count(calls: Iterable[Call]) -> Table:
    table: Table = {}
    for call in calls:
        _add(table, call)
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
            _add(table, item)
        else:
            builder.add(item)
    return builder.tree, tables


def merge(tables: Iterable[Table]) -> Table:
    total: Table = {}
    for table in tables:
        for name, row in table.items():
            into = total.get(name)
            if into is None:
                into = total[name] = Row()
            into.merge(row)
    return total


def format_table(table: Table, sort: str = "time") -> str:
    """The table as strace -c prints it, with a total line (atrace.summary's
    formatting, the same as the tracer's -c)."""
    return format_rows(table, sort)
