"""Return values as strace prints them: errors, addresses, -y fds."""

from __future__ import annotations

from typing import Any

from ..syscalls import Syscall
from ..syscalls.abi import is_error
from ..syscalls.calls import (
    NEVER_FAILING,
    POINTER_RETURNING,
)
from .call import Call
from .names import RESTART_CODES, errno_message, errno_name
from .quoting import fd_path_text, fd_with_path


def format_returned_fd(call: Call) -> str | None:
    """-y: the path of a returned fd, `3</etc/hosts>`."""
    if call.exit is None or call.ret is None or call.ret < 0:
        return None
    path = call.exit.get("ret_path")
    return None if path is None else fd_with_path(str(call.ret), path)


def pid_text(value: int, comm: Any, pidns: Any) -> str:
    """A pid as -Y and --pidns-translation show it: `1234<make>`, and for a
    tracee in another pid namespace `2 /* 1234 in strace's PID NS */` (the
    words of strace's output format, which its users' tools match)."""
    text = str(value)
    if comm is not None:
        text += f"<{fd_path_text(comm)}>"
    if isinstance(pidns, int):
        text += f" /* {pidns} in strace's PID NS */"
    return text


def format_returned_pid(call: Call) -> str | None:
    """-Y / --pidns-translation: a returned pid (getpid, fork...)."""
    if call.exit is None or call.ret is None or call.ret <= 0:
        return None
    comm, pidns = call.exit.get("ret_comm"), call.exit.get("ret_pidns")
    return None if comm is None and pidns is None else pid_text(call.ret, comm, pidns)


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
