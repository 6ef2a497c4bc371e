"""Return values as strace prints them: errors, addresses, -y fds, and the
explanation strace adds after some calls' values."""

from __future__ import annotations

from collections.abc import Callable

from ..syscalls import Syscall
from ..syscalls.abi import is_error
from ..syscalls.calls import (
    NEVER_FAILING,
    POINTER_RETURNING,
)
from .call import Call
from .fds import fd_text
from .flags import format_constant
from .fmt_time import date_text
from .names import RESTART_CODES, errno_message, errno_name
from .pid_texts import pid_text


def format_returned_fd(call: Call) -> str | None:
    """-y: the path of a returned fd, `3</etc/hosts>`."""
    if call.exit is None or call.ret is None or call.ret < 0:
        return None
    path = call.exit.get("ret_path")
    if path is None:
        return None
    text = fd_text(str(call.ret), path, call.exit.get("ret_fd"), call.options.decode_fds)
    return None if text == str(call.ret) else text


def format_returned_pid(call: Call) -> str | None:
    """-Y / --pidns-translation: a returned pid (getpid, fork...)."""
    if call.exit is None or call.ret is None or call.ret <= 0:
        return None
    comm, pidns = call.exit.get("ret_comm"), call.exit.get("ret_pidns")
    return None if comm is None and pidns is None else pid_text(call.ret, comm, pidns)


def format_error(ret: int) -> str | None:
    """`-1 ENOENT (No such file or directory)`, or None for a success."""
    if ret >= 0:
        return None
    text = _ERROR_TEXTS.get(ret)
    if text is not None:
        return text
    if is_error(ret):
        number = -ret
        if number in RESTART_CODES:
            text = f"? {errno_name(number)} ({errno_message(number)})"
        else:
            text = f"-1 {errno_name(number)} ({errno_message(number)})"
        # Error returns are a few thousand values at most: each is built once
        # (a loop of failing calls would look it up and strerror() it every time).
        _ERROR_TEXTS[ret] = text
        return text
    return None


_ERROR_TEXTS: dict[int, str] = {}


def _dated(ret: int) -> str:
    date = date_text(ret)
    return f"{ret} ({date})" if date else str(ret)


# What a successful call's value means, in parentheses after it:
# `time(NULL) = 1795924733 (2026-11-29T03:58:53+0000)`, `= 0 (SCHED_OTHER)`.
EXPLAINED: dict[str, Callable[[int], str]] = {
    "time": _dated,
    "sched_getscheduler": lambda ret: f"{ret} ({format_constant(ret, 'sched_policy')})",
    "adjtimex": lambda ret: f"{ret} ({format_constant(ret, 'adjtimex_state')})",
    "clock_adjtime": lambda ret: f"{ret} ({format_constant(ret, 'adjtimex_state')})",
}


def format_return(syscall: Syscall | None, ret: int) -> str:
    if syscall is not None and syscall.name in NEVER_FAILING:
        return str(ret & ((1 << 64) - 1))
    error = format_error(ret)
    if error is not None:
        return error
    if syscall is None:
        return str(ret)
    if syscall.name in POINTER_RETURNING:
        return hex(ret & ((1 << 64) - 1))
    explain = EXPLAINED.get(syscall.name)
    return str(ret) if explain is None else explain(ret)
