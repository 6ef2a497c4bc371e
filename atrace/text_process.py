"""strace text rendered in a process of its own.

The renderer is Python. Inside atrace's process it shares the GIL with the
tracer thread, and every stop that comes while it formats a line waits for
the GIL (up to the switch interval, 0.1 ms) with its tracee stopped: on
strace's printstrn-umoven program (98,330 `add_key` calls with 4 KiB
strings) the text path took 27 s against 15 s for the same trace written
as msgpack, which the pump packs in C. In a process of its own the renderer
holds no lock the tracer needs, and on a second core it runs beside it.

So a text output to a file or to stdout/stderr forks, before the tracer
thread starts, a renderer that inherits the text pipeline (options and
filter stage, as built) and the output's fd. Batches go to it through a
pipe, msgpack-encoded as in a trace file (one C call per slice); it renders
them and writes the text. A slow output fills the pipe and the pump waits,
so the tracer's outbox keeps its backpressure. At the end the renderer
reports on a second pipe how many events it rendered, how many it could not
write and why; the output's `lost` and `failure` include them.

The renderer is a direct child: the stop loop's `waitpid(-1)` would only
see it if it died mid-trace (a death of a pid it does not know, which it
keeps aside harmlessly). The output reaps it at the end.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import signal
from typing import TYPE_CHECKING, Any, cast

import msgpack
import trio

from .events import Event
from .events.wire import Encoder
from .outputs import StreamOutput
from .sinks import FileSink, PipeSink, Sink, write_all

if TYPE_CHECKING:
    from .render.stage import TextMaker

# Bytes read from the pipe per render batch, and the pipe's size (Linux
# caps unprivileged F_SETPIPE_SZ at /proc/sys/fs/pipe-max-size, 1 MiB by
# default): a few large writes instead of one per 64 KiB.
CHUNK = 1 << 20
PIPE_SIZE = 1 << 20
_F_SETPIPE_SZ = 1031
# Signals the renderer ignores: it ends when its input ends (atrace decides
# when, and passes Ctrl-C to the command); a terminal's Ctrl-C reaches the
# whole process group, the renderer too.
_IGNORED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
# The parent's last word before it closes the pipe: msgpack's nil, which no
# record is. Only a renderer that got it closes a dangling line with
# ` <unfinished ...>`; one whose input just stops (atrace was killed, as
# -I1 lets SIGTERM do) leaves the line cut where it was, as strace's does.
END_OF_TRACE = b"\xc0"
# The renderer's niceness. On a machine whose cores are all busy, a tracee
# restarted by the tracer must get a core at once (it holds the traced
# program up), while the renderer can run in any gap: the pipe holds what it
# has not read yet. Niced, it yields its core to a waking tracee or tracer
# instead of sharing it; when they are all waiting, it has the cores to itself.
# The lowest priority there is (19): against 10, 0.97x and 0.94x the wall
# time on printstrn-umoven, 1.01x and 0.98x on printpath-umovestr (7 and 5
# alternating rounds; docs/INTERNALS.md).
RENDERER_NICENESS = 19


class TextProcessOutput:
    """An `outputs.Output`: strace text written by a renderer process."""

    def __init__(self, sink: Sink, fd: int, text: TextMaker) -> None:
        self.sink = sink
        self._fd = fd
        self._text = text
        self._encoder = Encoder()
        self._pid = 0
        self._data: trio.lowlevel.FdStream | None = None
        self._status: trio.lowlevel.FdStream | None = None
        self.failed: str | None = None
        self.lost = 0
        self._sent = 0  # events handed to the renderer
        self._deadline = math.inf
        self._writing: trio.CancelScope | None = None
        self._inline: StreamOutput | None = None  # rendering in-process instead
        self.epilogue = ""  # written after the renderer's text (-c's table with -o): as StreamOutput's

    @property
    def failure(self) -> str | None:
        return f"{self.sink.name}: {self.failed}" if self.failed else None

    async def start(self) -> None:
        try:
            data_r, data_w = os.pipe()
            status_r, status_w = os.pipe()
        except OSError:
            return self._render_here()
        with contextlib.suppress(OSError):
            fcntl.fcntl(data_w, _F_SETPIPE_SZ, PIPE_SIZE)
        try:
            pid = os.fork()
        except OSError:
            for fd in (data_r, data_w, status_r, status_w):
                os.close(fd)
            return self._render_here()
        if pid == 0:  # pragma: no cover (the child ends in os._exit)
            code = 1
            try:
                _let_go_of_standard_fds({self._fd, data_r, status_w})
                code = _serve(data_r, status_w, self._fd, self._text)
            finally:
                os._exit(code)
        self._pid = pid
        os.close(data_r)
        os.close(status_w)
        self._data = trio.lowlevel.FdStream(data_w)
        self._status = trio.lowlevel.FdStream(status_r)

    def _render_here(self) -> None:
        """No process could be made (fd or process limits): render in
        atrace's own process, as before."""
        self._inline = StreamOutput(self.sink, {}, self._text)

    async def deliver(self, batch: list[tuple[Any, ...]]) -> None:
        if self._inline is not None:
            return await self._inline.deliver(batch)
        if self.failed or self._data is None:
            self.lost += len(batch)
            return
        data = self._encoder.encode(batch)
        try:
            with trio.CancelScope(deadline=self._deadline) as scope:
                self._writing = scope
                await self._data.send_all(data)
        except (OSError, trio.BrokenResourceError, trio.ClosedResourceError):
            self.failed = "the text renderer ended early"
            self.lost += len(batch)
            return
        finally:
            self._writing = None
        if scope.cancelled_caught:
            self.failed = "its reader stopped reading; atrace gave up on it"
            self.lost += len(batch)
            return
        self._sent += len(batch)

    async def finish(self, summary: dict[str, Any]) -> None:
        """End the renderer's input, then wait for its report."""
        if self._inline is not None:
            self._inline.epilogue = self.epilogue
            await self._inline.finish(summary)
            self.lost, self.failed = self._inline.lost, self._inline.failed
            return
        report = b""
        gave_up = False
        if self._data is not None and self._status is not None:
            if not self.failed:
                with (
                    trio.CancelScope(deadline=self._deadline),
                    contextlib.suppress(OSError, trio.BrokenResourceError, trio.ClosedResourceError),
                ):
                    await self._data.send_all(END_OF_TRACE)
            await self._data.aclose()
            with trio.CancelScope(deadline=self._deadline) as scope:
                self._writing = scope
                while chunk := await self._status.receive_some():
                    report += chunk
            self._writing = None
            gave_up = scope.cancelled_caught
            await self._status.aclose()
        if self._pid:
            if gave_up:
                # Stuck writing to a reader that stopped reading: it must
                # not outlive atrace, blocked there.
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
        self._take_report(report)
        if self.epilogue and not self.failed:
            # (the renderer has written all its text by now)
            with contextlib.suppress(OSError):
                await self.sink.write(self.epilogue.encode())
        await self.sink.aclose()

    def _take_report(self, report: bytes) -> None:
        try:
            status = json.loads(report)
            rendered, lost, failed = int(status["rendered"]), int(status["lost"]), status["failed"]
        except (ValueError, KeyError, TypeError):
            # No report: it died (or atrace gave up waiting for its reader).
            rendered, lost, failed = 0, 0, "the text renderer ended early"
        self.lost += lost + max(self._sent - rendered, 0)
        if failed and not self.failed:
            self.failed = str(failed)

    def give_up_by(self, deadline: float) -> None:
        if self._inline is not None:
            self._inline.give_up_by(deadline)
        self._deadline = deadline
        if self._writing is not None:
            self._writing.deadline = deadline

    def note_lost(self, events: int, reason: str) -> None:
        if self._inline is not None:
            self._inline.note_lost(events, reason)
        self.lost += events


