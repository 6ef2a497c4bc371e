"""The console and keyboard ioctls (linux/kd.h) as strace prints them
(what is read: atrace.syscalls.ioctl_kd)."""

from __future__ import annotations

from collections.abc import Callable

from ...syscalls.ioctl_kd import (
    DIACRSUC,
    FONT_OP,
    FONTDESC,
    GIO_FONTX,
    GIO_UNIMAP,
    KBSENTRY,
    SCRNMAP,
    UNIMAPDESC,
    UNIPAIR,
    font_op_size,
)
from ...syscalls.ioctls import describe
from .._device_names import DEVICE_NAMES
from ..call import Call, hex0, pointer
from ..flags import FlagTable, format_signal, raw_style, styled
from ..quoting import quote
from .ioctl_common import ShapeFormatter, arg_data, both, code_name, fields, flag_names, phase_of, struct_text

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
_KEYSYMS, _KEY_TYPES = DEVICE_NAMES["keysym"], DEVICE_NAMES["kt"]
_KT_FN = 1
# The key types whose value is a char: KT_LATIN, KT_META, KT_LETTER, KT_DEAD2.
_CHAR_TYPES = frozenset({0, 8, 11, 13})
_KB_TABLES = {0: "K_NORMTAB", 1: "K_SHIFTTAB", 2: "K_ALTTAB", 3: "K_ALTSHIFTTAB"}
_SHIFT_GROUPS: FlagTable = [(1 << bit, f"1<<{name}") for bit, name in DEVICE_NAMES["kg"].items() if bit < 8]
_FONT_OPS = {0: "KD_FONT_OP_SET", 1: "KD_FONT_OP_GET", 2: "KD_FONT_OP_SET_DEFAULT", 3: "KD_FONT_OP_COPY"}
_OP_SET, _OP_GET, _OP_SET_DEFAULT, _OP_COPY = 0, 1, 2, 3
_MAX_FONT_NAME = 32
_FONT_FLAGS: FlagTable = [(1, "KD_FONT_FLAG_DONT_RECALC"), (0x80000000, "KD_FONT_FLAG_OLD")]
_CHAR_ESCAPES = {0x27: "\\'", 0x5C: "\\\\", 0x0A: "\\n", 0x09: "\\t", 0x0D: "\\r", 0x0B: "\\v", 0x0C: "\\f"}


def _size(request: int) -> int:
    described = describe(request)
    return described.size if described is not None else 0


def _passed_only(request: int) -> bool:
    """The request only passes its struct in (KDSKBENT), no answer comes back."""
    described = describe(request)
    return described is not None and described.when == "in"


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


def _int(show: Callable[[int], str], size: int, signed: bool = False) -> ShapeFormatter:
    """An int or char of `size` bytes: passed by value (KDSETLED: its low
    bytes), or written back by the kernel, in brackets (KDGETLED: the
    address until then)."""

    def shown(call: Call, request: int) -> str | None:
        described = describe(request)
        if described is not None and described.when == "value":
            word = call.ulong(2) & ((1 << 8 * size) - 1)
            return show(word - (1 << 8 * size) if signed and word >> (8 * size - 1) else word)
        raw = arg_data(call, "out")
        if raw is None or len(raw) < size:
            return None
        return f"[{show(int.from_bytes(raw[:size], 'little', signed=signed))}]"

    return shown


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
    size = _size(request)
    limit = call.options.string_limit
    if raw is None or len(raw) < (limit + 1 if size > limit else size):
        return None
    return quote(raw[:size], limit, 2)


def _uniscrnmap(call: Call, request: int) -> str | None:
    """E_TABSZ unsigned shorts, those of the direct font region relative to it."""
    raw = arg_data(call, phase_of(request))
    if raw is None or len(raw) < 2:
        return None
    return _array(raw, 0, SCRNMAP, 2, lambda at: _unichar(int.from_bytes(raw[at : at + 2], "little")), call,
                  call.ulong(2))  # fmt: skip


