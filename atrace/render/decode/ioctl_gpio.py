"""GPIO character devices' ioctls (linux/gpio.h) as strace prints them:
chip and line info, line handle and event requests (v1), line requests,
configs and values (v2).  What is read: atrace.syscalls.ioctl_gpio."""

from __future__ import annotations

from ...syscalls.ioctl_gpio import (
    CHIPINFO,
    EVENT_REQUEST,
    HANDLE_CONFIG,
    HANDLE_DATA,
    HANDLE_REQUEST,
    LINEINFO,
    V2_LINE_CONFIG,
    V2_LINE_INFO,
    V2_LINE_REQUEST,
    V2_LINE_VALUES,
)
from ..call import Call
from ..flags import FlagTable, number
from .ioctl_common import ShapeFormatter, arg_data, array_text, both, cstring, fields, flag_names, struct_text

_LINE_FLAGS: FlagTable = [(1 << i, "GPIOLINE_FLAG_" + n) for i, n in enumerate(
    ("KERNEL", "IS_OUT", "ACTIVE_LOW", "OPEN_DRAIN", "OPEN_SOURCE", "BIAS_PULL_UP", "BIAS_PULL_DOWN", "BIAS_DISABLE"))]
_HANDLE_FLAGS: FlagTable = [(1 << i, "GPIOHANDLE_REQUEST_" + n) for i, n in enumerate(
    ("INPUT", "OUTPUT", "ACTIVE_LOW", "OPEN_DRAIN", "OPEN_SOURCE", "BIAS_PULL_UP", "BIAS_PULL_DOWN", "BIAS_DISABLE"))]
# strace names both edges before each of them.
_EVENT_FLAGS: FlagTable = [(3, "GPIOEVENT_REQUEST_BOTH_EDGES"), (1, "GPIOEVENT_REQUEST_RISING_EDGE"),
                           (2, "GPIOEVENT_REQUEST_FALLING_EDGE")]
_V2_FLAGS: FlagTable = [(1 << i, "GPIO_V2_LINE_FLAG_" + n) for i, n in enumerate(
    ("USED", "ACTIVE_LOW", "INPUT", "OUTPUT", "EDGE_RISING", "EDGE_FALLING", "OPEN_DRAIN", "OPEN_SOURCE",
     "BIAS_PULL_UP", "BIAS_PULL_DOWN", "BIAS_DISABLED", "EVENT_CLOCK_REALTIME", "EVENT_CLOCK_HTE"))]  # fmt: skip
_ATTR_FLAGS, _ATTR_OUTPUT_VALUES, _ATTR_DEBOUNCE = 1, 2, 3
_MAX_LINES, _MAX_ATTRS = 64, 10


def _ints(raw: bytes, layout: str, count: int, offset: int = 0) -> list[int]:
    values = fields(f"{count}{layout}", raw, offset)
    return list(values) if values is not None else []


