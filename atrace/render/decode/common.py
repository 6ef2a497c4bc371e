"""Small formatters the per-call decoders share."""

from __future__ import annotations

from ..flags import TABLES, format_flags, named_bits, number, raw_style
from ..quoting import quote


def flags_or_unknown(value: int, table: str, prefix: str) -> str:
    """Flags as strace's printflags shows them: with no known flag set, the
    value in hex and a `PREFIX???` comment (`0xc0 /* SECCOMP_FILTER_FLAG_??? */`)."""
    if value and not named_bits(value, TABLES[table])[0]:
        return number(value) if raw_style() else f"{value:#x} /* {prefix}??? */"
    return format_flags(value, table)


def bounded_string(raw: bytes | None, limit: int, hex_mode: int = 0) -> str | None:
    """A string the kernel reads at most `limit` bytes of (prctl's task
    name, reboot's command), from the raw bytes copied (limit + 1 of them,
    fewer where memory ends): cut with `...` when no NUL comes within
    `limit` bytes; None (show the address) when it ends unterminated sooner."""
    if raw is None or (b"\0" not in raw[:limit] and len(raw) < limit):
        return None
    text = raw.split(b"\0", 1)[0]
    shown = quote(text[:limit], limit, hex_mode)
    return shown + "..." if len(text) >= limit else shown


def c_string(raw: bytes | None, limit: int, hex_mode: int = 0) -> str | None:
    """A NUL-terminated string as strace's -s shows it, from the raw bytes
    copied (limit + 1 of them, fewer where memory ends): whole when its NUL
    comes within limit + 1 bytes, cut with `...` when it does not; None
    (show the address) when memory ends before either."""
    if raw is None:
        return None
    end = raw.find(b"\0")
    if 0 <= end <= limit:
        return quote(raw[:end], limit, hex_mode)
    if len(raw) >= limit:
        return quote(raw[:limit], limit, hex_mode) + "..."
    return None
