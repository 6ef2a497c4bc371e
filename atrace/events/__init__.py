"""Event records: their types, field order and typed views."""

from .records import (
    Attached,
    Detached,
    Event,
    Exec,
    Exit,
    Header,
    Lost,
    Signal,
    Spawn,
    Stopped,
    SyscallEntry,
    SyscallExit,
    Trailer,
)

__all__ = [
    "Attached",
    "Detached",
    "Event",
    "Exec",
    "Exit",
    "Header",
    "Lost",
    "Signal",
    "Spawn",
    "Stopped",
    "SyscallEntry",
    "SyscallExit",
    "Trailer",
]
