"""Return values as strace prints them: errors, addresses, -y fds."""

from __future__ import annotations

from ..syscalls import Syscall
from ..syscalls.abi import is_error
from ..syscalls.calls import (
    NEVER_FAILING,
    POINTER_RETURNING,
)
from .call import Call
from .names import RESTART_CODES, errno_message, errno_name
from .quoting import fd_path_text


def format_returned_fd(call: Call) -> str | None:
    """-y: the path of a returned fd, `3</etc/hosts>`."""
    if call.exit is None or call.ret is None or call.ret < 0:
        return None
    path = call.exit.get("ret_path")
    return None if path is None else f"{call.ret}<{fd_path_text(path)}>"


def format_error(ret: int) -> str | None:
    """`-1 ENOENT (No such file or directory)`, or None for a success."""
    if is_error(ret):
        number = -ret
        if number in RESTART_CODES:
            return f"? {errno_name(number)} ({errno_message(number)})"
        return f"-1 {errno_name(number)} ({errno_message(number)})"
    return None


def format_return(syscall: Syscall | None, ret: int) -> str:
    if syscall is not None and syscall.name in NEVER_FAILING:
        return str(ret & ((1 << 64) - 1))
    error = format_error(ret)
    if error is not None:
        return error
    if syscall is not None and syscall.name in POINTER_RETURNING:
        return hex(ret & ((1 << 64) - 1))
    return str(ret)
