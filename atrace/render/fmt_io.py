"""Formatters of I/O arguments: iovecs, sockaddrs, pollfds, fd_sets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..syscalls.abi import signed
from . import structs
from .call import ArgFormatter, Call, array_limit, format_array, out_missing, pointer
from .flags import (
    format_flags,
)
from .quoting import as_bytes, quote_buffer
from .sockaddr import format_sockaddr

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
        raw, length = value
        # strace shows no more than the smaller of the lengths passed in and
        # written back: what the kernel wrote beyond the caller's buffer is not there.
        before = call.entry.get(call.syscall.args[index + 1].name)
        if isinstance(before, int):
            raw = raw[: max(0, min(signed(before, 32), length))]
    else:
        raw = value
        if raw is not None and len(raw) < min(call.ulong(index + 1) & 0xFFFFFFFF, 128):
            raw = None  # not readable as far as its length says: strace shows the address
    if raw is None:
        return pointer(call.ulong(index))
    return format_sockaddr(bytes(raw), call.options, call.entry.get(f"{call.syscall.args[index].name}_umem_fd_path"))


FORMATTERS: dict[str, ArgFormatter] = {
    "pollfd": _format_pollfd,
    "fdset": _format_fdset,
    "iov": _format_iov,
    "iov_remote": _format_iov_remote,
    "sockaddr": _format_sockaddr,
}
