"""Input devices' ioctls (linux/input.h) as strace prints them: the
requests named with their code or size (`EVIOCGABS(ABS_Y)`,
`EVIOCGBIT(EV_KEY, 96)`) and their arguments (struct input_id,
input_absinfo, input_keymap_entry, ff_effect, bit sets of event codes).
What is read for each request: atrace.syscalls.ioctl_evdev.
"""

from __future__ import annotations

from ...syscalls.ioctl_codes import IOC_READ, IOC_WRITE, ioc_nr, ioc_size
from ...syscalls.ioctl_evdev import (
    ABS_READ_NR,
    ABS_WRITE_NR,
    BIT_NR,
    BIT_TABLES,
    BITSET_MAX,
    MTSLOTS_NR,
    NAME_NRS,
    SIZED_BITSETS,
)
from .._device_names import DEVICE_NAMES
from ..call import Call, format_array, pointer
from ..flags import const_style, number
from ..quoting import quote_buffer
from .ioctl_common import ShapeFormatter, arg_data, code_name, fields, struct_text

_E = ord("E")
_ABS = DEVICE_NAMES["abs"]
_KEY = DEVICE_NAMES["key"]
_SIZED_BITSET_NAMES = {0x09: "EVIOCGPROP", 0x18: "EVIOCGKEY", 0x19: "EVIOCGLED", 0x1A: "EVIOCGSND",
                       0x1B: "EVIOCGSW"}  # fmt: skip
# The comment of an unknown code in each bit set (strace's words).
_UNKNOWN = {"ev": "EV_???", "key": "KEY_???", "rel": "REL_???", "abs": "ABS_???", "msc": "MSC_???",
            "sw": "SW_???", "led": "LED_???", "snd": "SND_???", "rep": "REP_???", "ff": "FF_???",
            "ff_status": "FF_STATUS_???", "prop": "PROP_???"}  # fmt: skip
_ABSINFO_FIELDS = ("value", "minimum", "maximum", "fuzz", "flat", "resolution")
_ABSINFO_OLD = 20  # struct input_absinfo before its resolution field
_WORD = 8  # x86_64's long: bit sets are arrays of longs


def _code(value: int, names: dict[int, str], unknown: str, comments: bool) -> str:
    name = names.get(value)
    if name is not None:
        return name
    return f"{number(value)} /* {unknown} */" if comments else number(value)


def name_request(request: int, comments: bool) -> str | None:
    """EVIOCGNAME(len), EVIOCGABS(abs), EVIOCGBIT(ev, len)...: the requests
    whose number carries a size or a code."""
    if request >> 8 & 0xFF != _E:
        return None
    direction, nr, size = request >> 30, ioc_nr(request), ioc_size(request)
    if direction == IOC_WRITE and nr >= ABS_WRITE_NR:
        return f"EVIOCSABS({_code(nr - ABS_WRITE_NR, _ABS, 'ABS_???', comments)})"
    if direction != IOC_READ:
        return None
    if nr in NAME_NRS:
        return f"{NAME_NRS[nr]}({size})"
    if nr == MTSLOTS_NR:
        return f"EVIOCGMTSLOTS({size})"
    if nr in _SIZED_BITSET_NAMES:
        return f"{_SIZED_BITSET_NAMES[nr]}({size})"
    if ABS_READ_NR <= nr < ABS_READ_NR + 0x40:
        return f"EVIOCGABS({_code(nr - ABS_READ_NR, _ABS, 'ABS_???', comments)})"
    if BIT_NR <= nr < BIT_NR + 0x20:
        ev = nr - BIT_NR
        shown = "0" if ev == 0 else _code(ev, DEVICE_NAMES["ev"], "EV_???", comments)
        return f"EVIOCGBIT({shown}, {size})"
    return None


def _phase(call: Call) -> str:
    return "out" if (call.args[1] & 0xFFFFFFFF) >> 30 == IOC_READ else "in"


def _int_array(layout: str, form: str) -> ShapeFormatter:
    def show(call: Call, request: int) -> str | None:
        raw = arg_data(call, _phase(call))
        values = fields(layout, raw) if raw is not None else None
        return None if values is None else "[" + ", ".join(form % v for v in values) + "]"

    return show


