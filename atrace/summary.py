"""-c / -C: a table of calls, errors and time per syscall, as strace prints it.

Time per call is, as in strace, the system CPU time the call used (the
`stime` the tracer records with -c, from wait4's rusage at the entry and exit
stops), or with -w (`wall_clock`) the time between the entry and exit stops.
A trace recorded without `stime` is summarised by wall-clock time.  Calls
that never returned (exit_group, a call its task died in) are not counted:
strace counts a call at its return.  Per-process tables (--summary-per-process) are an addition:
strace has only the one table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import AtraceError
from .events import records as R
from .summary_columns import COLUMN_NAMES, DEFAULT_COLUMNS, SORT_BY_COLUMN, format_columns
from .syscalls.abi import is_error

# -S: strace's column names (summary_columns) -> the key the table is sorted by.
SORT_KEYS = {name: SORT_BY_COLUMN[column] for name, column in COLUMN_NAMES.items()}


# -O's units (strace: a number, microseconds unless a unit follows)
_OVERHEAD_UNITS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1000, "ns": 1, "": 1000}


def overhead(option: str, text: str) -> int:
    """-O / --summary-syscall-overhead=: `1`, `4.5e2ms`, `456789012ns` in ns."""
    number = text.rstrip("smun")
    unit = text[len(number) :]
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if unit not in _OVERHEAD_UNITS or not value >= 0:
        raise AtraceError(f"invalid {option} argument: '{text}'")
    return round(value * _OVERHEAD_UNITS[unit])


def sort_key(text: str) -> str:
    key = SORT_KEYS.get(text)
    if key is None:
        raise AtraceError(f"invalid sortby: '{text}'")
    return key


# Where the fields are in a raw record (the tracer's tuples are not typed
# views), from the record definitions in atrace.events.records.
_ENTRY_TS, _ENTRY_TID, _ENTRY_TGID, _ENTRY_NAME = (
    R.SyscallEntry._fields.index(f) for f in ("ts", "tid", "tgid", "name")
)
_EXIT_TS, _EXIT_TID, _EXIT_RET, _EXIT_STIME = (R.SyscallExit._fields.index(f) for f in ("ts", "tid", "ret", "stime"))
# exit, exec and detached records all have tid at the same place.
_TASK_TID = R.Exit._fields.index("tid")
assert R.Exec._fields.index("tid") == _TASK_TID == R.Detached._fields.index("tid")
_EXEC_OLD_TID = R.Exec._fields.index("old_tid")


@dataclass(slots=True)
class Row:
    """One syscall's counts: the one place a call is counted, for the
    tracer's -c and for the offline summaries (atrace.analysis.summary)."""

    calls: int = 0
    errors: int = 0
    time_ns: int = 0
    min_ns: int | None = None
    max_ns: int = 0
    unfinished: int = 0  # calls without time: they never returned

    def add(self, elapsed: int | None, failed: bool) -> None:
        self.calls += 1
        self.errors += failed
        if elapsed is None:
            self.unfinished += 1
            return
        self.time_ns += elapsed
        self.min_ns = elapsed if self.min_ns is None else min(self.min_ns, elapsed)
        self.max_ns = max(self.max_ns, elapsed)

    def merge(self, other: Row) -> None:
        """Add another table's counts for the same call (all processes)."""
        self.calls += other.calls
        self.errors += other.errors
        self.unfinished += other.unfinished
        self.time_ns += other.time_ns
        if other.min_ns is not None:
            self.min_ns = other.min_ns if self.min_ns is None else min(self.min_ns, other.min_ns)
        self.max_ns = max(self.max_ns, other.max_ns)


