"""The filter stage: which events the text shows (-e status=, -z/-Z, -P,
-e trace-fds=, -e signal=), decided before the renderer.

The tracer's own text output and `atrace tail` run the same stage in
front of the same renderer (`text_pipeline`), so a filter means the same
thing live and offline.  `-e trace=` is not here: the tracer does not
record unselected calls, and tail chooses numbers with analysis.select.

The filters that need a call's outcome (status=, -z, -Z) hold its entry
until the exit, then hand both on together or neither; strace does the
same, so such a line is never split by another task's.  -P matches paths
as written or made absolute against atrace's own working directory, as
strace does; with the filter's `resolve_in_tracee` (`atrace tail -P`) the
stage follows every process's working directory and fds
(analysis.paths.PathTracker) and matches each call's paths as the traced
process resolved them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, cast

from ..analysis.calls import Call
from ..analysis.paths import PathTracker
from ..events import records as R
from ..filters import DisplayFilter
from ..syscalls import Syscall, lookup
from . import socketcall
from .options import TextOptions
from .text import HIDDEN_ENTRY, TextRenderer


class FilterStage:
    """Events in, the events the text should show out (in order)."""

    def __init__(self, display: DisplayFilter) -> None:
        self._filter = display
        self._deferred = display.needs_outcome
        # tid -> (entry as recorded, the call it shows, its table row, held)
        self._calls: dict[int, tuple[tuple[Any, ...], R.SyscallEntry, Syscall | None, bool]] = {}
        # resolve_in_tracee: every call's entry (shown or not) until its
        # exit, for the tracker, which must see each chdir, open and close.
        self._tracker = PathTracker() if display.resolve_in_tracee and display.paths else None
        self._entries: dict[int, R.SyscallEntry] = {}
        # Only -e signal= (strace's suite gives `-e signal=none` to most
        # tests): every call is shown as it comes, so calls pass untouched,
        # neither parsed nor looked up (the renderer does both).
        self._all_calls = display.statuses is None and not display.paths and display.fds is None

    def feed(self, events: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        all_calls = self._all_calls
        for event in events:
            kind = event[0]
            if all_calls and (kind == R.SYSCALL_ENTRY or kind == R.SYSCALL_EXIT):
                out.append(event)
                continue
            if self._tracker is not None:
                self._follow(kind, event)
            if kind == R.SYSCALL_ENTRY:
                self._entry(event, out)
            elif kind == R.SYSCALL_EXIT:
                self._exit(event, out)
            elif kind == R.SIGNAL:
                if self._filter.wants_signal(event[4]):
                    out.append(event)
            elif kind == R.EXIT:
                self._unreturned(event[2], out)
                out.append(event)
            elif kind == R.EXEC:
                self._exec(R.Exec._make(event), out)
                out.append(event)
            elif kind == R.DETACHED:
                # A call in progress ends `<detached ...>`: status=detached
                # (or no status filter) shows a held entry now.
                call = self._calls.pop(event[2], None)
                if call is not None and call[3] and self._filter.wants_detached():
                    out.append(call[0])
                out.append(event)
            else:
                out.append(event)
        return out

    def _entry(self, raw: tuple[Any, ...], out: list[tuple[Any, ...]]) -> None:
        entry = R.SyscallEntry._make(raw)
        syscall = lookup(entry.arch, entry.nr)
        if syscall is not None and syscall.name == "socketcall":
            entry, syscall = socketcall.unwrap(entry, syscall)
        resolved = None
        if self._tracker is not None:
            probe = _call(R.SyscallEntry._make(raw), None)
            resolved = [path for _arg, path in self._tracker.paths(probe)]
        if not self._filter.wants_entry(entry, syscall, resolved):
            out.append((HIDDEN_ENTRY, *raw[1:]))
            return
        held = self._deferred
        self._calls[entry.tid] = (raw, entry, syscall, held)
        out.append((HIDDEN_ENTRY, *raw[1:]) if held else raw)

    def _follow(self, kind: int, raw: tuple[Any, ...]) -> None:
        """Keep the path tracker up to date: calls once they return (so an
        entry is judged by the state before it), other events as they come."""
        tracker = self._tracker
        assert tracker is not None
        entries = self._entries
        if kind == R.SYSCALL_ENTRY:
            entries[raw[2]] = R.SyscallEntry._make(raw)
        elif kind == R.SYSCALL_EXIT:
            entry = entries.pop(raw[2], None)
            if entry is not None:
                tracker.feed(_call(entry, R.SyscallExit._make(raw)))
        elif kind in _TRACKED:
            event = _TRACKED[kind]._make(raw)
            if kind == R.EXIT or kind == R.DETACHED:
                entries.pop(event.tid, None)
            elif kind == R.EXEC and event.old_tid != event.tid:
                entries.pop(event.tid, None)
                moved = entries.pop(event.old_tid, None)
                if moved is not None:
                    entries[event.tid] = moved
            tracker.feed(event)

    def _exit(self, raw: tuple[Any, ...], out: list[tuple[Any, ...]]) -> None:
        call = self._calls.pop(raw[2], None)
        if call is None:
            # Joined mid-call: without the entry, only a filter that keeps
            # calls it cannot judge by their arguments shows the exit.
            if self._filter.keeps_unknown:
                out.append(raw)
            return
        entry_raw, entry, syscall, held = call
        ret = raw[5]
        self._filter.note_result(entry, syscall, ret)
        if held:
            if not self._filter.wants_outcome(ret):
                return
            out.append(entry_raw)
        out.append(raw)

    def _unreturned(self, tid: int, out: list[tuple[Any, ...]]) -> None:
        """The task's call will never return: show it as `= ?` if wanted."""
        call = self._calls.pop(tid, None)
        if call is not None and call[3] and self._filter.wants_unfinished():
            out.append(call[0])

    def _exec(self, event: R.Exec, out: list[tuple[Any, ...]]) -> None:
        if event.old_tid == event.tid:
            return
        # A thread's execve: the leader's call ends, the exec'ing thread's
        # continues under the leader's tid (the renderer moves it too).
        self._unreturned(event.tid, out)
        moved = self._calls.pop(event.old_tid, None)
        if moved is not None:
            entry_raw, entry, syscall, held = moved
            if held:
                entry_raw = (*entry_raw[:2], event.tid, *entry_raw[3:])
            self._calls[event.tid] = (entry_raw, entry, syscall, held)


