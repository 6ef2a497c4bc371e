"""Choosing which events a live view shows: strace's -e trace=, -e status=,
-p (with -f: descendants) and -P, applied to a stream of events.

`EventFilter.feed(event)` returns the events to show now (possibly none,
possibly several). Without a status filter an entry is shown as soon as it
arrives, so a call that blocks is visible while it blocks; with one, an
entry must wait for its exit to know whether the call failed.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..events import records as R
from ..syscalls import ARCH_I386, ARCH_X86_64, CLASSES, by_name, names
from .calls import Call
from .paths import PathTracker

STATUSES = frozenset({"successful", "failed", "unfinished"})
_MAX_ERRNO = 4095


class FilterError(ValueError):
    """A filter expression that cannot be understood."""


@dataclass(slots=True)
class Selection:
    """What to show. None for a criterion means: everything."""

    syscalls: frozenset[str] | None = None  # names
    negate_syscalls: bool = False
    numbers: dict[int, frozenset[int]] | None = None  # arch -> syscall numbers (atrace.filters.syscall_set)
    signals: frozenset[int] | None = None
    statuses: frozenset[str] | None = None
    pids: frozenset[int] | None = None
    descendants: bool = False
    paths: frozenset[str] | None = None  # absolute, normalised


def parse_trace_set(spec: str) -> tuple[frozenset[str], bool]:
    """`-e trace=` values: names and %classes, comma separated, `!` in front
    to negate the whole set; `all` and `none` as in strace."""
    negate = spec.startswith("!")
    spec = spec[1:] if negate else spec
    known = set(names(ARCH_X86_64)) | set(names(ARCH_I386))
    chosen: set[str] = set()
    for item in filter(None, (part.strip() for part in spec.split(","))):
        if item == "all":
            chosen.update(known)
        elif item == "none":
            continue
        elif item.startswith("%"):
            klass = item[1:]
            if klass not in CLASSES:
                raise FilterError(f"invalid system call class '{item}' (known: %{', %'.join(sorted(CLASSES))})")
            chosen.update(name for name in known if _has_class(name, klass))
        elif item in known:
            chosen.add(item)
        else:
            raise FilterError(f"invalid system call '{item}'")
    return frozenset(chosen), negate


def _has_class(name: str, klass: str) -> bool:
    for arch in (ARCH_X86_64, ARCH_I386):
        syscall = by_name(arch, name)
        if syscall is not None and klass in syscall.classes:
            return True
    return False


def parse_statuses(spec: str) -> frozenset[str]:
    chosen = frozenset(filter(None, (part.strip() for part in spec.split(","))))
    unknown = chosen - STATUSES
    if unknown:
        raise FilterError(f"invalid status '{sorted(unknown)[0]}' (use successful, failed, unfinished)")
    return chosen


def absolute(path: str) -> str:
    return posixpath.normpath(os.path.join(os.getcwd(), path))


@dataclass(slots=True)
class _Held:
    entry: R.SyscallEntry
    shown: bool  # False: entry dropped by name/pid/path, drop its exit too


@dataclass(slots=True)
class EventFilter:
    selection: Selection
    _pending: dict[int, _Held] = field(default_factory=dict)
    _pids: set[int] = field(default_factory=set)
    _tracker: PathTracker | None = None

    def __post_init__(self) -> None:
        if self.selection.pids is not None:
            self._pids = set(self.selection.pids)
        if self.selection.paths is not None:
            self._tracker = PathTracker()

    def _pid_selected(self, tid: int, tgid: int) -> bool:
        return self.selection.pids is None or tgid in self._pids or tid in self._pids

    def _call_selected(self, entry: R.SyscallEntry) -> bool:
        numbers = self.selection.numbers
        if numbers is not None:
            return entry.nr in numbers.get(entry.arch, ())
        chosen = self.selection.syscalls
        if chosen is None:
            return True
        return (entry.name in chosen) != self.selection.negate_syscalls

    def _path_selected(self, entry: R.SyscallEntry) -> bool:
        if self._tracker is None or self.selection.paths is None:
            return True
        probe = Call(entry.name, entry.tid, entry.tgid, entry.ts, None, None, list(entry.args), entry.data, None,
                     entry.arch, entry.nr)  # fmt: skip
        return any(path in self.selection.paths for _arg, path in self._tracker.paths(probe))

    def feed(self, event: R.Event) -> list[R.Event]:
        if isinstance(event, R.SyscallEntry):
            return self._entry(event)
        if isinstance(event, R.SyscallExit):
            return self._exit(event)
        if isinstance(event, (R.Header, R.Lost, R.Trailer)):
            return [event]
        out: list[R.Event] = []
        if isinstance(event, R.Spawn):
            if self.selection.descendants and (event.tgid in self._pids or event.tid in self._pids):
                self._pids.add(event.child_tgid)
                self._pids.add(event.child_tid)
        elif isinstance(event, (R.Exit, R.Detached)):
            out.extend(self._unfinished(event.tid))
        elif isinstance(event, R.Exec) and event.old_tid != event.tid:
            out.extend(self._unfinished(event.tid))
            moved = self._pending.pop(event.old_tid, None)
            if moved is not None:
                self._pending[event.tid] = moved
        elif (
            isinstance(event, R.Signal)
            and self.selection.signals is not None
            and event.signo not in self.selection.signals
        ):
            return out
        if self._tracker is not None:
            self._tracker.feed(event)
        if self._pid_selected(event.tid, event.tgid):
            out.append(event)
        return out

    def _entry(self, entry: R.SyscallEntry) -> list[R.Event]:
        shown = self._pid_selected(entry.tid, entry.tgid) and self._call_selected(entry) and self._path_selected(entry)
        self._pending[entry.tid] = _Held(entry, shown)
        if shown and self.selection.statuses is None:
            return [entry]
        return []

    def _exit(self, event: R.SyscallExit) -> list[R.Event]:
        held = self._pending.pop(event.tid, None)
        if held is None:
            unfiltered = self.selection.syscalls is None and self.selection.numbers is None
            return [event] if self._pid_selected(event.tid, event.tgid) and unfiltered else []
        if self._tracker is not None:
            entry = held.entry
            self._tracker.feed(Call(entry.name, entry.tid, entry.tgid, entry.ts, event.ts, event.ret,
                                    list(entry.args), entry.data, event.data, entry.arch, entry.nr))  # fmt: skip
        if not held.shown:
            return []
        statuses = self.selection.statuses
        if statuses is None:
            return [event]
        failed = -_MAX_ERRNO <= event.ret < 0
        if ("failed" if failed else "successful") in statuses:
            return [held.entry, event]
        return []

    def _unfinished(self, tid: int) -> list[R.Event]:
        """The task's call in progress never returns."""
        held = self._pending.pop(tid, None)
        if held is None or not held.shown:
            return []
        statuses = self.selection.statuses
        if statuses is None:
            return []  # the entry was already shown; the renderer closes it
        return [held.entry] if "unfinished" in statuses else []

    def flush(self) -> list[R.Event]:
        """At the end of the stream: the calls still in progress."""
        out: list[R.Event] = []
        for tid in list(self._pending):
            out.extend(self._unfinished(tid))
        return out


def select(events: Iterable[R.Event], selection: Selection) -> Iterable[R.Event]:
    """The events a view with `selection` shows, in order."""
    chooser = EventFilter(selection)
    for event in events:
        yield from chooser.feed(event)
    yield from chooser.flush()
