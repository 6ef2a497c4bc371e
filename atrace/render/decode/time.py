"""Time calls: clock_*, nanosleep's relatives, timers."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call
from ..flags import format_flags


def _clock_nanosleep(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[1] = format_flags(call.ulong(1), "timer")
    # The remaining time is only written when a signal cut the sleep short.
    if call.exit is not None and call.ret == 0:
        parts[3] = "NULL" if call.args[3] == 0 else hex(call.ulong(3))
    return parts


def _nanosleep(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    if call.exit is not None and call.ret == 0:
        parts[1] = "NULL" if call.args[1] == 0 else hex(call.ulong(1))
    return parts


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "clock_nanosleep": _clock_nanosleep,
    "clock_nanosleep_time64": _clock_nanosleep,
    "nanosleep": _nanosleep,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