def _version(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("I", raw) if raw is not None else None
    return None if values is None else f"[{number(values[0])}]"


def _input_id(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("4H", raw) if raw is not None else None
    if values is None:
        return None
    names = ("bustype", "vendor", "product", "version")
    return struct_text([f"{name}={v}" for name, v in zip(names, values, strict=True)])


def _keycode(call: Call, request: int) -> str | None:
    raw = arg_data(call, _phase(call))
    values = fields("2I", raw) if raw is not None else None
    return None if values is None else f"[{values[0]}, {code_name(values[1], _KEY, 'KEY_???')}]"


def _keymap(call: Call, request: int) -> str | None:
    raw = arg_data(call, _phase(call))
    values = fields("BBHI32B", raw) if raw is not None else None
    if values is None:
        return None
    flags, length, index, keycode, *scancode = values
    parts = [f"flags={flags}", f"len={length}"]
    if call.abbreviated:
        return struct_text([*parts, "..."])
    scan = ", ".join(number(b) for b in scancode)
    parts += [f"index={index}", f"keycode={code_name(keycode, _KEY, 'KEY_???')}", f"scancode=[{scan}]"]
    return struct_text(parts)


def _envelope(raw: bytes, offset: int) -> str:
    values = fields("4H", raw, offset) or (0, 0, 0, 0)
    return (f"envelope={{attack_length={values[0]}, attack_level={values[1]}, "
            f"fade_length={values[2]}, fade_level={number(values[3])}}}")  # fmt: skip


def _ff_union(kind: int, raw: bytes) -> str | None:
    """The union of struct ff_effect (at offset 16), by the effect's type."""
    if kind == 0x52:  # FF_CONSTANT
        (level,) = fields("h", raw, 16) or (0,)
        return f"constant={{level={level}, {_envelope(raw, 18)}}}"
    if kind == 0x57:  # FF_RAMP
        start, end = fields("2h", raw, 16) or (0, 0)
        return f"ramp={{start_level={start}, end_level={end}, {_envelope(raw, 20)}}}"
    if kind == 0x51:  # FF_PERIODIC
        wave, period, magnitude, offset, phase = fields("2H2hH", raw, 16) or (0,) * 5
        custom_len, custom_data = fields("IQ", raw, 36) or (0, 0)
        return (f"periodic={{waveform={wave}, period={period}, magnitude={magnitude}, offset={offset}, "
                f"phase={phase}, {_envelope(raw, 26)}, custom_len={custom_len}, "
                f"custom_data={pointer(custom_data)}}}")  # fmt: skip
    if kind == 0x50:  # FF_RUMBLE
        strong, weak = fields("2H", raw, 16) or (0, 0)
        return f"rumble={{strong_magnitude={strong}, weak_magnitude={weak}}}"
    return None


def _ff_effect(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    head = fields("Hh6H", raw) if raw is not None and len(raw) >= 48 else None
    if raw is None or head is None:
        return None
    kind, effect_id, direction, button, interval, length, delay, _ = head
    parts = [f"type={code_name(kind, DEVICE_NAMES['ff'], 'FF_???')}", f"id={effect_id}", f"direction={direction}"]
    if call.abbreviated:
        return struct_text([*parts, "..."])
    parts += [f"trigger={{button={button}, interval={interval}}}", f"replay={{length={length}, delay={delay}}}"]
    union = _ff_union(kind, raw)
    return struct_text([*parts, *([union] if union else [])])


def _absinfo(call: Call, request: int) -> str | None:
    size = ioc_size(request)
    raw = arg_data(call, _phase(call))
    if size < _ABSINFO_OLD or raw is None or len(raw) < min(size, 24):
        return None
    values = fields("6I", raw + bytes(24))
    assert values is not None
    shown = [f"{name}={v}" for name, v in zip(_ABSINFO_FIELDS, values, strict=True)]
    if call.abbreviated:
        return struct_text([*shown[:2], "..."])
    parts = shown[:5]
    if size > _ABSINFO_OLD:
        parts += shown[5:] if size >= 24 else []
        parts += ["..."] if size != 24 else []
    return struct_text(parts)


def _string(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    length = call.ret or 0
    if raw is None or len(raw) < min(length, call.options.string_limit):
        return None
    return quote_buffer(raw[: min(length, call.options.string_limit)], length, call.options)


def _mtslots(call: Call, request: int) -> str | None:
    count = ioc_size(request) // 4
    raw = arg_data(call, "out")
    head = fields("I", raw) if raw is not None and count else None
    if raw is None or head is None:
        return None
    values = [str(v[0]) for v in (fields("i", raw, 4 + 4 * i) for i in range(count - 1)) if v is not None]
    limit = call.options.string_limit if call.abbreviated else None
    shown = format_array(call.ulong(2) + 4, count - 1, values, 4, limit)
    return struct_text([f"code={code_name(head[0], DEVICE_NAMES['mtslot'], 'ABS_MT_???')}", f"values={shown}"])


def _bitset_table(request: int) -> str:
    nr = ioc_nr(request)
    return SIZED_BITSETS.get(nr) or BIT_TABLES[nr - BIT_NR]


def _bitset(call: Call, request: int) -> str | None:
    """A set of codes (EVIOCGBIT, EVIOCGKEY...): as many bits as the call
    returned bytes, at most the set's largest code, read as whole longs."""
    table = _bitset_table(request)
    top, ret = BITSET_MAX[table], call.ret or 0
    bits = top if ret > top // 8 else ret * 8
    size = (bits + 7) // 8
    size = (size + _WORD - 1) // _WORD * _WORD
    raw = arg_data(call, "out")
    if not size or raw is None or len(raw) < size:
        return None
    style = const_style()
    words = "[" + ", ".join(number(int.from_bytes(raw[i : i + _WORD], "little")) for i in range(0, size, _WORD)) + "]"
    if style == "raw":
        return words
    value = int.from_bytes(raw[:size], "little")
    codes = [i for i in range(bits) if value >> i & 1]
    names = DEVICE_NAMES[table]
    shown = [code_name(code, names, _UNKNOWN[table]) for code in codes]
    if call.abbreviated and len(shown) > 4:
        shown = [*shown[:4], "..."]
    text = "[" + " ".join(shown) + "]"
    return f"{text} /* {words} */" if style == "verbose" else text


SHAPES: dict[str, ShapeFormatter] = {
    "evdev_version": _version,
    "evdev_uint": _int_array("I", "%u"),
    "evdev_int": _int_array("i", "%d"),
    "evdev_pair": _int_array("2I", "%u"),
    "evdev_id": _input_id,
    "evdev_keycode": _keycode,
    "evdev_keymap": _keymap,
    "evdev_ff": _ff_effect,
    "evdev_absinfo": _absinfo,
    "evdev_string": _string,
    "evdev_mtslots": _mtslots,
    "evdev_bitset": _bitset,
    "evdev_int_value": lambda call, request: str(call.c_int(2)),
    "evdev_ulong_value": lambda call, request: str(call.ulong(2)),
    "evdev_address": lambda call, request: pointer(call.ulong(2)),
}
NAME_REQUEST = name_request
