"""Device mapper ioctls as strace shows them: `[{header}, payload...]`,
the header's fields by command, then the target specs, message or string
the command carries (`...` unless -v).  What the tracer copies comes from
atrace.syscalls.ioctl_dm."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ..call import Call
from ..flags import FlagTable, format_dev, format_table_flags
from ..quoting import quote

_HEADER = 305  # offsetof(struct dm_ioctl, data)
_SPEC = 40  # struct dm_target_spec: sector_start, length, status, next, target_type[16]
# Bit 7 has no name.
_FLAGS: FlagTable = [(1 << bit, name) for bit, name in enumerate(
    ("DM_READONLY_FLAG", "DM_SUSPEND_FLAG", "DM_EXISTS_FLAG", "DM_PERSISTENT_DEV_FLAG", "DM_STATUS_TABLE_FLAG",
     "DM_ACTIVE_PRESENT_FLAG", "DM_INACTIVE_PRESENT_FLAG", "", "DM_BUFFER_FULL_FLAG", "DM_SKIP_BDGET_FLAG",
     "DM_SKIP_LOCKFS_FLAG", "DM_NOFLUSH_FLAG", "DM_QUERY_INACTIVE_TABLE_FLAG", "DM_UEVENT_GENERATED_FLAG",
     "DM_UUID_FLAG", "DM_SECURE_DATA_FLAG", "DM_DATA_OUT_FLAG", "DM_DEFERRED_REMOVE", "DM_INTERNAL_SUSPEND_FLAG",
     "DM_IMA_MEASUREMENT_FLAG")) if name]  # fmt: skip
_DATA_OUT = 1 << 16
# Commands by number (the request's nr).
(VERSION, REMOVE_ALL, LIST_DEVICES, DEV_CREATE, DEV_REMOVE, DEV_RENAME, DEV_SUSPEND, DEV_STATUS, DEV_WAIT,
 TABLE_LOAD, TABLE_CLEAR, TABLE_DEPS, TABLE_STATUS, LIST_VERSIONS, TARGET_MSG, DEV_SET_GEOMETRY,
 DEV_ARM_POLL) = range(17)  # fmt: skip
_NO_DEVICE = {REMOVE_ALL, LIST_DEVICES, LIST_VERSIONS}
_NO_PARAMS = {VERSION, REMOVE_ALL, DEV_CREATE, DEV_REMOVE, DEV_SUSPEND, DEV_STATUS, TABLE_CLEAR, DEV_ARM_POLL}
_STATUS_BACK = {DEV_CREATE, DEV_RENAME, DEV_SUSPEND, DEV_STATUS, DEV_WAIT, TABLE_LOAD, TABLE_CLEAR, TABLE_DEPS,
                TABLE_STATUS, TARGET_MSG}  # fmt: skip
_MISPLACED = "??? /* misplaced {} */"


def _cstring(field: bytes) -> str:
    """A char array: up to its NUL; without one, cut one short with `...`."""
    end = field.find(b"\0")
    return quote(field[:end], len(field)) if end >= 0 else quote(field[:-1], len(field)) + "..."


class _Data:
    """The bytes copied from the struct's address, and how strace reads them."""

    def __init__(self, raw: bytes, call: Call) -> None:
        self.raw, self.call, self.address = raw, call, call.ulong(2)
        self.limit = call.options.string_limit

    def string(self, offset: int, length: int) -> str:
        """strace's printstr_ex of a NUL-terminated string of at most `length` bytes."""
        size = min(self.limit + 1, length)
        chunk = self.raw[offset : offset + size]
        end = chunk.find(b"\0")
        if end < 0 and len(chunk) < size:
            return hex(self.address + offset)
        shown = min(size, self.limit)
        if 0 <= end <= shown:
            return quote(chunk[:end], shown)
        return quote(chunk[:shown], shown) + ("..." if length else "")


def _header(raw: bytes, command: int, entering: bool) -> tuple[str, bool]:
    version = struct.unpack_from("<3I", raw)
    text = f"{{version=[{', '.join(map(str, version))}]"
    if version[0] != 4:
        return text + " /* unsupported device mapper ABI version */}", False
    data_size, data_start, target_count, open_count, flags, event_nr = struct.unpack_from("<3IiII", raw, 12)
    text += f", data_size={data_size}"
    if data_size < _HEADER:
        return text + " /* data_size too small */}", False
    if command not in _NO_PARAMS:
        text += f", data_start={data_start}"
    if command not in _NO_DEVICE:
        dev = struct.unpack_from("<Q", raw, 40)[0]
        text += f", dev={format_dev(dev)}" if dev else ""
        text += f", name={_cstring(raw[48:176])}" if raw[48] else ""
        text += f", uuid={_cstring(raw[176:305])}" if raw[176] else ""
    if entering:
        if command == TABLE_LOAD:
            text += f", target_count={target_count}"
        elif command in (DEV_RENAME, DEV_REMOVE, DEV_WAIT) or (command == DEV_SUSPEND and not flags & 2):
            text += f", event_nr={event_nr}"
    elif command in _STATUS_BACK:
        text += f", target_count={target_count}, open_count={open_count}, event_nr={event_nr}"
    return text + f", flags={format_table_flags(flags, _FLAGS, 'DM_???')}}}", True


