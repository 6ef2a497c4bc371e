"""-e read= / -e write=: hex dumps of the data a call read or wrote.

strace prints them under the call's line, without the line's prefix:

     | 00000  61 62 63 0a                                       abc.             |

16 bytes a line (an extra space after the eighth), their offset, and the
printable ASCII ones. An iovec array's buffers are dumped one by one, each
under ` * N bytes in buffer I` (up to the first empty one; for a read, only
as far as the bytes received reach), an mmsghdr array's messages each under
` = N buffers in vector I`. Written data is dumped whatever the call
returned, read data only when the call succeeded; data the tracer could
not read whole is not dumped (as strace, which then reads nothing).

The tracer records the whole data of these calls for the chosen fds
(tracer/dumps.py), so what is dumped is never cut at -s.
"""

from __future__ import annotations

from typing import Any

from ..syscalls import Syscall
from ..syscalls.abi import is_error, signed
from ..syscalls.calls import DUMPED_CALLS
from .options import TextOptions
from .quoting import as_bytes

# Bytes shown as themselves in the ASCII column; the others as '.'.
_ASCII = str.maketrans({c: chr(c) if 0x20 <= c < 0x7F else "." for c in range(256)})


def hexdump(data: bytes) -> str:
    """strace's dump lines of `data` (nothing for no data).

    The hex and the ASCII column are made for the whole buffer in two C
    passes (bytes.hex, str.translate) and cut into lines: a 1 MiB write
    makes 65,536 lines."""
    hex_text = data.hex(" ")
    ascii_text = data.decode("latin-1").translate(_ASCII)
    lines = []
    # At least five hex digits, more when the last byte's offset needs them.
    width = max(5, len(f"{len(data) - 1:x}"))
    for offset in range(0, len(data), 16):
        row = hex_text[offset * 3 : offset * 3 + 47]
        # An extra space between the eighth and the ninth byte.
        hex_part = " " + row[:23] + (" " + row[23:] if len(row) > 23 else "")
        lines.append(f" | {offset:0{width}x} {hex_part:<49}  {ascii_text[offset : offset + 16]:<16} |\n")
    return "".join(lines)


def _iov_dump(items: Any, data_size: int | None) -> str:
    """Each buffer of an iovec array, as far as `data_size` bytes reach (None: all)."""
    out = []
    for number, (data, length) in enumerate(items):
        size = length if data_size is None else min(length, data_size)
        if size <= 0:
            break
        if data_size is not None:
            data_size -= size
        raw = as_bytes(data) or b""
        if len(raw) < size:
            break  # not read whole
        out.append(f" * {size} bytes in buffer {number}\n{hexdump(raw[:size])}")
    return "".join(out)


def _buffer(value: Any, size: int, address: int, tid: int) -> str:
    """A buffer's dump; where the tracee's memory ended before `size`
    bytes, what could be read and then strace's line saying so."""
    raw = as_bytes(value)
    if raw is None or size <= 0:
        return ""
    if len(raw) >= size:
        return hexdump(raw[:size])
    missing = size - len(raw)
    unit = "byte" if missing == 1 else "bytes"
    return hexdump(raw) + f" | <Cannot fetch {missing} {unit} from pid {tid} @{address + len(raw):#x}>\n"


def _messages(value: Any, count: int) -> str:
    """sendmmsg/recvmmsg: each message handled, its buffers as far as msg_len."""
    if not isinstance(value, list):
        return ""
    out = []
    for number, message in enumerate(value[: max(count, 0)]):
        if not isinstance(message, dict):
            break
        iov = message.get("iov") or []
        out.append(f" = {len(iov)} buffers in vector {number}\n")
        out.append(_iov_dump(iov, message.get("msg_len", 0)))
    return "".join(out)


def call_dump(syscall: Syscall, args: Any, entry: dict[str, Any], exit_data: dict[str, Any] | None, ret: int,
              options: TextOptions, tid: int = 0) -> str:  # fmt: skip
    """The dump lines that follow this call's line, or nothing."""
    direction = DUMPED_CALLS.get(syscall.name)
    fds = options.dump_write if direction == "write" else options.dump_read if direction == "read" else None
    if not fds or not args or signed(args[0], 32) not in fds:
        return ""
    if direction == "read" and is_error(ret):
        return ""
    key = syscall.args[1].name  # the data is every dumped call's second argument
    value = (exit_data or {}).get(key, entry.get(key))
    if value is None:
        return ""
    kind = syscall.args[1].kind
    received = None if direction == "write" else ret
    if kind in ("mmsghdr_send", "mmsghdr_recv"):
        return _messages(value, ret)
    if kind in ("msghdr_in", "msghdr_out"):
        iov = value.get("iov") if isinstance(value, dict) else None
        return _iov_dump(iov, received) if iov else ""
    if kind in ("iov_in", "iov_out"):
        if not isinstance(value, list) or len(value) < (args[2] & 0xFFFFFFFF):
            return ""  # the array was not read whole
        return _iov_dump(value, received)
    return _buffer(value, args[2] if direction == "write" else ret, args[1], tid)
