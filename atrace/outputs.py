"""What the session hands event batches to: one small protocol, its outputs.

An output turns batches of raw event tuples (records.py's field order) into
something: a msgpack or text stream on a sink (`StreamOutput`), one file per
task (`PerTaskOutputs`), attach notices on stderr (`AttachNotices`), a `-c`
table (summary.py), live readers (listen.py). The session treats them all
alike through `Output`.

None of them may hold the trace hostage once atrace is stopping: after
`give_up_by(deadline)`, a write still blocked at the deadline is cancelled,
the output counts what it could not write as lost and writes nothing more.
"""

from __future__ import annotations

import math
import sys
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Protocol, cast

import trio

from .errors import AtraceError
from .events import Event
from .events import records as R
from .events.wire import Encoder
from .render.options import TextOptions
from .sinks import FileSink, Sink

if TYPE_CHECKING:
    from .render.stage import TextMaker

Batch = list[tuple[Any, ...]]


class Output(Protocol):
    """Everything the session needs from an output."""

    @property
    def lost(self) -> int:
        """Events this output could not write (its sink failed, or atrace
        gave up on a blocked reader)."""

    @property
    def failure(self) -> str | None:
        """Why it failed, as "NAME: reason" for the user; None if it did not."""

    async def start(self) -> None: ...

    async def deliver(self, batch: Batch) -> None: ...

    async def finish(self, summary: dict[str, Any]) -> None:
        """Write the end of the trace (trailer) and close."""

    def give_up_by(self, deadline: float) -> None:
        """atrace is stopping: never wait for a reader past `deadline` (trio time)."""

    def note_lost(self, events: int, reason: str) -> None:
        """`events` never reached this output (atrace itself failed): say so in the trace."""


class StreamOutput:
    """Turns batches into bytes for one sink: msgpack (header first, trailer
    last) or strace text."""

    def __init__(self, sink: Sink, header: dict[str, Any], text: TextMaker | None) -> None:
        self.sink = sink
        self._text = text
        self._encoder = Encoder()
        self._header = header
        self.failed: str | None = None  # why the sink could not be written
        self.lost = 0
        self.lost_reason = ""  # why events were lost while the sink still worked
        self._deadline = math.inf
        self._writing: trio.CancelScope | None = None

    @property
    def failure(self) -> str | None:
        return f"{self.sink.name}: {self.failed}" if self.failed else None

    async def start(self) -> None:
        if self._text is None:
            await self._send(self._encoder.header(self._header), 0)

    async def deliver(self, batch: Batch) -> None:
        if self.failed:
            self.lost += len(batch)
            return
        # The renderer views raw tuples as the typed events they encode.
        data = self._text.render(cast(list[Event], batch)).encode() if self._text else self._encoder.encode(batch)
        await self._send(data, len(batch))

    async def finish(self, summary: dict[str, Any]) -> None:
        if self._text is not None:
            tail = self._text.finish().encode()
            if tail:
                await self._send(tail, 0)
        elif not self.failed:
            if self.lost:
                lost = R.Lost(R.LOST, time.time_ns(), self.lost, self.lost_reason)
                await self._send(self._encoder.encode([lost]), 0)
            await self._send(self._encoder.trailer({**summary, "lost": self.lost}), 0)
        await self.sink.aclose()

    def give_up_by(self, deadline: float) -> None:
        self._deadline = deadline
        if self._writing is not None:
            self._writing.deadline = deadline

    def note_lost(self, events: int, reason: str) -> None:
        self.lost += events
        self.lost_reason = reason

    async def _send(self, data: bytes, events: int) -> None:
        if self.failed:
            self.lost += events
            return
        try:
            with trio.CancelScope(deadline=self._deadline) as scope:
                self._writing = scope
                await self.sink.write(data)
        except (OSError, trio.BrokenResourceError, trio.ClosedResourceError) as err:
            self.failed = getattr(err, "strerror", None) or str(err) or type(err).__name__
            self.lost += events
        finally:
            self._writing = None
        if scope.cancelled_caught:
            # Part of `data` may have gone out: the stream ends here, cut
            # mid-record, which readers report as a cut trace.
            self.failed = "its reader stopped reading; atrace gave up on it"
            self.lost += events