def _array(raw: bytes, offset: int, count: int, size: int, item: Callable[[int], str], call: Call,
           address: int, cap: int | None = None) -> str:  # fmt: skip
    """An array of `count` elements of `size` bytes at raw[offset:] (at
    `address` in the tracee; at most `cap` of them exist) as strace prints
    one: at most -s elements (all with -v), then `...`; where one cannot
    be read, `...` and its address; none readable, the address."""
    readable = max(len(raw) - offset, 0) // size
    if count == 0:
        return "[]"
    if readable == 0:
        return hex(address)
    existing = count if cap is None else min(count, cap)
    shown = min(existing, call.options.string_limit) if call.abbreviated else existing
    items = [item(offset + i * size) for i in range(min(shown, readable))]
    if readable < shown or readable == shown < existing:
        items.append(f"... /* {hex(address + len(items) * size)} */")
    elif shown < count:
        items.append("...")
    return "[" + ", ".join(items) + "]"


def _char(value: int) -> str:
    """A char as C writes it: 'a', '\\'', '\\n', '\\x7f'."""
    if value in _CHAR_ESCAPES:
        return f"'{_CHAR_ESCAPES[value]}'"
    return f"'{chr(value)}'" if 0x20 <= value < 0x7F else f"'\\x{value:02x}'"


def _keysym(value: int) -> str:
    """A keysym: its name, else K(type, value), a char for the types of chars."""
    name = _KEYSYMS.get(value)
    if name is not None:
        return name
    kind, code = value >> 8, value & 0xFF
    shown = _char(code) if kind in _CHAR_TYPES else hex0(code)
    return f"K({_KEY_TYPES.get(kind, hex(kind))}, {shown})"


def _kb_table(value: int) -> str:
    if value in _KB_TABLES:
        return styled(hex0(value), _KB_TABLES[value])
    return flag_names(value, _SHIFT_GROUPS, "KG_???")


def _kbentry(call: Call, request: int) -> str | None:
    """{kb_table, kb_index, kb_value}: KDGKBENT's value once the call succeeded."""
    sent = arg_data(call, "in")
    if sent is None or len(sent) < 2:
        return None
    parts = [f"kb_table={_kb_table(sent[0])}", f"kb_index={sent[1]}"]
    source = sent if _passed_only(request) else arg_data(call, "out") if call.exit is not None else None
    if source is not None:
        keysym = int.from_bytes(source[2:4], "little") if len(source) >= 4 else None
        parts.append("kb_value=???" if keysym is None else f"kb_value={_comment(hex0(keysym), _keysym(keysym))}")
    return struct_text(parts)


def _kb_func(value: int) -> str:
    name = _KEYSYMS.get(_KT_FN << 8 | value)
    return styled(hex0(value), f"KVAL({name})" if name else None)


def _kbsentry(call: Call, request: int) -> str | None:
    """{kb_func, kb_string}: KDGKBSENT's string once the call succeeded."""
    sent = arg_data(call, "in")
    if not sent:
        return None
    parts = [f"kb_func={_kb_func(sent[0])}"]
    source = sent if _passed_only(request) else arg_data(call, "out") if call.exit is not None else None
    if source is not None:
        parts.append(f"kb_string={_kb_string(source[1:], call)}")
    return struct_text(parts)


def _kb_string(raw: bytes, call: Call) -> str:
    """strace reads up to -s bytes of the 512 (all when -s is more) and
    shows them up to a NUL, `...` after them when none came (even all 512
    read); ??? when memory ends before either."""
    size = min(call.options.string_limit, KBSENTRY - 1)
    end = raw.find(b"\0", 0, size)
    if end >= 0:
        return quote(raw[:end], size, call.options.hex_strings)
    if len(raw) < size:
        return "???"
    return quote(raw[:size], size, call.options.hex_strings) + "..."


def _diacrs(call: Call, request: int) -> str | None:
    """{kb_cnt, kbdiacr[uc]=[{diacr, base, result}...]}: chars, or u32s
    for the _UC requests."""
    raw = arg_data(call, phase_of(request))
    if raw is None or len(raw) < 4:
        return None
    count = int.from_bytes(raw[:4], "little")
    wide = _size(request) == DIACRSUC
    size = 12 if wide else 3

    def entry(at: int) -> str:
        values = fields("3I", raw, at) if wide else tuple(raw[at : at + 3])
        shown = [hex0(v) if wide else _char(v) for v in values or (0, 0, 0)]
        return f"{{diacr={shown[0]}, base={shown[1]}, result={shown[2]}}}"

    array = _array(raw, 4, count, size, entry, call, call.ulong(2) + 4, cap=256)
    return f"{{kb_cnt={count}, kbdiacr{'uc' if wide else ''}={array}}}"


