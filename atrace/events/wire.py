"""Encoding events to the msgpack stream (format in docs/FORMAT.md)."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Sequence
from typing import Any

import msgpack

from .. import __version__
from . import records as R


def header_meta(command: list[str] | None, attach: list[int], options: dict[str, Any]) -> dict[str, Any]:
    return {
        "magic": R.MAGIC,
        "format": R.FORMAT_VERSION,
        "atrace_version": __version__,
        "arch": platform.machine(),
        "command": command,
        "attach": attach,
        "start_ns": time.time_ns(),
        "tracer_pid": os.getpid(),
        "options": options,
        "fields": R.field_names(),
        "types": R.type_numbers(),
    }


# Records packed per C call: about 50 us of holding the GIL.
ENCODE_SLICE = 128


class Encoder:
    """Packs batches of event tuples with one reused Packer."""

    def __init__(self) -> None:
        self._packer = msgpack.Packer(use_bin_type=True)

    def encode(self, events: Sequence[tuple[Any, ...]]) -> bytes:
        """The records one after another, as the stream wants them.

        Records are packed a slice at a time, each slice by one C call as an
        array whose header is then cut off: what remains is exactly the
        records' encodings back to back (a pack() call per record costs 3x
        more, measured). Slices stay small because a C call holds the GIL
        until it returns, and the tracer thread must never wait long for it.
        """
        pack = self._packer.pack
        parts = []
        for start in range(0, len(events), ENCODE_SLICE):
            piece = list(events[start : start + ENCODE_SLICE])
            parts.append(pack(piece)[_array_header_size(len(piece)) :])
        return b"".join(parts)

    def header(self, meta: dict[str, Any]) -> bytes:
        return self.encode([R.Header(R.HEADER, meta)])

    def trailer(self, summary: dict[str, Any]) -> bytes:
        return self.encode([R.Trailer(R.TRAILER, time.time_ns(), summary)])


def _array_header_size(count: int) -> int:
    """Bytes of msgpack's array header for `count` elements (fixarray,
    array 16, array 32)."""
    if count < 16:
        return 1
    if count < 0x10000:
        return 3
    return 5
