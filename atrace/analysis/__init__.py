"""Analyses of traces: pure functions over the events `atrace.read` yields.

Each module has one job: `calls` pairs entries with exits into complete
calls, `tasks` splits the stream per task or process, `proctree` rebuilds the
process tree, `paths` follows working directories and file descriptors,
`files` classifies file accesses, and `summary`, `compile_db`, `timeline`
and `slow` compute what the scripts of the same names print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes

# Eager: the module's name is also its function's, which must win.
from .calls import Call, calls, pair_calls

if TYPE_CHECKING:
    from . import script
    from .proctree import ExecInfo, Process, ProcessTree, TreeBuilder, build_tree
    from .tasks import split_by_process, split_by_task

# The rest on first use: the text renderer of every trace run imports
# `calls` and `paths` from here, and the others (the reader and its record
# checks, the tree builder) cost each atrace start ~15 ms of CPU it never
# uses. (`from atrace.analysis import script` imports the submodule.)
_LAZY = {
    "ExecInfo": "proctree",
    "Process": "proctree",
    "ProcessTree": "proctree",
    "TreeBuilder": "proctree",
    "build_tree": "proctree",
    "split_by_process": "tasks",
    "split_by_task": "tasks",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())

__all__ = [
    "Call",
    "ExecInfo",
    "Process",
    "ProcessTree",
    "TreeBuilder",
    "build_tree",
    "calls",
    "pair_calls",
    "script",
    "split_by_process",
    "split_by_task",
]
