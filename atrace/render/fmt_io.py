"""Formatters of I/O arguments: iovecs, sockaddrs, pollfds, fd_sets."""

from __future__ import annotations

import ipaddress
import struct
from typing import TYPE_CHECKING, Any

from . import structs
from .call import ArgFormatter, Call, array_limit, format_array, out_missing, pointer
from .flags import (
    format_constant,
    format_flags,
)
from .quoting import as_bytes, quote, quote_buffer

if TYPE_CHECKING:
    from .options import TextOptions


def _pollfd(entry: dict[str, Any]) -> str:
    """{fd=3, events=POLLIN}; a negative fd (ignored by the kernel) alone."""
    fd = entry["fd"]
    return f"{{fd={fd}}}" if fd < 0 else f"{{fd={fd}, events={format_flags(entry['events'] & 0xFFFF, 'poll')}}}"


def _format_pollfd(call: Call, index: int) -> str:
    raw = call.entry.get(call.syscall.args[index].name)
    entries = [] if raw is None else structs.pollfds(raw, call.arch, call.name)
    count = call.ulong(index + 1) & 0xFFFFFFFF
    return format_array(call.ulong(index), count, [_pollfd(e) for e in entries], 8, array_limit(call))


def _format_fdset(call: Call, index: int) -> str:
    raw = call.entry.get(call.syscall.args[index].name)
    if raw is None:
        return pointer(call.ulong(index))
    return format_fdset(raw, call.c_int(0))


def format_fdset(raw: bytes, nfds: int) -> str:
    bits = int.from_bytes(raw, "little")
    return "[" + " ".join(str(fd) for fd in range(min(nfds, len(raw) * 8)) if bits >> fd & 1) + "]"


def _format_iov(call: Call, index: int) -> str:
    address, count = call.ulong(index), call.ulong(index + 1) if index + 1 < len(call.args) else 0
    size = call.long_bits // 4
    if call.syscall.args[index].kind == "iov_out" and out_missing(call, index):
        # The kernel filled nothing: the array as passed, its buffers as addresses.
        heads = call.entry.get(call.syscall.args[index].name) or []
        shown = [f"{{iov_base={pointer(base)}, iov_len={length}}}" for base, length in heads]
        return format_array(address, count, shown, size, array_limit(call))
    items = call.value(index) or []
    total = call.ret if call.syscall.args[index].kind == "iov_out" else None
    return format_array(address, count, iovec_texts(items, call.options, total), size, array_limit(call))


def _format_iov_remote(call: Call, index: int) -> str:
    """Buffers in another process: each iovec's address and length."""
    heads = call.entry.get(call.syscall.args[index].name) or []
    shown = [f"{{iov_base={pointer(base)}, iov_len={length}}}" for base, length in heads]
    return format_array(call.ulong(index), call.ulong(index + 1), shown, call.long_bits // 4, array_limit(call))


def iovec_texts(items: list[Any], options: TextOptions, total: int | None = None) -> list[str]:
    """Each of [[bytes, iov_len], ...] as strace shows a struct iovec (a
    buffer that could not be read, recorded as its address, as that).  With
    `total` (the bytes a read-like call returned), a buffer is complete when
    it holds its share of them: no `...` for the part the kernel did not fill."""
    shown = []
    left = total
    for data, length in items:
        full = length if left is None else min(length, max(left, 0))
        if left is not None:
            left -= length
        if isinstance(data, int):
            base = pointer(data)
        else:
            raw = as_bytes(data)
            base = quote_buffer(raw, full, options) if raw is not None else "NULL"
        shown.append(f"{{iov_base={base}, iov_len={length}}}")
    return shown


def format_iovecs(items: list[Any], options: TextOptions, total: int | None = None) -> str:
    """[[bytes, iov_len], ...] as strace shows an iovec array."""
    return "[" + ", ".join(iovec_texts(items, options, total)) + "]"


def _format_sockaddr(call: Call, index: int) -> str:
    value = call.value(index)
    if call.syscall.args[index].kind == "sockaddr_out":
        if out_missing(call, index):
            return pointer(call.ulong(index))
        raw, _length = value
    else:
        raw = value
    if raw is None:
        return pointer(call.ulong(index))
    return format_sockaddr(bytes(raw), call.options)


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


FORMATTERS: dict[str, ArgFormatter] = {
    "pollfd": _format_pollfd,
    "fdset": _format_fdset,
    "iov": _format_iov,
    "iov_remote": _format_iov_remote,
    "sockaddr": _format_sockaddr,
}
