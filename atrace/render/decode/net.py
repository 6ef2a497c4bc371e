"""Network calls: socket, sockaddr decoding, send/recv, socket options."""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...syscalls.abi import signed
from ...tracer.call_readers import SOCKOPT_MIN_READ
from .. import structs
from ..bpf_filter import format_insns
from ..call import Call, pointer
from ..flags import format_constant, format_flags, number, raw_style, styled
from ..fmt_time import time_left
from ..names import errno_name
from ..pid_texts import pid_text
from ..quoting import as_bytes, quote, quote_buffer
from .seccomp import format_program
from .sockopts import PACKET_STATISTICS, SOL_PACKET, format_struct_option, format_tpacket_stats, is_struct_option

if TYPE_CHECKING:
    pass

_AF_INET, _AF_INET6, _AF_NETLINK = 2, 10, 16


def _protocol(family: int, protocol: int) -> str:
    if family in (_AF_INET, _AF_INET6):
        return format_constant(protocol, "ipproto", "dec")
    if family == _AF_NETLINK:
        return format_constant(protocol, "netlink", "dec")
    return str(protocol)


def _socket(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[2] = _protocol(call.c_int(0), call.c_int(2))
    return parts


_OPTNAMES = {1: "so", 6: "tcp", 0: "ip", 41: "ipv6", 255: "raw", 263: "packet"}


def _level_and_name(call: Call) -> tuple[str, str]:
    level, name = call.c_int(1), call.c_int(2)
    if call.name == "getsockopt" and level == 1 and name == 26:
        # SO_ATTACH_FILTER's number, read back.
        return format_constant(level, "sol"), styled(number(name), "SO_GET_FILTER")
    table = _OPTNAMES.get(level)
    return (
        format_constant(level, "sol"),
        format_constant(name, table) if table else str(name),
    )


_SOL_SOCKET, _SO_ERROR, _SO_LINGER, _SO_PEERCRED = 1, 4, 13, 17
_SO_ATTACH_FILTER, _SO_ATTACH_REUSEPORT_CBPF = 26, 51
# SOL_SOCKET options whose value strace knows to be an int: a value of
# another length is shown as an address (set) or in hex (get).
_SO_INT_OPTIONS = frozenset({1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35,
                             36, 37, 40, 41, 42, 43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 74,
                             75})  # fmt: skip
_LINGER = ("l_onoff", "l_linger")


def format_ucred(raw: bytes, pidns: Any = None) -> str:
    """struct ucred, or as much of it as there is: {pid=1, uid=0, gid=0};
    `pidns`: the pid as atrace's namespace numbers it (--pidns-translation)."""
    names = ("pid", "uid", "gid")
    fields, rest = structs.int_fields(raw, names)
    shown = [f"{key}={pid_text(value, None, pidns) if key == 'pid' else value}" for key, value in fields]
    if rest:
        shown.append(f"{names[len(fields)]}={quote(rest, len(rest), 2)}")
    return "{" + ", ".join(shown) + "}"


_SO_TXREHASH = 74
_TXREHASH = {0: "SOCK_TXREHASH_DISABLED", 1: "SOCK_TXREHASH_ENABLED", 255: "SOCK_TXREHASH_DEFAULT"}


def _int_value(raw: bytes, name: int = 0) -> str:
    value = struct.unpack_from("<i", raw)[0]
    if name != _SO_TXREHASH:
        return f"[{value}]"
    known = _TXREHASH.get(value)
    if known is None and not raw_style():
        return f"[{value} /* SOCK_TXREHASH_??? */]"
    return f"[{styled(str(value), known)}]"


def _linger(raw: bytes) -> str:
    """struct linger, as far as the bytes go (a cut field in hex)."""
    fields, rest = structs.int_fields(raw, _LINGER)
    shown = [f"{key}={value}" for key, value in fields]
    if rest:
        shown.append(f"{_LINGER[len(fields)]}={quote(rest, len(rest), 2)}")
    return "{" + ", ".join(shown) + "}"


def _setsockopt_value(call: Call, level: int, name: int, length: int) -> str:
    if level == _SOL_SOCKET and name in (_SO_ATTACH_FILTER, _SO_ATTACH_REUSEPORT_CBPF):
        # A socket filter program (-v: its instructions), read as a struct sock_fprog.
        fprog = call.value(3)
        if not isinstance(fprog, list) or length < (16 if call.long_bits == 64 else 8):
            return pointer(call.ulong(3))
        return format_program(fprog, call.options.verbose, False, call.ulong(3))
    raw = as_bytes(call.value(3))
    if is_struct_option(level, name):
        shown = format_struct_option(level, name, raw, length, call)
        return shown if shown is not None else pointer(call.ulong(3))
    if raw is None:
        return pointer(call.ulong(3))
    if level == _SOL_SOCKET and name == _SO_LINGER:
        return _linger(raw) if length >= 8 and len(raw) >= 8 else pointer(call.ulong(3))
    if level == _SOL_SOCKET and name in _SO_INT_OPTIONS:
        return _int_value(raw, name) if length >= 4 and len(raw) >= 4 else pointer(call.ulong(3))
    if length == 4 and len(raw) == 4:
        return _int_value(raw)
    if _unreadable(raw, length):
        return pointer(call.ulong(3))
    return quote_buffer(raw, max(length, 0), call.options)


def _unreadable(raw: bytes, length: int) -> bool:
    """Fewer bytes than the tracer asked for (the length, up to the
    SOCKOPT_MIN_READ bytes it reads whatever -s says): the value ends in
    unreadable memory, and strace shows its address."""
    return len(raw) < min(length, SOCKOPT_MIN_READ)


def _setsockopt(call: Call) -> list[str | None]:
    level_text, name_text = _level_and_name(call)
    length = call.c_int(4)
    value = _setsockopt_value(call, call.c_int(1), call.c_int(2), length)
    return [call.fmt(0), level_text, name_text, value, str(length)]


def _getsockopt_value(call: Call, level: int, name: int) -> str:
    value = (call.exit or {}).get(call.syscall.args[3].name)
    before = call.entry.get(call.syscall.args[4].name)
    if not call.succeeded() or not isinstance(value, list) or not isinstance(before, int):
        return pointer(call.ulong(3))
    data, length = value
    raw = as_bytes(data)
    if raw is None or length <= 0 or signed(before, 32) <= 0:
        return pointer(call.ulong(3))
    if level == _SOL_SOCKET and name == _SO_LINGER:
        return _linger(raw)
    if level == _SOL_SOCKET and name == _SO_PEERCRED:
        return format_ucred(raw, (call.exit or {}).get("optval_pid_pidns"))
    if level == SOL_PACKET and name == PACKET_STATISTICS:
        return format_tpacket_stats(raw[:12]) if len(raw) >= min(length, 12) else pointer(call.ulong(3))
    if level == _SOL_SOCKET and name == _SO_ATTACH_FILTER:  # SO_GET_FILTER: `length` instructions
        insns = format_insns(raw, length, False)
        return "[" + ", ".join(insns) + "]" if len(insns) == length else pointer(call.ulong(3))
    if is_struct_option(level, name):
        shown = format_struct_option(level, name, raw, length, call)
        return shown if shown is not None else pointer(call.ulong(3))
    if level == _SOL_SOCKET and name == _SO_ERROR and length == 4 and len(raw) == 4:
        # The pending error, by its errno name.
        error = struct.unpack_from("<i", raw)[0]
        return f"[{errno_name(error) if error > 0 else error}]"
    if level == _SOL_SOCKET and name in _SO_INT_OPTIONS:
        # An int option reads an int when the length allows one (the rest,
        # if any, is not looked at); a shorter value in hex.
        if length >= 4 and len(raw) >= 4:
            return _int_value(raw, name)
        return quote(raw, call.options.string_limit, 2)
    if length == 4 and len(raw) == 4:
        return _int_value(raw)
    if _unreadable(raw, length):
        return pointer(call.ulong(3))
    return quote_buffer(raw, length, call.options)


def _getsockopt(call: Call) -> list[str | None]:
    level_text, name_text = _level_and_name(call)
    value = _getsockopt_value(call, call.c_int(1), call.c_int(2))
    return [call.fmt(0), level_text, name_text, value, _optlen(call)]


def _optlen(call: Call) -> str:
    """getsockopt's length: [in], or [in => out] when the kernel changed it."""
    if call.args[4] == 0:
        return "NULL"
    before = call.entry.get(call.syscall.args[4].name)
    if not isinstance(before, int):
        return pointer(call.ulong(4))
    before = signed(before, 32)
    value = (call.exit or {}).get(call.syscall.args[3].name)
    if not call.succeeded() or not isinstance(value, list) or value[1] == before:
        return f"[{before}]"
    return f"[{before} => {value[1]}]"


def _addrlen(call: Call, index: int) -> str:
    """The socklen_t pointer after a sockaddr the kernel fills: [in => out]."""
    out = call.value(index - 1)
    before = call.entry.get(call.syscall.args[index].name)
    if call.args[index] == 0:
        return "NULL"
    if not isinstance(before, int):
        return pointer(call.ulong(index))
    if call.exit is None or not call.succeeded() or out is None:
        return f"[{before}]"
    after = out[1]
    return f"[{before}]" if before == after else f"[{before} => {after}]"


def _with_addrlen(index: int, flags_index: int | None = None) -> Callable[[Call], list[str | None]]:
    def formatter(call: Call) -> list[str | None]:
        parts: list[str | None] = call.all()
        parts[index] = _addrlen(call, index)
        if flags_index is not None:
            parts[flags_index] = format_flags(call.ulong(flags_index) & 0xFFFFFFFF, "msg")
        return parts

    return formatter


def _accept4(call: Call) -> list[str | None]:
    parts = _with_addrlen(2)(call)
    parts[3] = format_flags(call.ulong(3), "sock_type")
    return parts


def _netlink_buffer(call: Call, parts: list[str | None], record: dict[str, Any] | None, length: int) -> None:
    """A buffer on a netlink socket (argument 1) as netlink messages (not for
    a call outside -e verbose=, as strace); lists cut at -s when abbreviated."""
    value = (record or {}).get("netlink")
    if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], int) and call.dereferenced:
        options = call.options
        from ..netlink import decode_buffer  # on first use: ~1/3 of the renderer's import time

        parts[1] = decode_buffer(value[0], as_bytes(value[1]), call.ulong(1), length, options.string_limit,
                                 options.hex_strings, call.abbreviated)


