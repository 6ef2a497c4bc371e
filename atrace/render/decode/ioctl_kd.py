"""The console and keyboard ioctls (linux/kd.h) as strace prints them
(what is read: atrace.syscalls.ioctl_kd)."""

from __future__ import annotations

from collections.abc import Callable

from ...syscalls.ioctl_kd import SCRNMAP
from ...syscalls.ioctls import describe
from ..call import Call, hex0
from ..flags import FlagTable, format_signal, raw_style, styled
from ..quoting import quote
from .ioctl_common import ShapeFormatter, arg_data, both, code_name, fields, flag_names, phase_of

# The PIT's input clock: KIOCSOUND and KDMKTONE pass its divisor.
_PIT_HZ = 1193182
_LEDS: FlagTable = [(1, "LED_SCR"), (2, "LED_NUM"), (4, "LED_CAP")]
# KDSKBLED: the lock flags in the low nibble, their defaults shifted by 4.
_KBLEDS: FlagTable = [*_LEDS, *((bit << 4, f"{name}<<4") for bit, name in _LEDS)]
_KB_TYPES = {1: "KB_84", 2: "KB_101", 3: "KB_OTHER"}
_MODES = {0: "KD_TEXT", 1: "KD_GRAPHICS", 2: "KD_TEXT0", 3: "KD_TEXT1"}
_KB_MODES = {0: "K_RAW", 1: "K_XLATE", 2: "K_MEDIUMRAW", 3: "K_UNICODE", 4: "K_OFF"}
_METAS = {3: "K_METABIT", 4: "K_ESCPREFIX"}
# KDADDIO's ports: the general-purpose range.
_GPFIRST, _GPLAST = 0x3B4, 0x3DF
_UNI_DIRECT_BASE, _UNI_DIRECT_MASK = 0xF000, 0x1FF


def describe_size(request: int) -> int:
    described = describe(request)
    return described.size if described is not None else 0


def _comment(shown: str, comment: str) -> str:
    return shown if raw_style() else f"{shown} /* {comment} */"


def _sound(call: Call, request: int) -> str:
    """KIOCSOUND: the divisor and the tone it makes."""
    divisor = call.ulong(2)
    return _comment(str(divisor), f"{_PIT_HZ // divisor} Hz" if 0 < divisor <= _PIT_HZ else "off")


def _tone(call: Call, request: int) -> str:
    """KDMKTONE: the duration in ms (high 16 bits) and the divisor."""
    word = call.ulong(2) & 0xFFFFFFFF
    duration, divisor = word >> 16, word & 0xFFFF
    shown = f"{duration}<<16|{divisor}" if duration else str(divisor)
    return _comment(shown, f"{_PIT_HZ // divisor} Hz, {duration} ms" if duration and divisor else "off")


def _boxed(show: Callable[[int], str], size: int, signed: bool = False) -> ShapeFormatter:
    """An int or char the kernel writes back, in brackets; the address
    until then."""

    def box(call: Call, request: int) -> str | None:
        raw = arg_data(call, "out")
        if raw is None or len(raw) < size:
            return None
        return f"[{show(int.from_bytes(raw[:size], 'little', signed=signed))}]"

    return box


def _value(show: Callable[[int], str], signed: bool = False) -> ShapeFormatter:
    """The argument itself (an int: its low 32 bits)."""
    return lambda call, request: show(call.c_int(2) if signed else call.ulong(2) & 0xFFFFFFFF)


def _signed_code(names: dict[int, str], unknown: str) -> Callable[[int], str]:
    """A code strace prints as a decimal int when unnamed (keyboard modes)."""
    return lambda value: styled(str(value), names.get(value)) if value in names else _unknown(str(value), unknown)


def _unknown(shown: str, prefix: str) -> str:
    return _comment(shown, prefix)


def _port(call: Call, request: int) -> str:
    port = call.ulong(2)
    return _comment(hex0(port), f"GPFIRST + {port - _GPFIRST}") if _GPFIRST <= port <= _GPLAST else hex0(port)


def _leds(value: int) -> str:
    return flag_names(value, _LEDS, "LED_???")


def _kbleds(value: int) -> str:
    return flag_names(value, _KBLEDS, "LED_???")


