"""/dev/random's RNDADDENTROPY: {entropy_count=3, buf_size=8, buf="..."}
(what is read: atrace.syscalls.ioctl_random)."""

from __future__ import annotations

from ..call import Call
from ..quoting import quote_buffer
from .ioctl_common import ShapeFormatter, arg_data, fields, struct_text


def _pool_info(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    head = fields("ii", raw) if raw is not None else None
    if raw is None or head is None:
        return None
    count, size = head
    buf = raw[8:]
    wanted = min(max(size, 0), call.options.string_limit)
    # strace shows the buffer's address when it cannot read it.
    readable = len(buf) >= wanted
    shown = quote_buffer(buf[:wanted], max(size, 0), call.options) if readable else hex(call.ulong(2) + 8)
    return struct_text([f"entropy_count={count}", f"buf_size={size}", f"buf={shown}"])


SHAPES: dict[str, ShapeFormatter] = {"rand_pool_info": _pool_info}
