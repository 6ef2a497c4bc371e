"""Infrared remote control devices' ioctls (linux/lirc.h): the __u32 each
passes or answers, as a LIRC_CAN_* feature set, a LIRC_MODE_* mode, a
mask in hex or a number (what is read: atrace.syscalls.ioctl_lirc)."""

from __future__ import annotations

from ..call import Call
from ..flags import FlagTable, number
from .ioctl_common import ShapeFormatter, arg_data, code_name, fields, flag_names

_MODES = {0x1: "LIRC_MODE_RAW", 0x2: "LIRC_MODE_PULSE", 0x4: "LIRC_MODE_MODE2", 0x8: "LIRC_MODE_SCANCODE",
          0x10: "LIRC_MODE_LIRCCODE"}  # fmt: skip
_FEATURES: FlagTable = [
    (0x2, "LIRC_CAN_SEND_PULSE"), (0x10, "LIRC_CAN_SEND_LIRCCODE"), (0x100, "LIRC_CAN_SET_SEND_CARRIER"),
    (0x200, "LIRC_CAN_SET_SEND_DUTY_CYCLE"), (0x400, "LIRC_CAN_SET_TRANSMITTER_MASK"),
    (0x40000, "LIRC_CAN_REC_MODE2"), (0x80000, "LIRC_CAN_REC_SCANCODE"), (0x100000, "LIRC_CAN_REC_LIRCCODE"),
    (0x1000000, "LIRC_CAN_SET_REC_CARRIER"), (0x2000000, "LIRC_CAN_MEASURE_CARRIER"),
    (0x4000000, "LIRC_CAN_USE_WIDEBAND_RECEIVER"), (0x10000000, "LIRC_CAN_SET_REC_TIMEOUT"),
    (0x20000000, "LIRC_CAN_GET_REC_RESOLUTION"), (0x80000000, "LIRC_CAN_SET_REC_CARRIER_RANGE"),
]  # fmt: skip


def _u32(call: Call) -> int | None:
    raw = arg_data(call, "out" if (call.args[1] & 0xFFFFFFFF) >> 30 == 2 else "in")
    values = fields("I", raw) if raw is not None else None
    return None if values is None else int(values[0])


def _shown(fmt: str) -> ShapeFormatter:
    def show(call: Call, request: int) -> str | None:
        value = _u32(call)
        if value is None:
            return None
        if fmt == "mode":
            return f"[{code_name(value, _MODES, 'LIRC_MODE_???')}]"
        if fmt == "features":
            return f"[{flag_names(value, _FEATURES, 'LIRC_CAN_???')}]"
        return f"[{number(value)}]" if fmt == "x" else f"[{value}]"

    return show


SHAPES: dict[str, ShapeFormatter] = {
    "lirc_features": _shown("features"),
    "lirc_mode": _shown("mode"),
    "lirc_u": _shown("u"),
    "lirc_x": _shown("x"),
}
