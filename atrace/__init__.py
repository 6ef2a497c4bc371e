"""atrace: trace a command and its whole process tree as a msgpack event stream.

The public API is the reader: `atrace.read(source)` yields typed events
(see docs/FORMAT.md for the format itself).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .events import (  # noqa: E402  (the version must exist before submodules import it)
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
from .reader import TraceFormatError, TraceReader, follow, read  # noqa: E402

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
    "TraceFormatError",
    "TraceReader",
    "__version__",
    "follow",
    "read",
]
