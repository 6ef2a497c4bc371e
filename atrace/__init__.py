"""atrace: trace a command and its whole process tree as a msgpack event stream.

The public API is the reader: `atrace.read(source)` yields typed events
(see docs/FORMAT.md for the format itself), and helpers over them: `calls`
pairs entries with exits, `split_by_task`/`split_by_process` split the
stream, `build_tree` rebuilds the process tree (docs/ANALYSIS.md).
"""

from __future__ import annotations

# Set before the imports below: submodules (events.wire) import it.
__version__ = "0.1.0"

# The reader, the typed events, and helpers over them (atrace.analysis).
from .analysis import (
    Call,
    Process,
    ProcessTree,
    build_tree,
    calls,
    pair_calls,
    split_by_process,
    split_by_task,
)
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