@dataclass(slots=True)
class Summary:
    """Counts calls from a stream of events (raw tuples or typed records)."""

    sort: str = "time"
    per_process: bool = False
    wall_clock: bool = False
    overhead_ns: int = 0  # -O: taken off each call's time (not below 0), as strace
    columns: tuple[str, ...] = DEFAULT_COLUMNS  # -U
    rows: dict[tuple[int, str], Row] = field(default_factory=dict)  # (tgid or 0, name) -> row
    _entries: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # tid -> (ts, tgid, name)

    def feed(self, events: Iterable[tuple[Any, ...]]) -> None:
        """Pairs entries with exits by the rules of analysis.calls.pair_calls
        (the offline summaries' pairing), on raw tuples."""
        entries = self._entries
        cpu = not self.wall_clock
        for event in events:
            kind = event[0]
            if kind == R.SYSCALL_ENTRY:
                tid = event[_ENTRY_TID]
                if tid in entries:
                    # Two entries without an exit: records were lost.
                    self._unfinished(tid)
                entries[tid] = (event[_ENTRY_TS], event[_ENTRY_TGID], event[_ENTRY_NAME])
            elif kind == R.SYSCALL_EXIT:
                started = entries.pop(event[_EXIT_TID], None)
                if started is not None:
                    # A record from before stime was added ends without it.
                    stime = event[_EXIT_STIME] if cpu and len(event) > _EXIT_STIME else None
                    elapsed = stime if stime is not None else max(event[_EXIT_TS] - started[0], 0)
                    if self.overhead_ns:
                        elapsed = max(elapsed - self.overhead_ns, 0)
                    ret = event[_EXIT_RET]
                    self._row(started[1], started[2]).add(elapsed, is_error(ret))
            elif kind == R.EXIT or kind == R.DETACHED:
                self._unfinished(event[_TASK_TID])
            elif kind == R.EXEC:
                tid, old_tid = event[_TASK_TID], event[_EXEC_OLD_TID]
                if old_tid != tid:
                    # The leader's own call died with the exec; the exec'ing
                    # thread's execve returns under the leader's tid. A
                    # successful execve is timed to its exit, as in strace.
                    self._unfinished(tid)
                    moved = entries.pop(old_tid, None)
                    if moved is not None:
                        entries[tid] = moved

    def finish(self) -> None:
        """The end of the stream: calls still in progress never returned."""
        for tid in list(self._entries):
            self._unfinished(tid)

    def _unfinished(self, tid: int) -> None:
        """The task's call in progress will not return: it is not counted."""
        self._entries.pop(tid, None)

    def _row(self, tgid: int, name: str) -> Row:
        key = (tgid if self.per_process else 0, name)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Row()
        return row

    def render(self) -> str:
        groups = sorted({key[0] for key in self.rows})
        if not self.per_process:
            return format_rows({name: row for (_, name), row in self.rows.items()}, self.sort, self.columns)
        parts = []
        for tgid in groups:
            rows = {name: row for (group, name), row in self.rows.items() if group == tgid}
            parts.append(f"Process {tgid}:\n" + format_rows(rows, self.sort, self.columns))
        return "\n".join(parts)


def _ordered(rows: dict[str, Row], sort: str) -> list[tuple[str, Row]]:
    items = list(rows.items())
    if sort == "nothing":
        return items
    if sort == "name":
        return sorted(items)
    keys = {
        "time": lambda item: -item[1].time_ns,
        "calls": lambda item: -item[1].calls,
        "errors": lambda item: -item[1].errors,
        "avg": lambda item: -(item[1].time_ns / item[1].calls if item[1].calls else 0),
        "min": lambda item: -(item[1].min_ns or 0),
        "max": lambda item: -item[1].max_ns,
    }
    # Ties in name order, as strace's stable sort of an alphabetical list.
    return sorted(sorted(items), key=keys[sort])


def format_rows(rows: dict[str, Row], sort: str, columns: tuple[str, ...] = DEFAULT_COLUMNS) -> str:
    """The table as strace -c prints it, with its total line: the one
    formatting of -c, live and offline (atrace.analysis.summary)."""
    total = Row()
    for row in rows.values():
        total.merge(row)
    return format_columns(_ordered(rows, sort), total, columns)


class SummaryOutput:
    """A session output that counts events and writes the table at the end."""

    def __init__(self, summary: Summary, write: Any) -> None:
        self._summary = summary
        self._write = write  # callable taking the text
        self.lost = 0
        self.failure: str | None = None

    async def start(self) -> None:
        pass

    async def deliver(self, batch: list[tuple[Any, ...]]) -> None:
        self._summary.feed(batch)

    async def finish(self, summary: dict[str, Any]) -> None:
        self._summary.finish()
        self._write(self._summary.render())

    def give_up_by(self, deadline: float) -> None:
        pass  # (outputs.Output protocol) it waits for no reader

    def note_lost(self, events: int, reason: str) -> None:
        pass
