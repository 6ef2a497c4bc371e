"""syslog, reboot and fsconfig: a command first, the rest by what it says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ...syscalls.cmds import LINUX_REBOOT_CMD_RESTART2, REBOOT_ARG_SIZE, SYSLOG_ACTION_READ_CLEAR
from ..call import KIND_FORMATTERS, Call, pointer
from ..flags import CONSTANTS, format_constant
from ..quoting import as_bytes, quote, quote_buffer
from .common import bounded_string, c_string

# Actions that take no buffer or length (strace shows the action alone):
# close, open, clear, console off and on, size unread, size buffer.
_SYSLOG_BARE = frozenset({0, 1, 5, 6, 7, 9, 10})
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
    read = raw is not None or (call.ret == 0 and call.ulong(1) != 0)
    if 2 <= action <= SYSLOG_ACTION_READ_CLEAR and call.ret is not None and read:
        # (nothing read for a result of 0: the empty string)
        buf = quote_buffer(raw or b"", call.ret, call.options)
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


# -- fsconfig ------------------------------------------------------------------

_SET_FLAG, _SET_STRING, _SET_BINARY, _SET_FD = 0, 1, 2, 5
_SET_PATHS = (3, 4)
_FSCONFIG_STRING_MAX = 256
# Larger binary values are refused by the kernel, and strace shows their address.
_FSCONFIG_BLOB_MAX = 1024 * 1024
_PATH_MAX = 4096


def _string_arg(call: Call, index: int, key: str) -> str:
    # The kernel takes at most 256 bytes of a key or string value, NUL
    # included: a longer one is cut even under a larger -s.
    raw, limit, hex_mode = as_bytes(call.entry.get(key)), call.options.string_limit, call.options.hex_strings
    if limit >= _FSCONFIG_STRING_MAX:
        shown = bounded_string(raw, _FSCONFIG_STRING_MAX, hex_mode)
    else:
        shown = c_string(raw, limit, hex_mode)
    return pointer(call.ulong(index)) if shown is None else shown


def _fsconfig(call: Call) -> list[str | None]:
    cmd = call.ulong(1) & 0xFFFFFFFF
    key = _string_arg(call, 2, "key") if cmd <= _SET_FD else pointer(call.ulong(2))
    value, aux = pointer(call.ulong(3)), str(call.c_int(4))
    if cmd == _SET_STRING:
        value = _string_arg(call, 3, "value")
    elif cmd == _SET_BINARY:
        raw = as_bytes(call.entry.get("value"))
        if raw is not None and call.c_int(4) <= _FSCONFIG_BLOB_MAX:
            # Binary data: every byte in hex, whatever -x says.
            value = quote_buffer(raw, max(call.c_int(4), 0), replace(call.options, hex_strings=2))
    elif cmd in _SET_PATHS:
        raw = as_bytes(call.entry.get("value"))
        if raw is not None:
            # A path with no NUL within PATH_MAX bytes is cut, as strace's printpath does.
            cut = len(raw) >= _PATH_MAX
            value = quote(raw[: _PATH_MAX - 1], _PATH_MAX, call.options.hex_strings) + ("..." if cut else "")
        aux = call.fmt(4) or aux
    elif cmd == _SET_FD and call.c_int(4) >= 0:
        aux = KIND_FORMATTERS["fd"](call, 4) or aux
    return [call.fmt(0), format_constant(cmd, "fsconfig_cmd"), key, value, aux]


CALLS["fsconfig"] = _fsconfig
