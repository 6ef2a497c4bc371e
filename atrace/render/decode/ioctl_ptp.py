"""PTP hardware clocks' ioctls (linux/ptp_clock.h) as strace prints them:
clock times (real-time ones dated in a comment), capabilities, external
timestamp and periodic output requests, pin functions and the system
offset samples.  What is read: atrace.syscalls.ioctl_ptp."""

from __future__ import annotations

from ...syscalls.ioctl_ptp import CAPS, EXTENDED, EXTTS, NAMES, PEROUT, PIN_DESC, PRECISE, SECOND_NRS, SYS_OFFSET
from ..call import Call
from ..flags import FlagTable, const_style, number
from ..fmt_time import time_comment
from .ioctl_common import ShapeFormatter, arg_data, array_text, code_name, cstring, fields, flag_names, struct_text

_EXTTS_FLAGS: FlagTable = [(1, "PTP_ENABLE_FEATURE"), (2, "PTP_RISING_EDGE"), (4, "PTP_FALLING_EDGE"),
                           (8, "PTP_STRICT_FLAGS")]  # fmt: skip
_PEROUT_ONE_SHOT, _PEROUT_DUTY_CYCLE, _PEROUT_PHASE = 1, 2, 4
_PEROUT_FLAGS: FlagTable = [(1, "PTP_PEROUT_ONE_SHOT"), (2, "PTP_PEROUT_DUTY_CYCLE"), (4, "PTP_PEROUT_PHASE")]
_PIN_FUNCS = {0: "PTP_PF_NONE", 1: "PTP_PF_EXTTS", 2: "PTP_PF_PEROUT", 3: "PTP_PF_PHYSYNC"}
_MAX_SAMPLES = 25
_CAPS_FIELDS = ("max_adj", "n_alarm", "n_ext_ts", "n_per_out", "pps", "n_pins", "cross_timestamping",
                "adjust_phase")  # fmt: skip


def _second(request: int) -> bool:
    return request & 0xFF in SECOND_NRS


def _clock_time(raw: bytes, offset: int, dated: bool) -> str:
    """struct ptp_clock_time; a real-time one with its date as a comment."""
    sec, nsec, reserved = fields("qII", raw, offset) or (0, 0, 0)
    text = struct_text([f"sec={sec}", f"nsec={nsec}", *([f"reserved={number(reserved)}"] if reserved else [])])
    return text + time_comment(sec, nsec) if dated and const_style() != "raw" else text


def _rsv(raw: bytes, offset: int, count: int) -> list[str]:
    words = list(fields(f"{count}I", raw, offset) or ())
    return [f"rsv=[{', '.join(number(w) for w in words)}]"] if any(words) else []


def _caps(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("8i", raw) if raw is not None and len(raw) >= CAPS else None
    if raw is None or values is None:
        return None
    shown = [f"{name}={v}" for name, v in zip(_CAPS_FIELDS, values, strict=True)]
    return struct_text([*shown, *_rsv(raw, 32, 12)])


def _extts(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("II", raw) if raw is not None and len(raw) >= EXTTS else None
    if raw is None or values is None:
        return None
    parts = [f"index={values[0]}", f"flags={flag_names(values[1], _EXTTS_FLAGS, 'PTP_???')}"]
    return struct_text([*parts, *(_rsv(raw, 8, 2) if _second(request) else [])])


def _perout(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("II", raw, 32) if raw is not None and len(raw) >= PEROUT else None
    if raw is None or values is None:
        return None
    index, flags = values
    phase = bool(flags & _PEROUT_PHASE)
    parts = [f"phase={_clock_time(raw, 0, False)}" if phase else f"start={_clock_time(raw, 0, True)}",
             f"period={_clock_time(raw, 16, False)}", f"index={index}",
             f"flags={flag_names(flags, _PEROUT_FLAGS, 'PTP_PEROUT_???')}"]  # fmt: skip
    if flags & _PEROUT_DUTY_CYCLE:
        parts.append(f"on={_clock_time(raw, 40, False)}")
    elif _second(request):
        parts += _rsv(raw, 40, 4)
    return struct_text(parts)


def _samples(call: Call, request: int, size: int, answer: str) -> str | None:
    """PTP_SYS_OFFSET and ..._EXTENDED: the samples asked for, then (once
    the call succeeded) the timestamps the kernel took."""
    raw = arg_data(call, "in")
    values = fields("I", raw) if raw is not None and len(raw) >= size else None
    if raw is None or values is None:
        return None
    parts = [f"n_samples={values[0]}", *_rsv(raw, 4, 3)]
    got = arg_data(call, "out")
    if got is not None and len(got) >= size:
        count = min((fields("I", got) or (0,))[0], _MAX_SAMPLES)
        if answer == "pairs":
            times = [_clock_time(got, 16 + 16 * i, True) for i in range(2 * count + 1)]
        else:
            times = ["[" + ", ".join(_clock_time(got, 16 + 48 * i + 16 * j, True) for j in range(3)) + "]"
                     for i in range(count)]  # fmt: skip
        parts.append(f"ts={array_text(times, call)}")
    return struct_text(parts)


def _pin(call: Call, request: int, getting: bool) -> str | None:
    raw = arg_data(call, "in")
    values = fields("3I", raw, 64) if raw is not None and len(raw) >= PIN_DESC else None
    if raw is None or values is None:
        return None
    parts = [f"index={values[0]}"]
    if getting:
        parts += _rsv(raw, 76, 5) if _second(request) else []
        raw = arg_data(call, "out") or b""
        values = fields("3I", raw, 64) if len(raw) >= PIN_DESC else None
        if values is None:
            return struct_text(parts)
        parts.append(f"name={cstring(raw[:64], call)}")
    parts += [f"func={code_name(values[1], _PIN_FUNCS, 'PTP_PF_???')}", f"chan={values[2]}"]
    if not getting and _second(request):
        parts += _rsv(raw, 76, 5)
    return struct_text(parts)


def _precise(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    if raw is None or len(raw) < PRECISE:
        return None
    return struct_text([f"device={_clock_time(raw, 0, True)}", f"sys_realtime={_clock_time(raw, 16, True)}",
                        f"sys_monoraw={_clock_time(raw, 32, False)}", *_rsv(raw, 48, 4)])  # fmt: skip


def name_request(request: int, comments: bool) -> str | None:
    return NAMES.get(request)


SHAPES: dict[str, ShapeFormatter] = {
    "ptp_caps": _caps,
    "ptp_extts": _extts,
    "ptp_perout": _perout,
    "ptp_sys_offset": lambda call, request: _samples(call, request, SYS_OFFSET, "pairs"),
    "ptp_extended": lambda call, request: _samples(call, request, EXTENDED, "triples"),
    "ptp_pin_get": lambda call, request: _pin(call, request, True),
    "ptp_pin_set": lambda call, request: _pin(call, request, False),
    "ptp_precise": _precise,
    "ptp_pps": lambda call, request: number(call.ulong(2)),
}
NAME_REQUEST = name_request
