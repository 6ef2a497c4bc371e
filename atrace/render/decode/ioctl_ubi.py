"""UBI volumes' ioctls as strace prints them (what is read:
atrace.syscalls.ioctl_ubi)."""

from __future__ import annotations

from ...syscalls.ioctl_ubi import ATTACH, LEB_CHANGE, MAP, MKVOL, RNVOL, RSVOL, VOL_PROP
from ..call import Call
from ..flags import FlagTable, number
from .ioctl_common import ShapeFormatter, arg_data, array_text, code_name, cstring, fields, flag_names, struct_text

_VOLUME_TYPES = {3: "UBI_DYNAMIC_VOLUME", 4: "UBI_STATIC_VOLUME"}
_VOLUME_FLAGS: FlagTable = [(1, "UBI_VOL_SKIP_CRC_CHECK_FLG")]
_DATA_TYPES = {1: "UBI_LONGTERM", 2: "UBI_SHORTTERM", 3: "UBI_UNKNOWN"}
_PROPS = {1: "UBI_VOL_PROP_DIRECT_WRITE"}
_NAME = 128  # UBI_MAX_VOLUME_NAME + 1
_MAX_RNVOL = 32


def _in(call: Call, size: int) -> bytes | None:
    raw = arg_data(call, "in")
    return raw if raw is not None and len(raw) >= size else None


def _name(raw: bytes, offset: int, length: int, call: Call) -> str:
    """A name as long as its name_len says (kept within the array)."""
    return cstring(raw[offset : offset + 1 + min(max(length, 0), _NAME - 1)], call)


def _answered(call: Call, text: str) -> str:
    """The volume or device number the kernel writes back over the struct."""
    got = arg_data(call, "out")
    values = fields("i", got) if got is not None else None
    return f"{text} => [{values[0]}]" if values is not None else text


def _mkvol(call: Call, request: int) -> str | None:
    raw = _in(call, MKVOL)
    if raw is None:
        return None
    vol_id, alignment, size, kind, flags, length = fields("iiqbBh", raw) or (0,) * 6
    text = struct_text([f"vol_id={vol_id}", f"alignment={alignment}", f"bytes={size}",
                        f"vol_type={code_name(kind & 0xFF, _VOLUME_TYPES, 'UBI_???_VOLUME')}",
                        f"flags={flag_names(flags, _VOLUME_FLAGS, 'UBI_VOL_???')}", f"name_len={length}",
                        f"name={_name(raw, 24, length, call)}"])  # fmt: skip
    return _answered(call, text)


def _attach(call: Call, request: int) -> str | None:
    raw = _in(call, ATTACH)
    values = fields("iiih", raw) if raw is not None else None
    if values is None:
        return None
    names = ("ubi_num", "mtd_num", "vid_hdr_offset", "max_beb_per1024")
    return _answered(call, struct_text([f"{n}={v}" for n, v in zip(names, values, strict=True)]))


def _rsvol(call: Call, request: int) -> str | None:
    raw = _in(call, RSVOL)
    values = fields("qi", raw) if raw is not None else None
    return None if values is None else struct_text([f"bytes={values[0]}", f"vol_id={values[1]}"])


def _rnvol(call: Call, request: int) -> str | None:
    raw = _in(call, RNVOL)
    if raw is None:
        return None
    (count,) = fields("i", raw) or (0,)
    ents = []
    for i in range(min(max(count, 0), _MAX_RNVOL)):
        start = 16 + 136 * i
        vol_id, length = fields("ih", raw, start) or (0, 0)
        name = _name(raw, start + 8, length, call)
        ents.append(struct_text([f"vol_id={vol_id}", f"name_len={length}", f"name={name}"]))
    return struct_text([f"count={count}", f"ents={array_text(ents, call)}"])


def _leb_change(call: Call, request: int) -> str | None:
    raw = _in(call, LEB_CHANGE)
    values = fields("iib", raw) if raw is not None else None
    if values is None:
        return None
    return struct_text([f"lnum={values[0]}", f"bytes={values[1]}",
                        f"dtype={code_name(values[2] & 0xFF, _DATA_TYPES, 'UBI_???')}"])  # fmt: skip


def _map(call: Call, request: int) -> str | None:
    raw = _in(call, MAP)
    values = fields("ib", raw) if raw is not None else None
    if values is None:
        return None
    return struct_text([f"lnum={values[0]}", f"dtype={code_name(values[1] & 0xFF, _DATA_TYPES, 'UBI_???')}"])


def _vol_prop(call: Call, request: int) -> str | None:
    raw = _in(call, VOL_PROP)
    values = fields("B7xQ", raw) if raw is not None else None
    if values is None:
        return None
    return struct_text([f"property={code_name(values[0], _PROPS, 'UBI_VOL_PROP_???')}", f"value={number(values[1])}"])


def _scalar(layout: str) -> ShapeFormatter:
    def show(call: Call, request: int) -> str | None:
        raw = arg_data(call, "in")
        values = fields(layout, raw) if raw is not None else None
        return None if values is None else f"[{values[0]}]"

    return show


SHAPES: dict[str, ShapeFormatter] = {
    "ubi_mkvol": _mkvol,
    "ubi_attach": _attach,
    "ubi_rsvol": _rsvol,
    "ubi_rnvol": _rnvol,
    "ubi_leb_change": _leb_change,
    "ubi_map": _map,
    "ubi_vol_prop": _vol_prop,
    "ubi_s64": _scalar("q"),
    "ubi_int": _scalar("i"),
}
