"""The renderer's view of the argument kinds, derived from their declarations.

atrace.syscalls.kinds names each kind's formatter; the formatter modules
(fmt_values, fmt_time, fmt_signal, fmt_structs, fmt_io) each export theirs by
name.  Importing this module fills `call.KIND_FORMATTERS`, the table
`Call.fmt` uses, so nothing else keeps a list of kinds.
"""

from __future__ import annotations

from ..syscalls.kinds import KIND, NONE
from . import call, fmt_io, fmt_signal, fmt_structs, fmt_time, fmt_values
from .call import ArgFormatter

FORMATTERS: dict[str, ArgFormatter] = {
    **fmt_values.FORMATTERS,
    **fmt_time.FORMATTERS,
    **fmt_signal.FORMATTERS,
    **fmt_structs.FORMATTERS,
    **fmt_io.FORMATTERS,
}


def formatter(name: str) -> ArgFormatter:
    """The formatter a kind declares; KeyError for an unknown name."""
    by_table = fmt_values.table_formatter(name)
    return by_table if by_table is not None else FORMATTERS[name]


KIND_FORMATTERS: dict[str, ArgFormatter] = {name: formatter(kind.formatter) for name, kind in KIND.items()}
call.KIND_FORMATTERS.update(KIND_FORMATTERS)
_STRINGS = frozenset({"path", "path_out", "str", "buf_in", "buf_out"})
call.STRUCT_KINDS.update(name for name, kind in KIND.items() if kind.phase != NONE and name not in _STRINGS)

# Kinds printed when the call returns: strace's line is cut before the first.
OUT_KINDS: frozenset[str] = frozenset(name for name, kind in KIND.items() if kind.printed_at_exit)
