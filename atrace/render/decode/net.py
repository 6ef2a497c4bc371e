"""Network calls: socket, sockaddr decoding, send/recv, socket options."""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..args import Call, as_bytes, pointer, quote
from ..flags import CONSTANTS, format_constant, format_flags

if TYPE_CHECKING:
    from ..text import TextOptions

_AF_UNIX, _AF_INET, _AF_INET6, _AF_NETLINK = 1, 2, 10, 16


def format_sockaddr(raw: bytes, options: TextOptions) -> str:
    """A struct sockaddr of any family, as strace prints it."""
    if len(raw) < 2:
        return "{}"
    family = struct.unpack_from("<H", raw)[0]
    head = f"sa_family={format_constant(family, 'family', 'dec')}"
    if family == _AF_UNIX:
        path = raw[2:]
        if not path:
            return "{" + head + "}"
        if path[:1] == b"\0":
            return "{" + head + ", sun_path=@" + quote(path[1:].split(b"\0", 1)[0], 108) + "}"
        return "{" + head + ", sun_path=" + quote(path.split(b"\0", 1)[0], 108) + "}"
    if family == _AF_INET and len(raw) >= 8:
        port = struct.unpack_from(">H", raw, 2)[0]
        address4 = ipaddress.IPv4Address(raw[4:8])
        return "{" + head + f', sin_port=htons({port}), sin_addr=inet_addr("{address4}")}}'
    if family == _AF_INET6 and len(raw) >= 24:
        port, flowinfo = struct.unpack_from(">HI", raw, 2)
        address = ipaddress.IPv6Address(raw[8:24])
        scope = struct.unpack_from("<I", raw, 24)[0] if len(raw) >= 28 else 0
        return ("{" + head + f", sin6_port=htons({port}), sin6_flowinfo=htonl({flowinfo}), "
                f'inet_pton(AF_INET6, "{address}", &sin6_addr), sin6_scope_id={scope}}}')  # fmt: skip
    if family == _AF_NETLINK and len(raw) >= 12:
        pid, groups = struct.unpack_from("<II", raw, 4)
        return "{" + head + f", nl_pid={pid}, nl_groups={groups:08x}}}"
    return "{" + head + ", sa_data=" + quote(raw[2:], options.string_limit, options.hex_strings) + "}"


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


_OPTNAMES = {1: "so", 6: "tcp", 0: "ip", 41: "ipv6"}


def _level_and_name(call: Call) -> tuple[str, str]:
    level, name = call.c_int(1), call.c_int(2)
    table = _OPTNAMES.get(level)
    return (
        format_constant(level, "sol", "dec"),
        CONSTANTS[table].get(name, str(name)) if table else str(name),
    )


def _setsockopt(call: Call) -> list[str | None]:
    level, name = _level_and_name(call)
    raw = as_bytes(call.value(3))
    length = call.c_int(4)
    if raw is None:
        value = pointer(call.ulong(3))
    elif length == 4 and len(raw) == 4:
        value = f"[{struct.unpack('<i', raw)[0]}]"
    else:
        value = quote(raw, call.options.string_limit, call.options.hex_strings)
    return [call.fmt(0), level, name, value, str(length)]


def _getsockopt(call: Call) -> list[str | None]:
    level, name = _level_and_name(call)
    return [call.fmt(0), level, name, pointer(call.ulong(3)), pointer(call.ulong(4))]


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
            parts[flags_index] = format_flags(call.ulong(flags_index), "msg")
        return parts

    return formatter


def _accept4(call: Call) -> list[str | None]:
    parts = _with_addrlen(2)(call)
    parts[3] = format_flags(call.ulong(3), "sock_type")
    return parts


def _sendto(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[3] = format_flags(call.ulong(3), "msg")
    if call.args[4] == 0:
        parts[4] = "NULL"
    return parts


def _send_recv(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[-1] = format_flags(call.ulong(len(parts) - 1), "msg")
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
    "recvfrom": _with_addrlen(5, 3),
    "sendto": _sendto,
    "sendmsg": _send_recv,
    "recvmsg": _send_recv,
    "sendmmsg": _send_recv,
    "shutdown": _shutdown,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
