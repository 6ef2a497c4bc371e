"""The reader on hand-made streams: header, compatibility rules, truncation,
following a growing file, and fuzzing with random and cut bytes."""

from __future__ import annotations

import io
import threading
import time

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import atrace
from atrace.events import records as R
from atrace.events.wire import Encoder, header_meta

ENTRY = (R.SYSCALL_ENTRY, 1000, 7, 7, 0, 257, "openat", [4294967196, 1, 0, 0, 0, 0], {"filename": "/etc/passwd"})
EXIT = (R.SYSCALL_EXIT, 1500, 7, 7, 257, 3, None, None)
DONE = (R.EXIT, 2000, 7, 7, 0, None, False)


def stream(*records: tuple[object, ...], trailer: bool = True) -> bytes:
    encoder = Encoder()
    data = encoder.header(header_meta(["prog"], [], {}))
    data += encoder.encode(list(records))
    if trailer:
        data += encoder.trailer({"events": len(records), "lost": 0, "exit_code": 0, "signal": None})
    return data


def events_of(data: bytes) -> tuple[list[atrace.Event], atrace.TraceReader]:
    reader = atrace.read(io.BytesIO(data))
    return list(reader), reader


def test_header_first_then_typed_events_then_trailer() -> None:
    events, reader = events_of(stream(ENTRY, EXIT, DONE))
    assert isinstance(events[0], atrace.Header) and events[0].meta["magic"] == "atrace"
    assert [type(e).__name__ for e in events[1:]] == ["SyscallEntry", "SyscallExit", "Exit", "Trailer"]
    entry = events[1]
    assert isinstance(entry, atrace.SyscallEntry)
    assert (entry.name, entry.tid, entry.data) == ("openat", 7, {"filename": "/etc/passwd"})
    assert reader.trailer is not None and reader.trailer.summary["events"] == 3
    assert not reader.truncated


def test_unknown_types_skipped_and_appended_fields_ignored() -> None:
    newer_exit = (*EXIT, "a field from a later format version")
    events, _ = events_of(stream(ENTRY, (99, 1, 2, 3), newer_exit, DONE))
    assert [type(e).__name__ for e in events[1:]] == ["SyscallEntry", "SyscallExit", "Exit", "Trailer"]
    assert events[2] == atrace.SyscallExit(*EXIT)


def test_record_from_an_older_writer_gets_the_later_fields_defaults() -> None:
    # syscall_exit's stime came later: a 7-field exit record is still valid.
    events, _ = events_of(stream(ENTRY, EXIT[:7], DONE))
    assert events[2] == atrace.SyscallExit(*EXIT[:7])
    assert isinstance(events[2], atrace.SyscallExit) and events[2].stime is None


def test_short_record_is_a_format_error() -> None:
    with pytest.raises(atrace.TraceFormatError, match="short record"):
        events_of(stream(ENTRY, (R.SYSCALL_EXIT, 1, 2)))


@pytest.mark.parametrize("data", [b"", b"hello world\n", msgpack.packb([0, {"magic": "other"}]), msgpack.packb(5)])
def test_not_a_trace(data: bytes) -> None:
    with pytest.raises(atrace.TraceFormatError):
        atrace.read(io.BytesIO(data))


def test_every_cut_reads_the_complete_records_and_says_it_is_cut() -> None:
    data = stream(ENTRY, EXIT, DONE)
    full, _ = events_of(data)
    header_size = len(stream(trailer=False))
    boundaries = set()
    unpacker = msgpack.Unpacker()
    unpacker.feed(data)
    for _record in unpacker:
        boundaries.add(unpacker.tell())
    for cut in range(header_size, len(data)):
        events, reader = events_of(data[:cut])
        assert events == full[: len(events)], cut
        assert reader.truncated == (cut not in boundaries), cut
        assert reader.trailer is None


def test_follow_sees_records_as_they_are_written(tmp_path) -> None:
    path = tmp_path / "growing.atrace"
    data = stream(ENTRY, EXIT, DONE)
    header_size = len(stream(trailer=False))
    path.write_bytes(data[: header_size + 5])  # header and a partial record
    seen: list[tuple[float, atrace.Event]] = []

    def consume() -> None:
        for event in atrace.follow(path, poll_interval=0.01):
            seen.append((time.monotonic(), event))

    thread = threading.Thread(target=consume)
    thread.start()
    time.sleep(0.3)
    assert [type(e) for _t, e in seen] == [atrace.Header]  # the partial record waits
    with open(path, "ab") as f:
        f.write(data[header_size + 5 :])
    thread.join(timeout=5)
    assert not thread.is_alive(), "follow() did not stop at the trailer"
    assert [type(e).__name__ for _t, e in seen][-1] == "Trailer"


# -- fuzzing ---------------------------------------------------------------


def _read_all(data: bytes) -> None:
    try:
        reader = atrace.read(io.BytesIO(data))
        for _event in reader:
            pass
    except atrace.TraceFormatError:
        pass


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None, database=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_a_clean_error_or_nothing(data: bytes) -> None:
    _read_all(data)


@settings(max_examples=300, deadline=None, database=None)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=10_000))
def test_garbage_after_a_valid_header(junk: bytes, cut: int) -> None:
    data = stream(ENTRY, EXIT, trailer=False) + junk
    _read_all(data[: len(data) - cut % (len(junk) + 1)])


@settings(max_examples=200, deadline=None, database=None)
@given(st.data())
def test_mutated_trace_gives_a_clean_error_or_events(data: st.DataObject) -> None:
    original = bytearray(stream(ENTRY, EXIT, DONE))
    for _ in range(data.draw(st.integers(1, 8))):
        index = data.draw(st.integers(0, len(original) - 1))
        original[index] = data.draw(st.integers(0, 255))
    _read_all(bytes(original))
