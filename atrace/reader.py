"""Reading traces: `atrace.read(source)` yields typed events.

The stream is fed to msgpack's streaming Unpacker a large chunk at a time, so
a record cut by the end of the data simply never completes: a trace whose
writer was killed reads up to the cut, and `TraceReader.truncated` says it
was cut.

Speed matters (build traces hold millions of records), so the loop in
`TraceReader._events` is written for it: the Unpacker is iterated directly
over the buffered chunk, each array becomes its NamedTuple by
`tuple.__new__` (no per-field copy), and the rare cases (unknown types,
longer records from a newer writer, junk) leave the fast path only after a
single dict lookup. scripts/bench_reader.py measures it; docs/ANALYSIS.md
gives the figure.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

import msgpack

from . import address
from .errors import AtraceError
from .events import records as R
from .events.checks import CHECKS, Check

_CHUNK = 1 << 20

# Limits on what one record may declare. msgpack allocates a container as
# soon as it reads its header, so without them four random bytes can ask for
# a list of 2**31 items. argv is the longest real list (ARG_MAX bounds it).
_MAX_ARRAY = 1 << 21
_MAX_MAP = 1 << 16

# Record type -> (NamedTuple class, number of fields including the type,
# the check of its fields' types); unknown types are skipped (FORMAT.md's
# compatibility rules).
_SPECS: dict[int, tuple[Any, int, Check]] = {
    number: (cls, len(cls._fields), CHECKS[number]) for number, (_name, cls) in R.RECORDS.items()
}

# What msgpack raises on bytes that are not msgpack (FormatError, StackError,
# ExtraData and UnicodeDecodeError are ValueErrors; an unhashable map key is
# a TypeError).
_DECODE_ERRORS = (ValueError, TypeError)


_NOTHING = object()


class TraceFormatError(AtraceError):
    """The data is not an atrace trace, or is corrupt."""


Source = str | os.PathLike[str] | IO[bytes]


class TraceReader:
    """Iterates the events of one trace: the Header first, then every record.

    The header is read when the reader is created, so a file that is not a
    trace fails at once with TraceFormatError; `.header` holds it. After the
    iteration ends, `.trailer` is the trailer of a cleanly finished trace
    (None otherwise) and `.truncated` tells whether the data stopped in the
    middle of a record. With `follow=True` the reader waits at the end of
    the data for more, until the trailer arrives (a trace still being
    written) or the tracer named in the header has exited without writing
    one (`.writer_gone`); Ctrl-C ends it too.
    """

    def __init__(
        self,
        source: Source,
        *,
        follow: bool = False,
        poll_interval: float = 0.05,
        on_wait: Callable[[], object] | None = None,
    ) -> None:
        self.name, self._file, self._owned = _open(source)
        # Called when every buffered record has been yielded and the next
        # read may block: a live view flushes its output there.
        self._on_wait = on_wait
        self._follow = follow
        self._poll_interval = poll_interval
        self._read = getattr(self._file, "read1", self._file.read)
        self._unpacker = msgpack.Unpacker(
            raw=False, strict_map_key=False, max_buffer_size=0, max_array_len=_MAX_ARRAY, max_map_len=_MAX_MAP
        )
        self._fed = 0
        self._next_writer_check = 0.0
        self._gone_checks = 0
        self.writer_gone = False  # following: the tracer exited without a trailer
        self.truncated = False
        self.trailer: R.Trailer | None = None
        try:
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise

    def _read_header(self) -> R.Header:
        while True:
            try:
                first = next(self._unpacker)
                break
            except StopIteration:
                pass
            except _DECODE_ERRORS:
                raise TraceFormatError(f"{self.name}: not an atrace trace") from None
            if not self._fill():
                if self._fed == 0:
                    raise TraceFormatError(f"{self.name}: empty, not an atrace trace")
                raise TraceFormatError(f"{self.name}: not an atrace trace (or cut inside its header)")
        if not (
            isinstance(first, list)
            and len(first) >= 2
            and first[0] == R.HEADER
            and isinstance(first[1], dict)
            and first[1].get("magic") == R.MAGIC
        ):
            raise TraceFormatError(f"{self.name}: not an atrace trace")
        return R.Header(R.HEADER, first[1])

    def _fill(self) -> bool:
        """Feed the next chunk to the unpacker; False at the end of the data.

        Following a file, the end of the data is only the end once the
        trailer has been read; until then wait for the writer. An empty
        followed file waits too: the tracer may not have written its header.
        """
        while True:
            if self._on_wait is not None:
                self._on_wait()
            try:
                chunk = self._read(_CHUNK)
            except OSError as err:
                raise AtraceError(f"{self.name}: read failed: {err.strerror or err}") from None
            if chunk:
                self._fed += len(chunk)
                self._unpacker.feed(chunk)
                return True
            if not self._follow:
                return False
            if self._writer_gone():
                # A tracer that was killed never writes its trailer: rather
                # than wait forever, end like a file that stopped there.
                self.writer_gone = True
                return False
            time.sleep(self._poll_interval)

    def _writer_gone(self) -> bool:
        """Following a file: has the tracer that writes it exited?

        Asked at most twice a second, and only after the header (which names
        the tracer's pid) has been read. A pid from another pid namespace
        looks gone too, so a trace is only given up on after it has been
        idle for a while as well.
        """
        now = time.monotonic()
        if now < self._next_writer_check:
            return False
        self._next_writer_check = now + 0.5
        header = getattr(self, "header", None)
        pid = header.meta.get("tracer_pid") if header is not None else None
        if not isinstance(pid, int) or pid <= 0:
            return False
        if _process_alive(pid):
            self._gone_checks = 0
            return False
        self._gone_checks += 1
        return self._gone_checks >= 2  # gone on two checks in a row: really gone

    def __iter__(self) -> Iterator[R.Event]:
        return self._events()

    def _events(self) -> Iterator[R.Event]:
        spec_of = _SPECS.get
        new = tuple.__new__
        unpacker = self._unpacker
        record: Any = None
        try:
            yield self.header
            while True:
                try:
                    for record in unpacker:
                        # Fast path: a known record of the expected width,
                        # its fields of the declared types.
                        if type(record) is list and record:
                            spec = spec_of(record[0])
                            if spec is not None and len(record) == spec[1] and spec[2](record):
                                yield new(spec[0], record)
                                continue
                        event = self._unusual(record)
                        if event is not None:
                            yield event
                except _DECODE_ERRORS as err:
                    why = str(err) or type(err).__name__
                    raise TraceFormatError(f"{self.name}: corrupt trace near byte {unpacker.tell()}: {why}") from None
                # The buffered data is used up. The trailer is always the
                # last record, so checking the last one read is enough to
                # know that the stream is complete (and to stop following).
                if type(record) is list and record and record[0] == R.TRAILER and len(record) >= 3:
                    self.trailer = R.Trailer(R.TRAILER, record[1], record[2])
                    self._follow = False
                if not self._fill():
                    self.truncated = self._cut_mid_record()
                    return
        finally:
            self.close()

    def _cut_mid_record(self) -> bool:
        """At the end of the data: did it stop inside a record?

        msgpack's Unpacker consumes the bytes of a partial object into its
        parse state (tell() counts them), so ask it instead: feed one nil.
        Between records it comes straight back as None; inside a record it
        is swallowed as part of the unfinished object.
        """
        self._unpacker.feed(b"\xc0")
        try:
            return next(self._unpacker, _NOTHING) is not None
        except _DECODE_ERRORS:
            return True

    def _unusual(self, record: Any) -> R.Event | None:
        """Off the fast path: skip or cut what the format allows, reject junk."""
        if type(record) is not list or not record or type(record[0]) is not int:
            raise TraceFormatError(f"{self.name}: corrupt trace: a record is not an array starting with its type")
        spec = _SPECS.get(record[0])
        if spec is None:
            return None  # a record type from a newer writer
        cls, width, check = spec
        if len(record) < width:
            # Trailing fields added to the format later have defaults; a
            # record from an older writer just lacks them.
            missing = cls._fields[len(record) :]
            defaults = cls._field_defaults
            if not all(name in defaults for name in missing):
                raise TraceFormatError(f"{self.name}: corrupt trace: short record of type {record[0]}")
            record = record + [defaults[name] for name in missing]
        record = record[:width]  # fields appended by a newer writer
        if not check(record):
            raise TraceFormatError(
                f"{self.name}: corrupt trace: a record of type {record[0]} has a field of the wrong type"
            )
        event: R.Event = tuple.__new__(cls, record)
        return event

    def close(self) -> None:
        if self._owned:
            self._file.close()

    def __enter__(self) -> TraceReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _process_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # alive, but not ours to signal
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            # The state follows the command name, which is in parentheses.
            return f.read().rpartition(b")")[2].split()[:1] != [b"Z"]
    except OSError:
        return True  # no /proc: trust kill()


def read(source: Source) -> TraceReader:
    """Open a trace: a path, `-` for stdin, a binary file object, or the
    address of a listening tracer (`unix:/path`, `tcp:host:port`).

    Iterating yields every record as a typed event, the Header first; the
    header is also `.header`, and after a clean end the trailer `.trailer`.
    Raises TraceFormatError for data that is not a trace or is corrupt.
    """
    return TraceReader(source)


def follow(path: str | os.PathLike[str], poll_interval: float = 0.05) -> TraceReader:
    """Like read(), for a trace still being written: at the end of the file
    it waits for more, until the trailer arrives."""
    return TraceReader(path, follow=True, poll_interval=poll_interval)


def _open(source: Source) -> tuple[str, IO[bytes], bool]:
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if path == "-":
            return "<stdin>", sys.stdin.buffer, False
        if address.is_address(path):
            return path, _connect(path), True
        try:
            return path, open(path, "rb"), True
        except OSError as err:
            raise AtraceError(f"cannot open {path}: {err.strerror or err}") from None
    return getattr(source, "name", "<stream>"), source, False


def _connect(text: str) -> IO[bytes]:
    where = address.parse(text)
    assert where is not None
    sock = socket.socket(where.family, socket.SOCK_STREAM)
    try:
        if isinstance(where.target, str):
            sock.connect(where.target)
        else:
            sock.close()
            sock = socket.create_connection(where.target)
    except OSError as err:
        sock.close()
        reason = err.strerror or str(err)
        raise AtraceError(f"cannot connect to {text}: {reason} (is atrace --listen running?)") from None
    return sock.makefile("rb")
