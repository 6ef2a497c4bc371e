"""atrace: trace a command and its whole process tree as a msgpack event stream.

The public API is the reader: `atrace.read(source)` yields typed events
(see docs/FORMAT.md for the format itself), and helpers over them: `calls`
pairs entries with exits, `split_by_task`/`split_by_process` split the
stream, `build_tree` rebuilds the process tree (docs/ANALYSIS.md).
"""

from __future__ import annotations

# Set before the imports below: submodules (events.wire) import it.
__version__ = "0.1.0"

from .lazy import lazy_attributes

# (not typing's: importing typing costs the resident client; mypy knows this name)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from .analysis.calls import Call, calls, pair_calls
    from .analysis.proctree import Process, ProcessTree, build_tree
    from .analysis.tasks import split_by_process, split_by_task
    from .events import (
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
    from .reader import TraceFormatError, TraceReader, follow, read

# Every public name is loaded on first use: the `atrace` command imports
# this package first, and its resident client must start in milliseconds
# (the events alone cost it msgpack and dataclasses).
_EVENTS = ("Attached", "Detached", "Event", "Exec", "Exit", "Header", "Lost", "Signal", "Spawn", "Stopped",
           "SyscallEntry", "SyscallExit", "Trailer")  # fmt: skip
_LAZY = {
    **dict.fromkeys(_EVENTS, "events"),
    "Call": "analysis",
    "Process": "analysis",
    "ProcessTree": "analysis",
    "build_tree": "analysis",
    "calls": "analysis",
    "pair_calls": "analysis",
    "split_by_process": "analysis",
    "split_by_task": "analysis",
    "TraceFormatError": "reader",
    "TraceReader": "reader",
    "follow": "reader",
    "read": "reader",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "Attached",
    "Call",
    "Detached",
    "Event",
    "Exec",
    "Exit",
    "Header",
    "Lost",
    "Process",
    "ProcessTree",
    "Signal",
    "Spawn",
    "Stopped",
    "SyscallEntry",
    "SyscallExit",
    "TraceFormatError",
    "TraceReader",
    "Trailer",
    "__version__",
    "build_tree",
    "calls",
    "follow",
    "pair_calls",
    "read",
    "split_by_process",
    "split_by_task",
]
