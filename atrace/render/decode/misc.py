"""syslog, reboot, fsconfig and arch_prctl: a command first, the rest by
what it says."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import replace
from functools import reduce

from ...syscalls.calls import MFD_NAME_LEN
from ...syscalls.cmds import (
    ARCH_GET_FS,
    ARCH_GET_GS,
    LINUX_REBOOT_CMD_RESTART2,
    REBOOT_ARG_SIZE,
    SYSLOG_ACTION_READ_CLEAR,
    command_arg,
)
from ..call import KIND_FORMATTERS, Call, hex0, pointer
from ..flags import CONSTANTS, TABLES, format_constant, named_bits, raw_style
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


# -- arch_prctl ----------------------------------------------------------------

_ARCH_GET_CPUID = 0x1011
_ARCH_REQ_XCOMP = frozenset({0x1023, 0x1025})  # ARCH_REQ_XCOMP_PERM, ARCH_REQ_XCOMP_GUEST_PERM
_XFEATURES_KNOWN = reduce(operator.or_, (bits for bits, _ in TABLES["x86_xfeatures"]))


def _xfeatures(value: int) -> str | None:
    """A mask of xfeatures, abbreviated (None when no feature is known)."""
    names, rest = named_bits(value, TABLES["x86_xfeatures"])
    return "|".join([*names, *([hex(rest)] if rest else [])]) if names else None


def _commented_number(value: int, comment: str) -> str:
    """strace's style for xfeatures: the number, its meaning as a comment
    (whatever -X says, except raw)."""
    return hex0(value) if raw_style() or not value else f"{value:#x} /* {comment} */"


def _arch_prctl(call: Call) -> list[str | None]:
    code = call.ulong(0) & 0xFFFFFFFF
    parts: list[str | None] = [format_constant(code, "arch_prctl")]
    addr = call.ulong(1)
    if code == _ARCH_GET_CPUID:
        return parts
    if code in _ARCH_REQ_XCOMP:
        name = CONSTANTS["x86_xfeature"].get(addr, "XFEATURE_???")
        return [*parts, hex0(addr) if raw_style() else f"{hex0(addr)} /* {name} */"]
    written = command_arg("arch_prctl", call.args)
    if written is None:
        return [*parts, hex0(addr)]
    raw = as_bytes((call.exit or {}).get("arg2")) if call.succeeded() else None
    if not addr or not raw:
        return [*parts, pointer(addr)]
    value = int.from_bytes(raw, "little")
    if code in (ARCH_GET_FS, ARCH_GET_GS):
        return [*parts, f"[{pointer(value)}]"]
    return [*parts, f"[{_commented_number(value, _xfeatures(value) or 'XFEATURE_MASK_???')}]"]


def _arch_prctl_return(call: Call) -> str | None:
    ret = call.ret
    if ret is None or ret <= 0 or call.ulong(0) & 0xFFFFFFFF not in _ARCH_REQ_XCOMP:
        return None
    names = _xfeatures(ret) if ret & _XFEATURES_KNOWN and not raw_style() else None
    return hex(ret) if names is None else f"{ret:#x} ({names})"


def _arch_prctl_split(call: Call) -> int:
    """A command the kernel answers through the pointer: cut before it."""
    return 1 if command_arg("arch_prctl", call.args) is not None else 2


CALLS["arch_prctl"] = _arch_prctl
RETURNS["arch_prctl"] = _arch_prctl_return
SPLIT_BY_CALL["arch_prctl"] = _arch_prctl_split


# -- sethostname ---------------------------------------------------------------

_NEW_UTS_LEN = 64


def _sethostname(call: Call) -> list[str | None]:
    """A name longer than the kernel takes is shown as its address; the
    length is an int to the kernel."""
    length = call.ulong(1) & 0xFFFFFFFF
    return [pointer(call.ulong(0)) if length > _NEW_UTS_LEN else call.fmt(0), str(length)]


CALLS["sethostname"] = _sethostname


# -- memfd_create --------------------------------------------------------------


def _memfd_create(call: Call) -> list[str | None]:
    """At most MFD_NAME_LEN bytes of the name count: with no NUL among them
    it is cut there (`...`), even under a larger -s."""
    raw, limit, hex_mode = as_bytes(call.entry.get("uname_ptr")), call.options.string_limit, call.options.hex_strings
    shown = bounded_string(raw, MFD_NAME_LEN, hex_mode) if limit >= MFD_NAME_LEN else c_string(raw, limit, hex_mode)
    return [pointer(call.ulong(0)) if shown is None else shown, call.fmt(1)]


CALLS["memfd_create"] = _memfd_create
