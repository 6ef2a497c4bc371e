"""syslog and reboot: a command first, the rest by what it says."""

from __future__ import annotations

from collections.abc import Callable

from ...syscalls.cmds import LINUX_REBOOT_CMD_RESTART2, REBOOT_ARG_SIZE, SYSLOG_ACTION_READ_CLEAR
from ..call import Call, pointer
from ..flags import CONSTANTS, format_constant
from ..quoting import as_bytes, quote_buffer
from .common import bounded_string

# Actions that take no buffer or length (strace shows the action alone).
_SYSLOG_BARE = frozenset({0, 1, 9, 10})
_SYSLOG_CONSOLE_LEVEL = 8


def _commented(value: int, table: str, prefix: str) -> str:
    """strace's syslog style: the number, its name as a comment."""
    return f"{value} /* {CONSTANTS[table].get(value, prefix + '???')} */"


def _syslog(call: Call) -> list[str | None]:
    action = call.c_int(0)
    parts: list[str | None] = [_commented(action, "syslog_action", "SYSLOG_ACTION_")]
    if action in _SYSLOG_BARE:
        return parts
    if action == _SYSLOG_CONSOLE_LEVEL:
        return [*parts, pointer(call.ulong(1)), _commented(call.c_int(2), "loglevel", "LOGLEVEL_")]
    raw = as_bytes((call.exit or {}).get("buf")) if call.succeeded() else None
    if 2 <= action <= SYSLOG_ACTION_READ_CLEAR and raw is not None and call.ret is not None:
        buf = quote_buffer(raw, call.ret, call.options)
    else:
        buf = pointer(call.ulong(1))
    return [*parts, buf, str(call.c_int(2))]


def _syslog_split(call: Call) -> int:
    """A read action's buffer is written by the kernel: cut before it."""
    return 1 if 2 <= call.c_int(0) <= SYSLOG_ACTION_READ_CLEAR else 3


def _reboot(call: Call) -> list[str | None]:
    magics = [format_constant(call.ulong(i) & 0xFFFFFFFF, "reboot_magic") for i in (0, 1)]
    cmd = call.ulong(2) & 0xFFFFFFFF
    parts: list[str | None] = [*magics, format_constant(cmd, "reboot_cmd")]
    if cmd == LINUX_REBOOT_CMD_RESTART2:
        raw = as_bytes(call.entry.get("arg"))
        shown = bounded_string(raw, REBOOT_ARG_SIZE - 1, call.options.hex_strings)
        parts.append(shown if shown is not None else pointer(call.ulong(3)))
    return parts


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"syslog": _syslog, "reboot": _reboot}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"syslog": _syslog_split}