def _sendto(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[3] = format_flags(call.ulong(3) & 0xFFFFFFFF, "msg")
    if call.args[4] == 0:
        parts[4] = "NULL"
    _netlink_buffer(call, parts, call.entry, call.ulong(2))
    return parts


def _recvfrom(call: Call) -> list[str | None]:
    parts = _with_addrlen(5, 3)(call)
    raw = as_bytes((call.exit or {}).get(call.syscall.args[1].name))
    if raw is not None and call.ret is not None and call.ret > call.ulong(2):
        # MSG_TRUNC returns the datagram's whole length: the buffer holds
        # no more than its size.
        parts[1] = quote_buffer(raw, call.ulong(2), call.options)
    if call.succeeded() and call.ret is not None:
        _netlink_buffer(call, parts, call.exit, min(call.ret, call.ulong(2)))
    return parts


def _shutdown(call: Call) -> list[str | None]:
    return [call.fmt(0), format_constant(call.c_int(1), "shutdown", "dec")]


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "socket": _socket,
    "socketpair": _socket,
    "setsockopt": _setsockopt,
    "getsockopt": _getsockopt,
    "accept": _with_addrlen(2),
    "accept4": _accept4,
    "getsockname": _with_addrlen(2),
    "getpeername": _with_addrlen(2),
    "recvfrom": _recvfrom,
    "sendto": _sendto,
    "shutdown": _shutdown,
}


def _recvmmsg_return(call: Call) -> str | None:
    """`0 (Timeout)`; with a timeout, the time the kernel left in it."""
    if call.ret == 0 and call.exit is not None:
        return "0 (Timeout)"
    # Outside -e verbose= the timeout is an address, and nothing is said of it.
    left = time_left(call, 4) if call.succeeded() and call.ulong(4) and call.dereferenced else None
    return None if left is None else f"{call.ret} ({left})"


RETURNS: dict[str, Callable[[Call], str | None]] = {
    "recvmmsg": _recvmmsg_return,
    "recvmmsg_time64": _recvmmsg_return,
}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