def _chipinfo(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    if raw is None or len(raw) < CHIPINFO:
        return None
    (lines,) = fields("I", raw, 64) or (0,)
    return struct_text([f"name={cstring(raw[:32], call)}", f"label={cstring(raw[32:64], call)}", f"lines={lines}"])


def _lineinfo(call: Call, request: int) -> str | None:
    def answer(raw: bytes) -> str:
        (flags,) = fields("I", raw, 4) or (0,)
        return struct_text([f"flags={flag_names(flags, _LINE_FLAGS, 'GPIOLINE_FLAG_???')}",
                            f"name={cstring(raw[8:40], call)}", f"consumer={cstring(raw[40:72], call)}"])  # fmt: skip

    return both(call, lambda raw: f"{{line_offset={(fields('I', raw) or (0,))[0]}}}", answer, LINEINFO)


def _unwatch(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("I", raw) if raw is not None else None
    return None if values is None else f"{{offset={values[0]}}}"


def _fd(raw: bytes, offset: int) -> str:
    return f"{{fd={(fields('i', raw, offset) or (0,))[0]}}}"


def _handle_request(call: Call, request: int) -> str | None:
    def sent(raw: bytes) -> str:
        (flags,) = fields("I", raw, 256) or (0,)
        (lines,) = fields("I", raw, 356) or (0,)
        count = min(lines, _MAX_LINES)
        offsets = [str(v) for v in _ints(raw, "I", count)]
        defaults = [str(v) for v in _ints(raw, "B", count, 260)]
        return struct_text([f"lines={lines}", f"lineoffsets={array_text(offsets, call)}",
                            f"flags={flag_names(flags, _HANDLE_FLAGS, 'GPIOHANDLE_REQUEST_???')}",
                            f"default_values={array_text(defaults, call)}",
                            f"consumer_label={cstring(raw[324:356], call)}"])  # fmt: skip

    return both(call, sent, lambda raw: _fd(raw, 360), HANDLE_REQUEST)


def _event_request(call: Call, request: int) -> str | None:
    def sent(raw: bytes) -> str:
        offset, handle, event = fields("3I", raw) or (0, 0, 0)
        return struct_text([f"lineoffset={offset}",
                            f"handleflags={flag_names(handle, _HANDLE_FLAGS, 'GPIOHANDLE_REQUEST_???')}",
                            f"eventflags={flag_names(event, _EVENT_FLAGS, 'GPIOEVENT_REQUEST_???')}",
                            f"consumer_label={cstring(raw[12:44], call)}"])  # fmt: skip

    return both(call, sent, lambda raw: _fd(raw, 44), EVENT_REQUEST)


def _handle_data(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out" if request & 0xFF == 0x08 else "in")
    if raw is None or len(raw) < HANDLE_DATA:
        return None
    return struct_text([f"values={array_text([str(v) for v in _ints(raw, 'B', 64)], call)}"])


def _handle_config(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    if raw is None or len(raw) < HANDLE_CONFIG:
        return None
    (flags,) = fields("I", raw) or (0,)
    defaults = array_text([str(v) for v in _ints(raw, "B", 64, 4)], call)
    return struct_text([f"flags={flag_names(flags, _HANDLE_FLAGS, 'GPIOHANDLE_REQUEST_???')}",
                        f"default_values={defaults}"])  # fmt: skip


def _attribute(raw: bytes, offset: int, as_field: bool) -> str:
    """struct gpio_v2_line_attribute: its value by its id; raw fields when
    the id is unknown or its padding is used."""
    attr_id, padding, data = fields("IIQ", raw, offset) or (0, 0, 0)
    if not padding and attr_id == _ATTR_FLAGS:
        return f"flags={flag_names(data, _V2_FLAGS, 'GPIO_V2_LINE_FLAG_???')}"
    if not padding and attr_id == _ATTR_OUTPUT_VALUES:
        return f"values={number(data)}"
    if not padding and attr_id == _ATTR_DEBOUNCE:
        return f"debounce_period_us={data & 0xFFFFFFFF}"
    parts = [f"id={attr_id}", *([f"padding={number(padding)}"] if padding else []), f"data={number(data)}"]
    return "attr=" + struct_text(parts) if as_field else ", ".join(parts)


def _padding(raw: bytes, offset: int, count: int) -> list[str]:
    words = _ints(raw, "I", count, offset)
    return [f"padding=[{', '.join(number(w) for w in words)}]"] if any(words) else []


def _line_config(raw: bytes, offset: int, call: Call) -> str:
    flags, attrs = fields("QI", raw, offset) or (0, 0)
    parts = [f"flags={flag_names(flags, _V2_FLAGS, 'GPIO_V2_LINE_FLAG_???')}", f"num_attrs={attrs}",
             *_padding(raw, offset + 12, 5)]  # fmt: skip
    if attrs:
        shown = []
        for i in range(min(attrs, _MAX_ATTRS)):
            start = offset + 32 + 24 * i
            (mask,) = fields("Q", raw, start + 16) or (0,)
            shown.append(struct_text([_attribute(raw, start, True), f"mask={number(mask)}"]))
        parts.append(f"attrs={array_text(shown, call)}")
    return struct_text(parts)


def _v2_line_info(call: Call, request: int) -> str | None:
    def answer(raw: bytes) -> str:
        attrs, flags = fields("IQ", raw, 68) or (0, 0)
        parts = [f"name={cstring(raw[:32], call)}", f"consumer={cstring(raw[32:64], call)}",
                 f"flags={flag_names(flags, _V2_FLAGS, 'GPIO_V2_LINE_FLAG_???')}", f"num_attrs={attrs}"]  # fmt: skip
        if attrs:
            shown = [struct_text([_attribute(raw, 80 + 16 * i, False)]) for i in range(min(attrs, _MAX_ATTRS))]
            parts.append(f"attrs={array_text(shown, call)}")
        return struct_text([*parts, *_padding(raw, 240, 4)])

    return both(call, lambda raw: f"{{offset={(fields('I', raw, 64) or (0,))[0]}}}", answer, V2_LINE_INFO)


def _v2_line_request(call: Call, request: int) -> str | None:
    def sent(raw: bytes) -> str:
        lines, events = fields("II", raw, 560) or (0, 0)
        offsets = [str(v) for v in _ints(raw, "I", min(lines, _MAX_LINES))]
        parts = [f"num_lines={lines}", f"offsets={array_text(offsets, call)}",
                 f"consumer={cstring(raw[256:288], call)}", f"config={_line_config(raw, 288, call)}"]  # fmt: skip
        if events:
            parts.append(f"event_buffer_size={events}")
        return struct_text([*parts, *_padding(raw, 568, 5)])

    return both(call, sent, lambda raw: _fd(raw, 588), V2_LINE_REQUEST)


def _v2_line_config(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    return None if raw is None or len(raw) < V2_LINE_CONFIG else _line_config(raw, 0, call)


def _v2_get_values(call: Call, request: int) -> str | None:
    def sent(raw: bytes) -> str:
        return f"{{mask={number((fields('Q', raw, 8) or (0,))[0])}}}"

    return both(call, sent, lambda raw: f"{{bits={number((fields('Q', raw) or (0,))[0])}}}", V2_LINE_VALUES)


def _v2_set_values(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("QQ", raw) if raw is not None else None
    return None if values is None else f"{{bits={number(values[0])}, mask={number(values[1])}}}"


SHAPES: dict[str, ShapeFormatter] = {
    "gpio_chipinfo": _chipinfo,
    "gpio_lineinfo": _lineinfo,
    "gpio_unwatch": _unwatch,
    "gpio_handle_request": _handle_request,
    "gpio_event_request": _event_request,
    "gpio_handle_data": _handle_data,
    "gpio_handle_config": _handle_config,
    "gpio_v2_line_info": _v2_line_info,
    "gpio_v2_line_request": _v2_line_request,
    "gpio_v2_line_config": _v2_line_config,
    "gpio_v2_get_values": _v2_get_values,
    "gpio_v2_set_values": _v2_set_values,
}
