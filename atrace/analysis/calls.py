"""Complete system calls: each entry paired with its exit.

The wire format writes a call's entry and exit as two records (so a call
that blocks is visible while it blocks) and the exit carries only the
return value: it belongs to the call most recently entered by the same tid.
`pair_calls` does that pairing once, for every analysis that wants whole
calls with their durations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, cast

from ..events import records as R
from ..render.names import errno_name

# -4095..-1 are errors (FORMAT.md); the kernel's restart codes (-512..-516)
# fall in that range and are reported like errnos (ERESTARTSYS...).
_MAX_ERRNO = 4095


class Call(NamedTuple):
    """One system call from entry to exit.

    `end` and `ret` are None for an unfinished call: the task exited, was
    killed or was replaced by an exec inside it, or the trace ended first.
    Times are nanoseconds since the epoch; `out` is the data decoded at exit.
    """

    name: str
    tid: int
    tgid: int
    start: int
    end: int | None
    ret: int | None
    args: list[int]
    data: dict[str, Any] | None
    out: dict[str, Any] | None
    arch: int
    nr: int

    @property
    def unfinished(self) -> bool:
        return self.ret is None

    @property
    def duration(self) -> int | None:
        """Nanoseconds between entry and exit (None when unfinished)."""
        return None if self.end is None else self.end - self.start

    @property
    def errno(self) -> int | None:
        """The error number of a failed call, else None."""
        ret = self.ret
        if ret is not None and -_MAX_ERRNO <= ret < 0:
            return -ret
        return None

    @property
    def failed(self) -> bool:
        return self.errno is not None

    @property
    def error(self) -> str | None:
        """The errno's name (`ENOENT`), or None for a call that did not fail."""
        number = self.errno
        if number is None:
            return None
        return errno_name(number)  # restart codes too (ERESTARTSYS...)

    def path(self, key: str = "filename") -> str | bytes | None:
        """A path argument decoded at entry (by its argument name)."""
        data = self.data
        return None if data is None else data.get(key)


def _from_entry(entry: R.SyscallEntry, end: int | None, ret: int | None, out: dict[str, Any] | None) -> Call:
    # tuple.__new__ skips the NamedTuple constructor's argument handling: this
    # runs for every call of a build trace.
    _type, ts, tid, tgid, arch, nr, name, args, data = entry
    call: Call = tuple.__new__(Call, (name, tid, tgid, ts, end, ret, args, data, out, arch, nr))
    return call


def pair_calls(
    events: Iterable[R.Event], *, passthrough: bool = False, only: frozenset[str] | None = None
) -> Iterator[Call | R.Event]:
    """Yield a Call for every syscall, when it completes.

    A call is yielded at its exit record, or as unfinished when its task
    ends (exit record, or its thread is taken over by an exec) or at the end
    of the stream. With `passthrough`, the other events (spawn, exec, exit,
    signal...) are yielded too, in stream order, so one pass can follow both
    calls and process lifecycle; an unfinished call comes before the event
    that ended it. With `only`, the calls of other names are skipped
    without being made into Calls (most of a build's calls, for an
    analysis that wants the file calls).
    """
    pending: dict[int, R.SyscallEntry] = {}
    for event in events:
        if type(event) is R.SyscallEntry:
            if only is not None and event.name not in only:
                # Its exit must not pair with an older entry of the task.
                previous = pending.pop(event.tid, None)
                if previous is not None:
                    yield _from_entry(previous, None, None, None)
                continue
            previous = pending.get(event.tid)
            if previous is not None:
                # An entry without exit before the next entry: only possible
                # when records were lost; the old call never completed.
                yield _from_entry(previous, None, None, None)
            pending[event.tid] = event
        elif type(event) is R.SyscallExit:
            started = pending.pop(event.tid, None)
            if started is not None:
                yield _from_entry(started, event.ts, event.ret, event.data)
        else:
            if isinstance(event, (R.Exit, R.Detached)):
                left = pending.pop(event.tid, None)
                if left is not None:
                    yield _from_entry(left, None, None, None)
            elif isinstance(event, R.Exec) and event.old_tid != event.tid:
                # The leader's own call died with the exec; the exec'ing
                # thread's execve now continues under the leader's tid.
                left = pending.pop(event.tid, None)
                if left is not None:
                    yield _from_entry(left, None, None, None)
                moved = pending.pop(event.old_tid, None)
                if moved is not None:
                    pending[event.tid] = moved
            if passthrough:
                yield event
    for left in pending.values():
        yield _from_entry(left, None, None, None)


def calls(events: Iterable[R.Event]) -> Iterator[Call]:
    """Only the calls of `events`, complete or unfinished, as they end."""
    return cast(Iterator[Call], pair_calls(events))
