"""Memory calls: mmap, madvise, mremap, msync, NUMA memory policies."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call, array_limit, format_array, hex0, pointer
from ..flags import TABLES, format_constant, format_flags, named_bits, styled
from ..names import errno_name
from ..quoting import as_bytes


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


def _ints(raw: bytes | None, size: int) -> list[int]:
    data = raw or b""
    return [
        int.from_bytes(data[i : i + size], "little", signed=size == 4) for i in range(0, len(data) // size * size, size)
    ]


def _move_pages_status(value: int) -> str:
    """A page's status: its node, or the error that kept it (-EFAULT)."""
    name = errno_name(-value) if value < 0 else "errno"
    return str(value) if name.startswith("errno") else styled(str(value), f"-{name}")


def _move_pages(call: Call) -> list[str | None]:
    """move_pages(pid, count, [pages], [nodes] or NULL, [status], flags):
    nr_pages elements of each array, status when the call succeeded."""
    count, limit = call.ulong(1), array_limit(call)
    long_size = call.long_bits // 8

    def array(index: int, key: str, size: int, show: Callable[[int], str], data: dict[str, object] | None) -> str:
        raw = as_bytes((data or {}).get(key))
        return format_array(call.ulong(index), count, [show(v) for v in _ints(raw, size)], size, limit)

    pages = array(2, "pages", long_size, pointer, call.entry)
    nodes = array(3, "nodes", 4, str, call.entry)
    failed = count and not call.succeeded()  # the kernel wrote no status
    status = pointer(call.ulong(4)) if failed else array(4, "status", 4, _move_pages_status, call.exit)
    return [call.fmt(0), str(count), pages, nodes, status, call.fmt(5)]


CALLS["move_pages"] = _move_pages
