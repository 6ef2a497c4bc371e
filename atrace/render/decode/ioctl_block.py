"""Block devices' ioctls as strace prints them: numbers passed or read,
BLKDISCARD's range, BLKPG's request and the partition it points to,
BLKTRACESETUP's struct (its name once the call succeeded).  What is read:
atrace.syscalls.ioctl_block."""

from __future__ import annotations

from collections.abc import Callable

from ...syscalls.ioctl_block import BLKPG_ARG, BLKPG_PARTITION, BLKTRACESETUP, TRACE_SETUP
from ..call import Call, pointer
from ..pid_texts import pid_text
from .ioctl_common import ShapeFormatter, arg_data, code_name, cstring, fields, phase_of, struct_text

_BLKPG_OPS = {1: "BLKPG_ADD_PARTITION", 2: "BLKPG_DEL_PARTITION", 3: "BLKPG_RESIZE_PARTITION"}


def _number(layout: str) -> ShapeFormatter:
    def show(call: Call, request: int) -> str | None:
        raw = arg_data(call, phase_of(request))
        values = fields(layout, raw) if raw is not None else None
        return None if values is None else "[" + ", ".join(str(v) for v in values) + "]"

    return show


def _blkpg(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    head = fields("iiiiQ", raw) if raw is not None else None
    if raw is None or head is None:
        return None
    op, flags, datalen, _, data = head
    part = raw[BLKPG_ARG:]
    if len(part) >= BLKPG_PARTITION:
        start, length, pno = fields("qqi", part) or (0, 0, 0)
        names = f"devname={cstring(part[20:84], call)}", f"volname={cstring(part[84:148], call)}"
        shown = struct_text([f"start={start}", f"length={length}", f"pno={pno}", *names])
    else:
        shown = pointer(data)
    return struct_text([f"op={code_name(op, _BLKPG_OPS, 'BLKPG_???')}", f"flags={flags}", f"datalen={datalen}",
                        f"data={shown}"])  # fmt: skip


def _trace_setup(call: Call, request: int) -> str | None:
    """What goes in, then the buffer's name the kernel chose when it succeeded."""
    raw = arg_data(call, "in")
    values = fields("H2xIIxxxxQQI", raw, 32) if raw is not None and len(raw) >= TRACE_SETUP else None
    if raw is None or values is None:
        return None
    mask, size, count, start, end, pid = values
    parts = [f"act_mask={mask}", f"buf_size={size}", f"buf_nr={count}", f"start_lba={start}", f"end_lba={end}",
             f"pid={pid_text(pid, None, call.entry.get('arg_pid_pidns'))}"]  # fmt: skip
    got = arg_data(call, "out")
    if got is not None and len(got) >= TRACE_SETUP:
        parts.append(f"name={cstring(got[:32], call)}")
    return struct_text(parts)


def name_request(request: int, comments: bool) -> str | None:
    """BLKTRACESETUP: the kernel headers' generated names miss it."""
    return "BLKTRACESETUP" if request == BLKTRACESETUP else None


SHAPES: dict[str, ShapeFormatter] = {
    "blk_ulong_value": lambda call, request: str(call.ulong(2)),
    "blk_ushort": _number("H"),
    "blk_int": _number("i"),
    "blk_uint": _number("I"),
    "blk_long": _number("q"),
    "blk_ulong": _number("Q"),
    "blk_pair": _number("QQ"),
    "blkpg": _blkpg,
    "blk_trace_setup": _trace_setup,
}
NAME_REQUEST = name_request
# ZFS on Linux's _IOR(0x12, 125, char[256]): strace names it, no header
# does, and shows its argument as a hex word.
NAMES: dict[int, str] = {0x8100127D: "BLKZNAME"}
FORMS: dict[int, str | Callable[[Call], str]] = {0x8100127D: "hex"}
