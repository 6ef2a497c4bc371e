"""Small formatters the per-call decoders share."""

from __future__ import annotations

from ..flags import TABLES, format_flags, named_bits


def flags_or_unknown(value: int, table: str, prefix: str) -> str:
    """Flags as strace's printflags shows them: with no known flag set, the
    value in hex and a `PREFIX???` comment (`0xc0 /* SECCOMP_FILTER_FLAG_??? */`)."""
    if value and not named_bits(value, TABLES[table])[0]:
        return f"{value:#x} /* {prefix}??? */"
    return format_flags(value, table)