def _bytes(call: Call, request: int) -> str | None:
    """A table of chars, every byte in hex: strace reads only what -s
    shows (and one byte more to know there is more), so fewer readable
    bytes than that show the address."""
    raw = arg_data(call, phase_of(request))
    size = describe_size(request)
    limit = call.options.string_limit
    if raw is None or len(raw) < (limit + 1 if size > limit else size):
        return None
    return quote(raw[:size], limit, 2)


def _uniscrnmap(call: Call, request: int) -> str | None:
    """E_TABSZ unsigned shorts, those of the direct font region relative
    to it.  strace shows at most -s of them (all with -v), then `...`;
    where one cannot be read, `...` and its address."""
    raw = arg_data(call, phase_of(request))
    limit = min(SCRNMAP, call.options.string_limit) if call.abbreviated else SCRNMAP
    count = min(len(raw) // 2, SCRNMAP) if raw is not None else 0
    if raw is None or count == 0:
        return None
    items = [_unichar(int.from_bytes(raw[i : i + 2], "little")) for i in range(0, 2 * min(count, limit), 2)]
    if count < SCRNMAP and count <= limit:
        items.append(f"... /* {hex(call.ulong(2) + 2 * count)} */")
    elif limit < SCRNMAP:
        items.append("...")
    return "[" + ", ".join(items) + "]"


def _unichar(value: int) -> str:
    if value & ~_UNI_DIRECT_MASK != _UNI_DIRECT_BASE:
        return hex0(value)
    offset = value & _UNI_DIRECT_MASK
    return styled(hex0(value), f"UNI_DIRECT_BASE+{hex0(offset)}")


def _keycode(call: Call, request: int) -> str | None:
    def entry(raw: bytes) -> str:
        scancode, keycode = fields("II", raw) or (0, 0)
        return f"{{scancode={hex0(scancode)}, keycode={hex0(keycode)}"

    if request == 0x4B4D:  # KDSETKEYCODE
        raw = arg_data(call, "in")
        return entry(raw) + "}" if raw is not None and len(raw) >= 8 else None
    # KDGETKEYCODE: the keycode the kernel answers inside the braces.
    shown = both(call, entry, lambda raw: hex0((fields("II", raw) or (0, 0))[1]), 8)
    return None if shown is None else shown + "}"


def _kbdrep(raw: bytes) -> str:
    delay, period = fields("ii", raw) or (0, 0)
    return f"{{delay={delay}, period={period}}}"


SHAPES: dict[str, ShapeFormatter] = {
    "kd_sound": _sound,
    "kd_tone": _tone,
    "kd_leds": lambda call, request: (_boxed(_leds, 1)(call, request) if request == 0x4B31
                                      else _leds(call.ulong(2) & 0xFF)),
    "kd_kbtype": _boxed(lambda value: code_name(value, _KB_TYPES, "KB_???"), 1),
    "kd_port": _port,
    "kd_mode": lambda call, request: (_boxed(lambda v: code_name(v, _MODES, "KD_???"), 4)(call, request)
                                      if request == 0x4B3B else code_name(call.ulong(2) & 0xFFFFFFFF, _MODES,
                                                                          "KD_???")),
    "kd_kbmode": lambda call, request: (_boxed(_signed_code(_KB_MODES, "K_???"), 4, True)(call, request)
                                        if request == 0x4B44 else _signed_code(_KB_MODES, "K_???")(call.c_int(2))),
    "kd_meta": lambda call, request: (_boxed(lambda v: code_name(v, _METAS, "K_???"), 4)(call, request)
                                      if request == 0x4B62 else code_name(call.ulong(2) & 0xFFFFFFFF, _METAS,
                                                                          "K_???")),
    "kd_kbled": lambda call, request: (_boxed(_kbleds, 1)(call, request) if request == 0x4B64
                                       else _kbleds(call.ulong(2) & 0xFF)),
    "kd_signal": lambda call, request: format_signal(call.ulong(2)),
    "kd_bytes": _bytes,
    "kd_uniscrnmap": _uniscrnmap,
    "kd_keycode": _keycode,
    "kd_kbdrep": lambda call, request: both(call, _kbdrep, _kbdrep, 8),
}  # fmt: skip