def _let_go_of_standard_fds(keep: set[int]) -> None:
    """The renderer holds no copy of stdin or stdout (unless it writes
    there, or atrace started with them closed and they are its pipes now):
    the command's reader must see end-of-file when the command closes them
    (strace's redirect test)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        if fd not in keep and fd != null:
            os.dup2(null, fd)
    if null > 2:
        os.close(null)


def _serve(data_fd: int, status_fd: int, out_fd: int, text: TextMaker) -> int:  # pragma: no cover (child)
    """The renderer process: render what comes until the input ends."""
    for signo in _IGNORED:
        signal.signal(signo, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(RENDERER_NICENESS)
    signal.set_wakeup_fd(-1)  # trio's, inherited: not ours to write
    # Keep only what it uses (and 0-2): a copy of another fd (a listening
    # socket, the other end of a pipe) would outlive atrace in it.
    keep = sorted({0, 1, 2, data_fd, status_fd, out_fd})
    for low, high in zip(keep, [*keep[1:], os.sysconf("SC_OPEN_MAX")], strict=True):
        os.closerange(low + 1, high)
    # Decoded as the reader decodes a trace (arrays as lists: the decoders
    # test some values with isinstance(value, list), socketcall's arguments
    # for one), each record then a tuple, as the tracer built it.
    unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, max_buffer_size=0)
    rendered = lost = 0
    failed: str | None = None
    read = os.read
    ended = False
    while chunk := read(data_fd, CHUNK):
        unpacker.feed(chunk)
        records = list(unpacker)
        if records and records[-1] is None:
            ended = True
            records.pop()
        batch = [tuple(record) for record in records]
        if failed is None:
            try:
                write_all(out_fd, text.render(cast(list[Event], batch)).encode())
            except OSError as err:
                failed = err.strerror or str(err)
                lost += len(batch)
            except Exception as err:  # a bug must still end in a report
                failed = f"atrace internal error in the text renderer: {err!r}"
                lost += len(batch)
        else:
            lost += len(batch)
        rendered += len(batch)
    if failed is None and ended:
        try:
            write_all(out_fd, text.finish().encode())
        except OSError as err:
            failed = err.strerror or str(err)
    write_all(status_fd, json.dumps({"rendered": rendered, "lost": lost, "failed": failed}).encode())
    return 0


def text_output(
    sink: Sink, header: dict[str, Any], text: TextMaker, own_process: bool = True
) -> StreamOutput | TextProcessOutput:
    """The output for strace text on `sink`: rendered by a process of its own
    when the sink is a plain fd (a file, stdout, stderr), else in atrace's."""
    if own_process and isinstance(sink, FileSink | PipeSink):
        return TextProcessOutput(sink, sink.fileno(), text)
    return StreamOutput(sink, header, text)
