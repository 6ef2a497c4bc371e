"""Reads of the file calls that depend on more than one argument (tracer
thread only): what lies past the struct open_how openat2's size covers."""

from __future__ import annotations

from collections.abc import Sequence

from ._ptrace import MemoryReader
from .readers import Reader, Value

# struct open_how as the kernel first defined it (OPEN_HOW_SIZE_VER0): what
# the open_how kind copies; the kernel checks that the bytes past it are 0.
OPEN_HOW_SIZE = 24
# At most this many of those bytes are copied (strace shows all of a larger
# struct's bytes; a size beyond a page is an error the kernel returns first).
OPEN_HOW_TAIL_LIMIT = 4096


def open_how_tail(memory: MemoryReader) -> Reader:
    """openat2's `how_tail`: the bytes of its struct past the first 24 when
    its size says there are more (None: unreadable, as strace's `???`)."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        size = args[3]
        if args[2] == 0 or size <= OPEN_HOW_SIZE:
            return b""
        wanted = min(size, OPEN_HOW_TAIL_LIMIT) - OPEN_HOW_SIZE
        got = memory.read(pid, args[2] + OPEN_HOW_SIZE, wanted)
        return None if got is None or len(got) < wanted else got

    return read