_TRACKED: dict[int, Any] = {R.SPAWN: R.Spawn, R.EXEC: R.Exec, R.EXIT: R.Exit, R.DETACHED: R.Detached}


def _call(entry: R.SyscallEntry, exit_: R.SyscallExit | None) -> Call:
    """The analysis view of a call, for the path tracker."""
    end, ret, out = (None, None, None) if exit_ is None else (exit_.ts, exit_.ret, exit_.data)
    return Call(entry.name, entry.tid, entry.tgid, entry.ts, end, ret, list(entry.args), entry.data, out,
                entry.arch, entry.nr)  # fmt: skip


class TextMaker(Protocol):
    """What an output asks of its text: a batch's text, then the end's."""

    def render(self, events: Iterable[Any]) -> str: ...

    def finish(self) -> str: ...


class FilteredText:
    """The filter stage in front of the renderer."""

    def __init__(self, stage: FilterStage, renderer: TextRenderer) -> None:
        self.stage = stage
        self.renderer = renderer

    def render(self, events: Iterable[Any]) -> str:
        # The renderer views raw tuples as the typed events they encode.
        return self.renderer.render(cast(list[R.Event], self.stage.feed(events)))

    def finish(self) -> str:
        return self.renderer.finish()


def text_pipeline(options: TextOptions) -> TextMaker:
    """The renderer for these options, behind the filter stage when they filter."""
    renderer = TextRenderer(options)
    if options.filter is None:
        return renderer
    return FilteredText(FilterStage(options.filter), renderer)
