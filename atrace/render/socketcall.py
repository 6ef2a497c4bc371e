"""i386's socketcall(N, args) seen as the call it multiplexes.

The filter stage (-P and trace-fds= look at the inner call's fds and
paths) and the text renderer (which prints the inner call, as strace
does) both need the unwrapped view; this is the one place that makes it.
"""

from __future__ import annotations

from typing import Any

from ..events import records as R
from ..syscalls import ARCH_I386, SOCKETCALLS, Syscall, by_name


def unwrap(entry: R.SyscallEntry, syscall: Syscall) -> tuple[R.SyscallEntry, Syscall]:
    """The inner call's entry and table row; the call itself when the
    tracer could not read the argument block."""
    value = (entry.data or {}).get("args")
    name = SOCKETCALLS.get(entry.args[0] & 0xFFFFFFFF)
    inner = by_name(ARCH_I386, name) if name is not None else None
    if not isinstance(value, list) or len(value) != 2 or inner is None:
        return entry, syscall
    sub_args, sub_data = value
    return entry._replace(name=inner.name, args=tuple(sub_args), data=sub_data), inner


def exit_data(data: dict[str, Any]) -> dict[str, Any]:
    """The inner call's exit data out of socketcall's."""
    value = data.get("args")
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
        return value[1]
    return {}
