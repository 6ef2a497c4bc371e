"""Counter devices' COUNTER_ADD_WATCH_IOCTL: its struct counter_watch
(linux/counter.h enums as strace names them)."""

from __future__ import annotations

from ..call import Call
from .ioctl_common import ShapeFormatter, arg_data, code_name, fields

_TYPES = dict(enumerate(("COUNTER_COMPONENT_NONE", "COUNTER_COMPONENT_SIGNAL", "COUNTER_COMPONENT_COUNT",
                         "COUNTER_COMPONENT_FUNCTION", "COUNTER_COMPONENT_SYNAPSE_ACTION",
                         "COUNTER_COMPONENT_EXTENSION")))  # fmt: skip
_SCOPES = dict(enumerate(("COUNTER_SCOPE_DEVICE", "COUNTER_SCOPE_SIGNAL", "COUNTER_SCOPE_COUNT")))
_EVENTS = dict(enumerate(("COUNTER_EVENT_OVERFLOW", "COUNTER_EVENT_UNDERFLOW", "COUNTER_EVENT_OVERFLOW_UNDERFLOW",
                          "COUNTER_EVENT_THRESHOLD", "COUNTER_EVENT_INDEX", "COUNTER_EVENT_CHANGE_OF_STATE",
                          "COUNTER_EVENT_CAPTURE")))  # fmt: skip


def _watch(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("6B", raw) if raw is not None else None
    if values is None:
        return None
    kind, scope, parent, ident, event, channel = values
    component = (f"{{type={code_name(kind, _TYPES, 'COUNTER_COMPONENT_???')}, "
                 f"scope={code_name(scope, _SCOPES, 'COUNTER_SCOPE_???')}, parent={parent}, id={ident}}}")  # fmt: skip
    return f"{{component={component}, event={code_name(event, _EVENTS, 'COUNTER_EVENT_???')}, channel={channel}}}"


SHAPES: dict[str, ShapeFormatter] = {"counter_watch": _watch}