def _unichar(value: int) -> str:
    if value & ~_UNI_DIRECT_MASK != _UNI_DIRECT_BASE:
        return hex0(value)
    offset = value & _UNI_DIRECT_MASK
    return styled(hex0(value), f"UNI_DIRECT_BASE+{hex0(offset)}")


def _keycode(call: Call, request: int) -> str | None:
    def entry(raw: bytes) -> str:
        scancode, keycode = fields("II", raw) or (0, 0)
        return f"{{scancode={hex0(scancode)}, keycode={hex0(keycode)}"

    if _passed_only(request):  # KDSETKEYCODE
        raw = arg_data(call, "in")
        return entry(raw) + "}" if raw is not None and len(raw) >= 8 else None
    # KDGETKEYCODE: the keycode the kernel answers inside the braces.
    shown = both(call, entry, lambda raw: hex0((fields("II", raw) or (0, 0))[1]), 8)
    return None if shown is None else shown + "}"


def _kbdrep(raw: bytes) -> str:
    delay, period = fields("ii", raw) or (0, 0)
    return f"{{delay={delay}, period={period}}}"


def _hex_data(raw: bytes, size: int, call: Call, address: int) -> str:
    """`size` bytes every one in hex, as _bytes: NULL, the address when
    fewer than strace reads could be read."""
    if not address:
        return "NULL"
    limit = call.options.string_limit
    if len(raw) < (limit + 1 if size > limit else size):
        return hex(address)
    return quote(raw[:size], limit, 2)


def _unimap(call: Call, request: int) -> str | None:
    """{entry_ct, entries=[{unicode, fontpos}...]}; GIO_UNIMAP's count
    again after ` => ` and its entries once the call succeeded."""
    sent = arg_data(call, "in")
    if sent is None or len(sent) < UNIMAPDESC:
        return None
    count, address = int.from_bytes(sent[:2], "little"), int.from_bytes(sent[8:16], "little")
    head = f"{{entry_ct={count}"
    source = sent
    if request == GIO_UNIMAP:
        got = arg_data(call, "out")
        if got is not None and len(got) >= UNIMAPDESC:
            source = got
        elif call.exit is None:
            return head + "}"
        head += f" => {int.from_bytes(source[:2], 'little')}"
        if source is sent:  # failed: the entries were not filled
            return head + f", entries={pointer(address)}}}"
    count, address = int.from_bytes(source[:2], "little"), int.from_bytes(source[8:16], "little")

    def pair(at: int) -> str:
        unicode, fontpos = fields("HH", source, at) or (0, 0)
        return f"{{unicode={hex0(unicode)}, fontpos={hex0(fontpos)}}}"

    entries = pointer(address) if not address else _array(source, UNIMAPDESC, count, UNIPAIR, pair, call, address)
    return head + f", entries={entries}}}"


