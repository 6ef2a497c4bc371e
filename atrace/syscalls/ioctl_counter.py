"""Counter devices' ioctls (linux/counter.h, type '>')."""

from __future__ import annotations

from .ioctl_codes import IoctlArg

ARGS: dict[int, IoctlArg] = {
    0x40063E00: IoctlArg("counter_watch", "in", 6),  # COUNTER_ADD_WATCH_IOCTL
    0x3E01: IoctlArg("", "none"),  # COUNTER_ENABLE_EVENTS_IOCTL: no argument
    0x3E02: IoctlArg("", "none"),  # COUNTER_DISABLE_EVENTS_IOCTL
}