class AttachNotices:
    """`-p`: tell on stderr when atrace attaches to and detaches from each
    process, as strace does ("Process 1234 attached with 4 threads"),
    whatever -o says: these are about atrace, not part of the trace."""

    lost = 0
    failure = None

    async def start(self) -> None:
        pass

    async def deliver(self, batch: Batch) -> None:
        counts: dict[tuple[int, int], int] = {}
        for raw in batch:
            if raw[0] == R.ATTACHED or raw[0] == R.DETACHED:
                key = (raw[0], raw[R.TGID])
                counts[key] = counts.get(key, 0) + 1
        for (kind, tgid), threads in counts.items():
            what = "attached" if kind == R.ATTACHED else "detached"
            more = f" with {threads} threads" if kind == R.ATTACHED and threads > 1 else ""
            sys.stderr.write(f"atrace: Process {tgid} {what}{more}\n")
        if counts:
            sys.stderr.flush()

    async def finish(self, summary: dict[str, Any]) -> None:
        pass

    def give_up_by(self, deadline: float) -> None:
        pass

    def note_lost(self, events: int, reason: str) -> None:
        pass


# -ff: at most this many per-task files open at once. A build runs thousands
# of tasks, and holding one fd per task ever seen stops at the fd limit
# (1024 by default, 256 on some systems); most tasks are short-lived, so
# the least recently written file is closed and reopened in append mode if
# its task writes again.
MAX_OPEN_TASK_FILES = 64


class PerTaskOutputs:
    """-ff: each task's events go to OUTPUT.TID, each file a whole trace."""

    def __init__(self, prefix: str, header: dict[str, Any], text: TextOptions | None) -> None:
        self._prefix = prefix
        self._header = header
        self._text = text
        self._outputs: dict[int, StreamOutput] = {}
        self._open: OrderedDict[int, FileSink] = OrderedDict()  # least recently written first
        self._lost = 0
        self._open_failures: list[str] = []

    @property
    def lost(self) -> int:
        return self._lost + sum(output.lost for output in self._outputs.values())

    @property
    def failure(self) -> str | None:
        failures = self._open_failures + [failure for output in self._outputs.values() if (failure := output.failure)]
        if not failures:
            return None
        more = f" (and {len(failures) - 1} more files)" if len(failures) > 1 else ""
        return failures[0] + more

    async def start(self) -> None:
        pass

    async def deliver(self, batch: Batch) -> None:
        by_task: dict[int, list[tuple[Any, ...]]] = {}
        for raw in batch:
            if raw[0] in (R.LOST, R.TRAILER):
                continue
            by_task.setdefault(raw[R.TID], []).append(raw)
        for tid, events in by_task.items():
            output = self._outputs.get(tid)
            if output is None:
                try:
                    sink = FileSink(f"{self._prefix}.{tid}")
                except AtraceError as err:
                    if str(err) not in self._open_failures:
                        self._open_failures.append(str(err))
                    self._lost += len(events)
                    continue
                renderer = None
                if self._text:
                    from .render.stage import text_pipeline  # only for text (start-up)

                    renderer = text_pipeline(self._text)
                output = self._outputs[tid] = StreamOutput(sink, self._header, renderer)
                self._opened(tid, sink)
                await output.start()
            else:
                self._opened(tid, cast(FileSink, output.sink))
            await output.deliver(events)

    def _opened(self, tid: int, sink: FileSink) -> None:
        """`sink` is about to be written: most recent in the LRU; close the
        least recent beyond the limit."""
        self._open[tid] = sink
        self._open.move_to_end(tid)
        while len(self._open) > MAX_OPEN_TASK_FILES:
            _, oldest = self._open.popitem(last=False)
            oldest.suspend()

    async def finish(self, summary: dict[str, Any]) -> None:
        for tid, output in self._outputs.items():
            self._opened(tid, cast(FileSink, output.sink))
            await output.finish(summary)
            self._open.pop(tid, None)

    def give_up_by(self, deadline: float) -> None:
        pass  # regular files: writes do not wait for a reader

    def note_lost(self, events: int, reason: str) -> None:
        pass  # which task's file would say so is unknown; the error line counts them