def _unimapinit(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("3H", raw) if raw is not None else None
    if values is None:
        return None
    return f"{{advised_hashsize={values[0]}, advised_hashstep={values[1]}, advised_hashlevel={values[2]}}}"


def _fontx(call: Call, request: int) -> str | None:
    """{charcount, charheight, chardata}: PIO_FONTX's glyphs going in,
    GIO_FONTX's after ` => ` once the call succeeded."""

    def shown(raw: bytes, data: bool) -> str:
        count, height, address = int.from_bytes(raw[:2], "little"), raw[2] | raw[3] << 8, _u64(raw, 8)
        chars = _hex_data(raw[FONTDESC:], count * 32, call, address) if data else pointer(address)
        return f"{{charcount={count}, charheight={height}, chardata={chars}}}"

    sent = arg_data(call, "in")
    if sent is None or len(sent) < FONTDESC:
        return None
    if request != GIO_FONTX:
        return shown(sent, True)
    got = arg_data(call, "out")
    return shown(sent, False) + (f" => {shown(got, True)}" if got is not None and len(got) >= FONTDESC else "")


def _font_name(raw: bytes, call: Call) -> str | None:
    """SET_DEFAULT's font name (MAX_FONT_NAME, 32, bytes at most): up to
    its NUL, else 31 bytes and `...` (strace keeps room for the NUL); then
    cut at -s.  None when memory ends before 32 bytes or a NUL."""
    end = raw.find(b"\0", 0, _MAX_FONT_NAME)
    if end < 0 and len(raw) < _MAX_FONT_NAME:
        return None
    text = raw[:end] if end >= 0 else raw[: _MAX_FONT_NAME - 1]
    limit = call.options.string_limit
    shown = quote(text, limit, call.options.hex_strings)
    return shown if end >= 0 or len(text) > limit else shown + "..."


def _u64(raw: bytes, at: int) -> int:
    return int.from_bytes(raw[at : at + 8], "little")


def _font_op(call: Call, request: int) -> str | None:
    """struct console_font_op by its op: SET's font going in, GET's coming
    back, SET_DEFAULT's font name; COPY shows only its height."""
    sent = arg_data(call, "in")
    values = fields("5I", sent) if sent is not None and len(sent) >= FONT_OP else None
    if sent is None or values is None:
        return None
    op, flags, width, height, count = values
    address = _u64(sent, 24)
    name = code_name(op, _FONT_OPS, "KD_FONT_OP_???")
    if op == _OP_COPY:
        return f"{{op={name}, height={height}}}"
    got = arg_data(call, "out")
    back = fields("5I", got) if got is not None and len(got) >= FONT_OP else None
    if op == _OP_SET_DEFAULT:
        data = _font_name(sent[FONT_OP:], call) if address else "NULL"
        data = hex(address) if data is None else data
        answer = f" => {{width={back[2]}, height={back[3]}}}" if got is not None and back is not None else ""
        return f"{{op={name}, width={width}, height={height}, data={data}}}{answer}"
    size = font_op_size(op, width, count)
    data = _hex_data(sent[FONT_OP:], size, call, address) if op == _OP_SET else pointer(address)
    text = (f"{{op={name}, flags={flag_names(flags, _FONT_FLAGS, 'KD_FONT_FLAG_???')}, width={width}, "
            f"height={height}, charcount={count}, data={data}}}")  # fmt: skip
    if op == _OP_SET or got is None or back is None:
        return text
    _, _, width, height, count = back
    address = _u64(got, 24)
    data = _hex_data(got[FONT_OP:], font_op_size(op, width, count), call, address) if op == _OP_GET else pointer(
        address)
    return text + f" => {{width={width}, height={height}, charcount={count}, data={data}}}"


SHAPES: dict[str, ShapeFormatter] = {
    "kd_sound": _sound,
    "kd_tone": _tone,
    "kd_leds": _int(_leds, 1),
    "kd_kbtype": _int(lambda value: code_name(value, _KB_TYPES, "KB_???"), 1),
    "kd_port": _port,
    "kd_mode": _int(lambda value: code_name(value, _MODES, "KD_???"), 4),
    "kd_kbmode": _int(_signed_code(_KB_MODES, "K_???"), 4, signed=True),
    "kd_meta": _int(lambda value: code_name(value, _METAS, "K_???"), 4),
    "kd_kbled": _int(_kbleds, 1),
    "kd_signal": lambda call, request: format_signal(call.ulong(2)),
    "kd_bytes": _bytes,
    "kd_uniscrnmap": _uniscrnmap,
    "kd_keycode": _keycode,
    "kd_kbdrep": lambda call, request: both(call, _kbdrep, _kbdrep, 8),
    "kd_kbentry": _kbentry,
    "kd_kbsentry": _kbsentry,
    "kd_diacrs": _diacrs,
    "kd_unimap": _unimap,
    "kd_unimapinit": _unimapinit,
    "kd_fontx": _fontx,
    "kd_font_op": _font_op,
}  # fmt: skip
