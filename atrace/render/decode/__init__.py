"""Per-syscall formatters, one module per family of calls.

Most arguments print by their kind alone (atrace.render.args).  A call whose
arguments depend on one another has a function here that returns its whole
argument list (None for an argument strace leaves out), and a call whose
return value strace explains has a return formatter.  Adding such a call is
one small function and one entry in its family's CALLS or RETURNS.
"""

from __future__ import annotations

from collections.abc import Callable

from ..args import Call
from . import desc, file, ioctl, memory, msg, net, process, signal, time

CallFormatter = Callable[[Call], list[str | None]]
ReturnFormatter = Callable[[Call], str | None]

CALLS: dict[str, CallFormatter] = {}
RETURNS: dict[str, ReturnFormatter] = {}
for _family in (desc, file, ioctl, memory, msg, net, process, signal, time):
    CALLS.update(_family.CALLS)
    RETURNS.update(_family.RETURNS)
# Where a call formatter's argument list is cut between entry and exit, when
# that is not before the first argument the kernel writes.
SPLITS: dict[str, int] = dict(process.SPLITS)
# Calls whose cut depends on their arguments (ioctl: on the request).
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {
    **ioctl.SPLIT_BY_CALL,
    **process.SPLIT_BY_CALL,
    **desc.SPLIT_BY_CALL,
}

__all__ = ["CALLS", "RETURNS", "SPLITS", "SPLIT_BY_CALL", "Call", "CallFormatter", "ReturnFormatter"]
