"""Time calls: clock_*, nanosleep's relatives, timers."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call

# nanosleep's and clock_nanosleep's arguments print by their kinds (the time
# left is timespec_left).
CALLS: dict[str, Callable[[Call], list[str | None]]] = {}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
