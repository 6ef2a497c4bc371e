"""Per-syscall formatters, one module per family of calls.

Most arguments print by their kind alone (atrace.render.kinds).  A call whose
arguments depend on one another has a function here that returns its whole
argument list (None for an argument strace leaves out), and a call whose
return value strace explains has a return formatter.  Each family module also
says where its calls' lines are cut between entry and exit when that is not
before the first argument the kernel writes (SPLITS, SPLIT_BY_CALL).  Adding
such a call is one small function and one entry in its family's tables.

`arguments`, `split` and `result` are what the text renderer asks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from ...syscalls import Syscall
from ...syscalls.calls import DECODED_AT_EXIT
from ...syscalls.kinds import KIND, NONE
from ..call import STRUCT_KINDS, Call, pointer
from ..kinds import OUT_KINDS
from ..returns import format_return, format_returned_fd, format_returned_pid
from . import (
    bpf,
    desc,
    file,
    ioctl,
    ipc,
    kexec,
    memory,
    misc,
    msg,
    net,
    prctl,
    process,
    ptrace,
    quota,
    seccomp,
    signal,
    time,
    uring,
)

CallFormatter = Callable[[Call], list[str | None]]
ReturnFormatter = Callable[[Call], str | None]
SplitFormatter = Callable[[Call], int]

_FAMILIES = (bpf, desc, file, ioctl, ipc, kexec, memory, misc, msg, net, prctl, process, ptrace, quota, seccomp, signal,
             time, uring)  # fmt: skip
CALLS: dict[str, CallFormatter] = {}
RETURNS: dict[str, ReturnFormatter] = {}
# Where a call formatter's argument list is cut between entry and exit, when
# that is not before the first argument the kernel writes: a fixed count, or
# one that depends on the arguments (ioctl: on the request).
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, SplitFormatter] = {}
for _family in _FAMILIES:
    CALLS.update(_family.CALLS)
    RETURNS.update(_family.RETURNS)
    SPLITS.update(_family.SPLITS)
    SPLIT_BY_CALL.update(_family.SPLIT_BY_CALL)


# Decoders that apply -e verbose= themselves: ioctl's argument is a value
# for some requests (NBD_SET_SOCK's fd, BLKRASET's number), which strace
# prints whatever -e verbose= says.
_OWN_DEREFERENCE = frozenset({"ioctl"})


def arguments(call: Call) -> list[str]:
    """The call's arguments as strace prints them, those it leaves out dropped."""
    special = CALLS.get(call.syscall.name)
    parts = special(call) if special is not None else call.all()
    if special is not None and not call.dereferenced and call.name not in _OWN_DEREFERENCE:
        # -e verbose=: a decoder's parts are one per argument; its structs
        # become addresses as Call.fmt makes those of the plain calls.
        args = call.syscall.args
        parts = [pointer(call.ulong(i)) if i < len(args) and args[i].kind in STRUCT_KINDS and part is not None
                 else part for i, part in enumerate(parts)]  # fmt: skip
    if special is None and call.name in DECODED_AT_EXIT and call.exit is not None and not call.succeeded():
        parts = [pointer(call.ulong(i)) if KIND[arg.kind].phase != NONE else part
                 for i, (arg, part) in enumerate(zip(call.syscall.args, parts, strict=True))]  # fmt: skip
    return [part for part in parts if part is not None]


def split(syscall: Syscall, parts: int, call: Call | None = None) -> int:
    """How many of the `parts` printed arguments are shown at entry."""
    by_call = SPLIT_BY_CALL.get(syscall.name)
    if by_call is not None and call is not None:
        return min(by_call(call), parts)
    known = _FIXED_SPLITS.get(id(syscall))
    if known is None or known[0] is not syscall:
        # Once per Syscall (by identity, as call.py's formatters are kept).
        known = _FIXED_SPLITS[id(syscall)] = (syscall, _fixed_split(syscall))
    return min(known[1], parts)


_FIXED_SPLITS: dict[int, tuple[Syscall, int]] = {}


def _fixed_split(syscall: Syscall) -> int:
    if syscall.name in SPLITS:
        return SPLITS[syscall.name]
    for index, arg in enumerate(syscall.args):
        if arg.kind in OUT_KINDS:
            # A split_hi half prints with its split_lo: it takes no place.
            halves = sum(1 for before in syscall.args[:index] if before.kind == "split_hi")
            return index - halves
    return sys.maxsize  # no out argument: all of them at entry


def plain_result(syscall: Syscall, exit_data: dict[str, object] | None, ret: int) -> str | None:
    """The return value when it needs no `Call`: a call with no return
    formatter of its own and nothing recorded at exit (no -y path or -Y
    name to show with it), as most calls are; else None."""
    if exit_data or syscall.name in RETURNS:
        return None
    return format_return(syscall, ret)


def result(call: Call, ret: int) -> str:
    """The return value as strace explains it: the call's own formatter, a
    returned fd's path (-y), or the plain value or error."""
    plain = plain_result(call.syscall, call.exit, ret)
    if plain is not None:
        return plain
    special = RETURNS.get(call.syscall.name)
    return (
        (special(call) if special is not None else None)
        or format_returned_fd(call)
        or format_returned_pid(call)
        or format_return(call.syscall, ret)
    )


__all__ = ["CALLS", "RETURNS", "SPLITS", "SPLIT_BY_CALL", "Call", "CallFormatter", "ReturnFormatter", "arguments",
           "plain_result", "result", "split"]  # fmt: skip
