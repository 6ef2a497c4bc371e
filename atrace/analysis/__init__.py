"""Analyses of traces: pure functions over the events `atrace.read` yields.

Each module has one job: `calls` pairs entries with exits into complete
calls, `tasks` splits the stream per task or process, `proctree` rebuilds the
process tree, `paths` follows working directories and file descriptors,
`files` classifies file accesses, and `summary`, `compile_db`, `timeline`
and `slow` compute what the scripts of the same names print.
"""

from __future__ import annotations

from . import script
from .calls import Call, calls, pair_calls
from .proctree import ExecInfo, Process, ProcessTree, TreeBuilder, build_tree
from .tasks import split_by_process, split_by_task

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
