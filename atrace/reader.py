"""Reading traces: `atrace.read(source)` yields typed events.

The stream is fed to msgpack's streaming Unpacker chunk by chunk, so a record
cut by the end of the data simply never completes: a trace whose writer was
killed reads up to the cut, and `TraceReader.truncated` says it was cut.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Iterator
from typing import IO, Any

import msgpack

from .errors import AtraceError
from .events import records as R

_CHUNK = 1 << 20

# Record type -> NamedTuple class; unknown types are skipped (FORMAT.md).
_CLASSES: dict[int, Any] = {number: cls for number, (_name, cls) in R.RECORDS.items()}
_WIDTHS: dict[int, int] = {number: len(cls._fields) for number, cls in _CLASSES.items()}


class TraceFormatError(AtraceError):
    """The data is not an atrace trace, or is corrupt."""


Source = str | os.PathLike[str] | IO[bytes]


class TraceReader:
    """Iterates the events of one trace; the header is read on creation."""

    def __init__(self, source: Source, *, follow: bool = False, poll_interval: float = 0.1) -> None:
        self.name, self._file, self._owned = _open(source)
        # A growing file: at its end, wait for more instead of stopping, until
        # the trailer arrives (the tracer finished).
        self._follow = follow
        self._poll_interval = poll_interval
        self._read = getattr(self._file, "read1", self._file.read)
        self._unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, max_buffer_size=0)
        self._fed = 0
        self._eof = False
        self.truncated = False
        self.trailer: R.Trailer | None = None
        try:
            first = self._next_record()
        except TraceFormatError:
            self.close()
            raise
        if not (
            isinstance(first, list)
            and len(first) >= 2
            and first[0] == R.HEADER
            and isinstance(first[1], dict)
            and first[1].get("magic") == R.MAGIC
        ):
            self.close()
            raise TraceFormatError(f"{self.name}: not an atrace trace")
        self.header = R.Header(R.HEADER, first[1])

    def _next_record(self) -> Any:
        unpacker = self._unpacker
        while True:
            try:
                return next(unpacker)
            except StopIteration:
                pass
            except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as err:
                raise TraceFormatError(f"{self.name}: corrupt trace near byte {self._fed}: {err}") from None
            if self._eof:
                if self._fed > unpacker.tell():
                    self.truncated = True
                if self._fed == 0:
                    raise TraceFormatError(f"{self.name}: empty file, not an atrace trace")
                if self._fed == unpacker.tell() or self.truncated:
                    raise EOFError
            chunk = self._read(_CHUNK)
            if not chunk:
                if self._follow and self.trailer is None and self._fed:
                    time.sleep(self._poll_interval)
                    continue
                self._eof = True
                continue
            self._fed += len(chunk)
            unpacker.feed(chunk)

    def __iter__(self) -> Iterator[R.Event]:
        classes = _CLASSES
        widths = _WIDTHS
        new = tuple.__new__
        try:
            yield self.header
            while True:
                try:
                    record = self._next_record()
                except EOFError:
                    return
                if not isinstance(record, list) or not record:
                    raise TraceFormatError(f"{self.name}: corrupt trace: record is not an array")
                kind = record[0]
                cls = classes.get(kind)
                if cls is None:
                    continue
                width = widths[kind]
                if len(record) != width:
                    if len(record) < width:
                        raise TraceFormatError(f"{self.name}: corrupt trace: short record of type {kind}")
                    record = record[:width]  # fields appended by a newer writer
                event = new(cls, record)
                if kind == R.TRAILER:
                    self.trailer = event
                    self._follow = False  # nothing comes after a trailer
                yield event
        finally:
            self.close()

    def close(self) -> None:
        if self._owned:
            self._file.close()

    def __enter__(self) -> TraceReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read(source: Source) -> TraceReader:
    """Open a trace: a path, `-` for stdin, a binary file object, or the
    address of a listening tracer (`unix:/path`, `tcp:host:port`).

    Iterating yields every record as a typed event, the Header first; the
    header is also `.header`, and after a clean end the trailer `.trailer`.
    """
    return TraceReader(source)


def follow(path: str | os.PathLike[str], poll_interval: float = 0.1) -> TraceReader:
    """Like read(), for a trace still being written: at the end of the file
    it waits for more, until the trailer arrives."""
    return TraceReader(path, follow=True, poll_interval=poll_interval)


def _open(source: Source) -> tuple[str, IO[bytes], bool]:
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if path == "-":
            return "<stdin>", sys.stdin.buffer, False
        if path.startswith(("unix:", "tcp:")):
            return path, _connect(path), True
        try:
            return path, open(path, "rb"), True
        except OSError as err:
            raise AtraceError(f"cannot open {path}: {err.strerror}") from None
    return getattr(source, "name", "<stream>"), source, False


def _connect(address: str) -> IO[bytes]:
    if address.startswith("unix:"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: Any = address[len("unix:") :]
    else:
        host, _, port = address[len("tcp:") :].rpartition(":")
        if not port.isdigit():
            raise AtraceError(f"bad address '{address}': expected tcp:HOST:PORT")
        sock = socket.socket(socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET, socket.SOCK_STREAM)
        target = (host.strip("[]"), int(port))
    try:
        sock.connect(target)
    except OSError as err:
        sock.close()
        raise AtraceError(f"cannot connect to {address}: {err.strerror} (is atrace --listen running?)") from None
    return sock.makefile("rb")
