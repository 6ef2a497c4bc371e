"""kexec_load (its segments, the architecture and flags word) and
kexec_file_load (its command line, as long as its length says)."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ..call import Call, pointer
from ..flags import format_constant
from ..quoting import as_bytes, quote_buffer
from .common import flags_or_unknown

KEXEC_SEGMENT_MAX = 16
_ARCH_MASK = 0xFFFF0000


def _segments(call: Call) -> str:
    addr, count = call.ulong(2), call.ulong(1)
    if addr == 0:
        return "NULL"
    raw = as_bytes(call.entry.get("segments"))
    if raw is None or count > KEXEC_SEGMENT_MAX:
        return pointer(addr)
    wide = call.long_bits == 64
    layout = struct.Struct("<4Q" if wide else "<4I")
    shown = []
    limit = call.options.string_limit
    for offset in range(0, min(len(raw), layout.size * limit) - layout.size + 1, layout.size):
        buf, bufsz, mem, memsz = layout.unpack_from(raw, offset)
        shown.append(f"{{buf={pointer(buf)}, bufsz={bufsz}, mem={pointer(mem)}, memsz={memsz}}}")
    if not shown and count:
        return pointer(addr)
    readable = len(raw) // layout.size
    if readable < min(count, limit + 1):
        # The array ends in memory the tracer could not read: where.
        shown.append(f"... /* {pointer(addr + layout.size * readable)} */")
    elif count > len(shown):
        shown.append("...")
    return "[" + ", ".join(shown) + "]"


def _kexec_flags(value: int, bits: int) -> str:
    """KEXEC_ARCH_* in the high half, KEXEC_* flags in the low one."""
    arch, flags = value & _ARCH_MASK, value & ~_ARCH_MASK & ((1 << bits) - 1)
    parts = [format_constant(arch, "kexec_arch")]
    if flags:
        parts.append(flags_or_unknown(flags, "kexec", "KEXEC_"))
    return "|".join(parts)


def _kexec_load(call: Call) -> list[str | None]:
    return [pointer(call.ulong(0)), str(call.ulong(1)), _segments(call), _kexec_flags(call.ulong(3), call.long_bits)]


def _cmdline(call: Call) -> str:
    raw = as_bytes(call.entry.get("cmdline_ptr"))
    length = call.ulong(2)
    if call.ulong(3) == 0:
        return "NULL"
    if raw is None or len(raw) < min(length, call.options.string_limit):
        return pointer(call.ulong(3))
    return quote_buffer(raw, length, call.options)


def _kexec_file_load(call: Call) -> list[str | None]:
    flags = flags_or_unknown(call.ulong(4), "kexec_file", "KEXEC_FILE_")
    return [str(call.c_int(0)), str(call.c_int(1)), str(call.ulong(2)), _cmdline(call), flags]


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"kexec_load": _kexec_load, "kexec_file_load": _kexec_file_load}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
