"""`--listen ADDR`: serve the live trace to any number of readers.

A live reader (`atrace tail`, a script) is an observer: it must never slow
the trace or the other outputs. So delivering a batch never waits for a
reader. Each reader has its own sender task and its own bounded buffer of
encoded batches; the pump only appends to the buffers.

A reader that falls behind by more than `CLIENT_BUFFER` bytes misses the
batches that come while its buffer is full. When it has caught up (its
buffer half empty), it first gets a `lost` record saying how many events it
missed ("the reader fell behind"), then the stream goes on; its trailer
counts everything it missed. Batches are whole records, so what it gets is
always a valid trace with an explicit gap, never a cut record.

When the trace ends, every reader gets its trailer. A reader that takes
nothing for `STALL_GRACE` seconds from then on is disconnected (its stream
ends without a trailer): a reader that stopped reading for good must not
keep atrace, and with it the command's caller, waiting.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import socket
import stat
import time
from collections import deque
from typing import Any

import trio

from .address import Address
from .errors import AtraceError
from .events import records as R
from .events.wire import Encoder
from .outputs import Batch

# Per reader: 8 MiB is about 200,000 events of a build (40 bytes each),
# several seconds of tracing: enough for a reader that is only bursty.
CLIENT_BUFFER = 8 << 20
STALL_GRACE = 1.0
FELL_BEHIND = "the reader fell behind"


class _Reader:
    """One connected reader: its buffer and its sender."""

    def __init__(self, stream: trio.SocketStream, header: bytes) -> None:
        self.stream = stream
        self.pending: deque[bytes] = deque([header])
        self.pending_bytes = len(header)
        self.missed = 0  # events skipped since the last lost record
        self.missed_total = 0
        self.closing = False
        self.ready = trio.Event()  # something was queued (or closing)
        self.sending: trio.CancelScope | None = None
        self.deadline = math.inf  # once closing, for each send
        self.limit = math.inf  # atrace is stopping: no send past this

    def offer(self, data: bytes, events: int, encoder: Encoder) -> None:
        if self.pending_bytes > CLIENT_BUFFER:
            self.missed += events
            self.missed_total += events
            return
        if self.missed and self.pending_bytes <= CLIENT_BUFFER // 2:
            self._queue(encoder.encode([R.Lost(R.LOST, time.time_ns(), self.missed, FELL_BEHIND)]))
            self.missed = 0
        elif self.missed:
            self.missed += events
            self.missed_total += events
            return
        self._queue(data)

    def _queue(self, data: bytes) -> None:
        self.pending.append(data)
        self.pending_bytes += len(data)
        self.ready.set()

    def close_with(self, trailer: bytes, encoder: Encoder, limit: float) -> None:
        if self.missed:  # it never caught up: the last gap, before the trailer
            self._queue(encoder.encode([R.Lost(R.LOST, time.time_ns(), self.missed, FELL_BEHIND)]))
            self.missed = 0
        self._queue(trailer)
        self.closing = True
        self.limit = limit
        self.deadline = min(limit, trio.current_time() + STALL_GRACE)
        if self.sending is not None:
            self.sending.deadline = self.deadline
        self.ready.set()

    async def run(self) -> None:
        """Send what is queued until closed; a reader that goes away, or
        stalls once the trace is over, is dropped."""
        with contextlib.suppress(trio.BrokenResourceError, trio.ClosedResourceError, OSError):
            while True:
                while self.pending:
                    data = self.pending[0]
                    with trio.CancelScope(deadline=self.deadline) as scope:
                        self.sending = scope
                        await self.stream.send_all(data)
                    self.sending = None
                    if scope.cancelled_caught:
                        return
                    self.pending.popleft()
                    self.pending_bytes -= len(data)
                    if self.closing:
                        # Each piece that goes out earns the next one its grace.
                        self.deadline = min(self.limit, trio.current_time() + STALL_GRACE)
                if self.closing:
                    return
                self.ready = trio.Event()
                await self.ready.wait()
        # (any error: the reader is gone; nothing to tell anyone)

    async def aclose(self) -> None:
        with contextlib.suppress(trio.BrokenResourceError, trio.ClosedResourceError, OSError):
            await self.stream.aclose()


class LiveReaders:
    """The `--listen` output (see the module's docstring)."""

    def __init__(self, address: Address, listener: trio.SocketListener, header: bytes) -> None:
        self.name = address.text
        self._listener = listener
        self._path = address.path
        self._header = header
        self._encoder = Encoder()
        self._readers: list[_Reader] = []
        self._nursery: trio.Nursery | None = None
        self._closed = False
        self._deadline = math.inf
        self.lost = 0  # the trace's own stream loses nothing; readers' gaps are theirs
        self.failure: str | None = None

    @classmethod
    def open(cls, address: Address, header: bytes) -> LiveReaders:
        try:
            if address.path is not None:
                sock = _bind_unix(address)
            else:
                assert isinstance(address.target, tuple)
                sock = socket.create_server(address.target, family=address.family)
            sock.listen(16)
        except OSError as err:
            raise AtraceError(f"cannot listen on {address.text}: {err.strerror or err}") from None
        listener = trio.SocketListener(trio.socket.from_stdlib_socket(sock))
        return cls(address, listener, header)

    async def serve(self) -> None:
        """Accept readers until the trace ends, and run their senders."""
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            while True:
                try:
                    stream = await self._listener.accept()
                except (trio.ClosedResourceError, OSError):
                    break  # the trace ended and closed the listener
                reader = _Reader(stream, self._header)
                self._readers.append(reader)
                nursery.start_soon(self._run, reader)

    async def _run(self, reader: _Reader) -> None:
        try:
            await reader.run()
        finally:
            with trio.CancelScope(shield=True):
                await reader.aclose()
            self._readers.remove(reader)

    # -- the Output protocol --------------------------------------------

    async def start(self) -> None:
        pass

    async def deliver(self, batch: Batch) -> None:
        if not self._readers:
            return
        data = self._encoder.encode(batch)
        for reader in self._readers:
            reader.offer(data, len(batch), self._encoder)

    async def finish(self, summary: dict[str, Any]) -> None:
        """Every reader gets its trailer; wait while they take it, dropping
        any that stalls for STALL_GRACE."""
        self._closed = True
        await self._listener.aclose()
        for reader in list(self._readers):
            trailer = self._encoder.trailer({**summary, "lost": reader.missed_total})
            reader.close_with(trailer, self._encoder, self._deadline)
        while self._readers:
            await trio.sleep(0.01)
        if self._path:
            with contextlib.suppress(OSError):
                os.unlink(self._path)

    def give_up_by(self, deadline: float) -> None:
        self._deadline = deadline

    def note_lost(self, events: int, reason: str) -> None:
        pass


def _bind_unix(address: Address) -> socket.socket:
    """Bind a unix socket at the address's path. A socket file left there
    by an earlier run is replaced, but only once a connect says that nobody
    listens on it: taking a live tracer's path would cut off its readers."""
    path = address.path
    assert path is not None
    if os.path.exists(path) and stat.S_ISSOCK(os.stat(path).st_mode):
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
        except OSError as err:
            if err.errno not in (errno.ECONNREFUSED, errno.ENOENT):
                raise
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)  # a stale socket of an earlier run
        else:
            raise AtraceError(f"cannot listen on {address.text}: another process is listening there")
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(path)
    except OSError:
        sock.close()
        raise
    return sock
