"""Whole values or none: how much of a value a read must cover for it to be
shown (strace shows the address of one that runs into unreadable memory),
strings as text or bytes, and the argv an exec record keeps of what the
argv reader recorded."""

from __future__ import annotations

from typing import Any

from ._ptrace import MemoryReader


def text_or_bytes(raw: bytes) -> str | bytes:
    """UTF-8 text when it is valid, else the bytes as they are (lossless)."""
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw


def exec_argv(value: Any) -> list[str | bytes] | None:
    """The argv an exec record carries, from what the argv reader recorded:
    strings only (one that could not be read is empty)."""
    if not isinstance(value, list):
        return None
    return [item if isinstance(item, (str, bytes)) else b"" for item in value if item is not None]


# select's nfds is read as at most this many bits (strace's cap is 1024 *
# 1024; the tracer's read buffer holds 64 KiB).
FDSET_MAX_BITS = 64 * 1024 * 8


def fdset_bytes(memory: MemoryReader, pid: int, addr: int, nfds: int, word: int) -> bytes | None:
    """An fd_set's words for nfds descriptors, all of them or None (a set
    that runs into unreadable memory is shown as its address)."""
    if nfds <= 0:
        return None
    size = (min(nfds, FDSET_MAX_BITS) + 8 * word - 1) // (8 * word) * word
    return whole(memory.read(pid, addr, size), size)


def whole(raw: bytes | None, size: int) -> bytes | None:
    """A struct read whole, or None: one that ends in unreadable memory is
    not shown in part (strace shows its address)."""
    return raw if raw is not None and len(raw) == size else None
