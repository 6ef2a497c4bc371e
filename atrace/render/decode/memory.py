"""Memory calls: mmap, madvise, mremap, msync, NUMA memory policies."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call, hex0
from ..flags import TABLES, format_constant, format_flags, named_bits


def _mmap(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    # The offset is page-aligned: strace shows it in hex.
    parts[5] = hex0(call.ulong(5))
    return parts


def _mmap2(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    # mmap2 takes the offset in 4096-byte pages; strace shows it in bytes.
    parts[5] = hex0(call.ulong(5) * 4096)
    return parts


def _madvise(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[2] = format_constant(call.c_int(2), "madv")
    return parts


def _mremap(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    flags = call.ulong(3)
    parts[3] = format_flags(flags, "mremap")
    if not flags & 2:  # the new address is only read with MREMAP_FIXED
        return parts[:4]
    return parts


def _msync(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[2] = format_flags(call.ulong(2), "msync")
    return parts


def _mpol_flags(index: int, table: str) -> Callable[[Call], list[str | None]]:
    """mbind's and get_mempolicy's flags: unknown bits alone show as
    `0x8 /* MPOL_??? */`, as for the modes."""

    def formatter(call: Call) -> list[str | None]:
        parts: list[str | None] = call.all()
        value = call.ulong(index) & 0xFFFFFFFF
        names, rest = named_bits(value, TABLES[table])
        parts[index] = format_flags(value, table) if names or not rest else f"{rest:#x} /* MPOL_??? */"
        return parts

    return formatter


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "mmap": _mmap,
    "mmap2": _mmap2,
    "madvise": _madvise,
    "mremap": _mremap,
    "msync": _msync,
    "mbind": _mpol_flags(5, "mbind"),
    "get_mempolicy": _mpol_flags(4, "get_mempolicy"),
}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
