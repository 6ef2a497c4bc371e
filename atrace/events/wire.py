"""Encoding events to the msgpack stream (format in docs/FORMAT.md)."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Iterable
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


class Encoder:
    """Packs batches of event tuples with one reused Packer."""

    def __init__(self) -> None:
        self._packer = msgpack.Packer(autoreset=False, use_bin_type=True)

    def encode(self, events: Iterable[tuple[Any, ...]]) -> bytes:
        packer = self._packer
        pack = packer.pack
        for event in events:
            pack(event)
        data: bytes = packer.bytes()
        packer.reset()
        return data

    def header(self, meta: dict[str, Any]) -> bytes:
        return self.encode([(R.HEADER, meta)])

    def trailer(self, summary: dict[str, Any]) -> bytes:
        return self.encode([(R.TRAILER, time.time_ns(), summary)])