def _target_specs(data: _Data, entering: bool) -> list[str]:
    raw, call = data.raw, data.call
    data_size, data_start, count = struct.unpack_from("<3I", raw, 12)
    if call.abbreviated:
        return ["..."] if count else []
    parts: list[str] = []
    offset, end = data_start, 0
    for index in range(count):
        if index and offset <= end:
            return [*parts, _MISPLACED.format("struct dm_target_spec")]
        end = offset + _SPEC
        if end > data_size or end > 0xFFFFFFFF:
            return [*parts, _MISPLACED.format("struct dm_target_spec")]
        if index >= data.limit:
            return [*parts, "..."]
        if len(raw) < end:
            return [*parts, hex(data.address + offset)]
        start, length, status, next_ = struct.unpack_from("<QQiI", raw, offset)
        middle = "" if entering else f", status={status}"
        target = _cstring(raw[offset + 24 : end])
        string = data.string(end, data_size - end)
        parts.append(f"{{sector_start={start}, length={length}{middle}, target_type={target}, string={string}}}")
        offset = offset + next_ if entering else data_start + next_
    return parts


def _message(data: _Data) -> list[str]:
    data_size, data_start = struct.unpack_from("<2I", data.raw, 12)
    if data_start == data_size:
        return []
    if data.call.abbreviated:
        return ["..."]
    end = data_start + 8
    if not data_start < end <= data_size:
        return [_MISPLACED.format("struct dm_target_msg")]
    if len(data.raw) < end:
        return [hex(data.address + data_start)]
    sector = struct.unpack_from("<Q", data.raw, data_start)[0]
    return [f"{{sector={sector}, message={data.string(end, data_size - end)}}}"]


def _string(data: _Data) -> list[str]:
    if data.call.abbreviated:
        return ["..."]
    data_size, data_start = struct.unpack_from("<2I", data.raw, 12)
    if data_start > data_size:
        return [_MISPLACED.format("string")]
    return [f"{{string={data.string(data_start, data_size - data_start)}}}"]


def _payload(data: _Data, command: int, entering: bool) -> list[str]:
    if (command == TABLE_LOAD and entering) or (command in (DEV_WAIT, TABLE_STATUS) and not entering):
        return _target_specs(data, entering)
    if command == TARGET_MSG:
        flags = struct.unpack_from("<I", data.raw, 28)[0]
        return _message(data) if entering else _string(data) if flags & _DATA_OUT else []
    if command in (DEV_RENAME, DEV_SET_GEOMETRY) and entering:
        return _string(data)
    if command in (TABLE_DEPS, LIST_DEVICES, LIST_VERSIONS) and not entering:
        # Their payloads are shown abbreviated, even under -v.
        data_size, data_start = struct.unpack_from("<2I", data.raw, 12)
        return ["..."] if data_start != data_size else []
    return []


def _one(raw: bytes, call: Call, entering: bool) -> str:
    command = call.args[1] & 0xFF
    header, whole = _header(raw, command, entering)
    parts = [header, *(_payload(_Data(raw, call), command, entering) if whole else [])]
    return "[" + ", ".join(parts) + "]"


def _dm(raw: bytes, call: Call) -> str | None:
    """At entry the request; once it returned, ` => ` the struct again when
    it succeeded or changed."""
    if len(raw) < 16 or struct.unpack_from("<I", raw, 12)[0] < 12:
        return None
    text = _one(raw, call, True)
    back = (call.exit or {}).get(call.syscall.args[2].name) if call.ret is not None else None
    if back is not None and len(back) >= 16:
        back = bytes(back)
        changed = back[:20] != raw[:20] or back[28:32] != raw[28:32]
        if call.succeeded() or changed:
            text += " => " + _one(back, call, False)
    return text


SHAPES: dict[str, Callable[[bytes, Call], str | None]] = {"dm_ioctl": _dm}
FORMS: dict[int, str | Callable[[Call], str]] = {}
