"""Descriptor calls: fcntl, ioctl, poll/select, epoll, pipe2..."""

from __future__ import annotations

from collections.abc import Callable

from ...syscalls.abi import signed
from ...syscalls.fcntls import F_GETOWN_EX, F_SETOWN_EX, LOCK_COMMANDS
from .. import structs
from ..call import Call, array_limit, format_array, pointer
from ..flags import format_constant, format_flags, format_open_flags, format_signal, raw_style
from ..fmt_io import format_fdset
from ..fmt_time import time_left
from ..names import signal_name
from ..quoting import as_bytes

_F_DUPFD, _F_GETFD, _F_SETFD, _F_GETFL, _F_SETFL = 0, 1, 2, 3, 4
_F_SETOWN, _F_SETSIG, _F_SETLEASE, _F_NOTIFY = 8, 10, 1024, 1026
_F_DUPFD_CLOEXEC, _F_SETPIPE_SZ, _F_ADD_SEALS = 1030, 1031, 1033
# fcntl commands without a third argument.
_NO_ARG = frozenset({_F_GETFD, _F_GETFL, 9, 11, 1025, 1032, 1034})
_INT_ARG = frozenset({_F_DUPFD, _F_DUPFD_CLOEXEC, _F_SETOWN, _F_SETPIPE_SZ})
_F_GETSIG, _F_GETLEASE = 11, 1025


def _fcntl(call: Call) -> list[str | None]:
    cmd = call.c_int(1)
    parts: list[str | None] = [call.fmt(0), format_constant(cmd, "fcntl")]
    if cmd in _NO_ARG:
        return parts
    if cmd == _F_SETFD:
        parts.append(format_flags(call.ulong(2), "fd"))
    elif cmd == _F_SETFL:
        parts.append(format_open_flags(call.args[2]))
    elif cmd in _INT_ARG:
        parts.append(str(call.c_int(2)))
    elif cmd == _F_SETSIG:
        parts.append(format_signal(call.c_int(2)) if call.c_int(2) else "0")
    elif cmd == _F_SETLEASE:
        parts.append(format_constant(call.c_int(2), "flock_type"))
    elif cmd == _F_NOTIFY:
        parts.append(format_flags(call.ulong(2) & 0xFFFFFFFF, "dnotify"))
    elif cmd in (F_SETOWN_EX, F_GETOWN_EX):
        parts.append(_owner_struct(call, LOCK_COMMANDS[cmd][1]))
    elif cmd in LOCK_COMMANDS:
        parts.append(_lock_struct(call, LOCK_COMMANDS[cmd][1]))
    else:
        parts.append(pointer(call.ulong(2)))
    return parts


def _lock_struct(call: Call, when: str) -> str:
    """A lock command's struct flock; l_pid only when the kernel answered."""
    # What the kernel writes back exists only once the call has succeeded.
    source = call.entry if when == "in" else (call.exit or {}) if call.succeeded() else {}
    raw = as_bytes(source.get(call.syscall.args[2].name))
    f = None if raw is None else structs.flock(raw)
    if f is None:
        return pointer(call.ulong(2))
    lock_type, whence = format_constant(f["l_type"], "flock_type"), format_constant(f["l_whence"], "whence")
    text = f"{{l_type={lock_type}, l_whence={whence}, l_start={f['l_start']}, l_len={f['l_len']}"
    return text + (f", l_pid={f['l_pid']}}}" if when == "out" else "}")


def _owner_struct(call: Call, when: str) -> str:
    """struct f_owner_ex: the owner's kind and its id."""
    source = call.entry if when == "in" else (call.exit or {}) if call.succeeded() else {}
    raw = as_bytes(source.get(call.syscall.args[2].name))
    if raw is None or len(raw) < 8:
        return pointer(call.ulong(2))
    kind, pid = int.from_bytes(raw[:4], "little"), signed(int.from_bytes(raw[4:8], "little"), 32)
    return f"{{type={format_constant(kind, 'f_owner_type')}, pid={pid}}}"


def _fcntl_split(call: Call) -> int:
    """strace prints what a lock query gets back when the call returns."""
    described = LOCK_COMMANDS.get(call.c_int(1))
    return 2 if described is not None and described[1] == "out" else 3


def _fcntl_return(call: Call) -> str | None:
    cmd, ret = call.c_int(1), call.ret
    if ret is None or ret < 0:
        return None
    if cmd == _F_GETFD:
        return f"{ret:#x} (flags {format_flags(ret, 'fd')})" if ret else "0"
    if cmd == _F_GETFL:
        return f"{ret:#x} (flags {format_open_flags(ret)})" if ret else f"0 (flags {format_open_flags(0)})"
    if raw_style():
        return None
    if cmd == _F_GETLEASE:
        return f"{ret:#x} ({format_constant(ret, 'flock_type')})"
    if cmd == _F_GETSIG and 0 < ret <= 64:
        return f"{ret} ({signal_name(ret)})"
    return None


def _pipe2(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    flags = call.ulong(1)
    parts[1] = format_open_flags(flags).removeprefix("O_RDONLY|") if flags else "0"
    return parts


# Where ppoll's timeout is: the kernel writes the time left back into it.
_POLL_TIMEOUT_ARG = {"ppoll": 2, "ppoll_time64": 2}


def _poll_return(call: Call) -> str | None:
    ret = call.ret
    if ret is None or ret <= 0 or call.exit is None:
        return None if ret != 0 or call.exit is None else "0 (Timeout)"
    index = 0
    raw = call.exit.get(call.syscall.args[index].name)
    if raw is None:
        return None
    ready = [e for e in structs.pollfds(bytes(raw), call.arch, call.name) if e["revents"]]
    limit = array_limit(call)
    shown = [f"{{fd={e['fd']}, revents={format_flags(e['revents'] & 0xFFFF, 'poll')}}}" for e in ready[:limit]]
    if limit is not None and len(ready) > limit:
        shown.append("...")  # -s: as many as strace prints, then `...`
    timeout = _POLL_TIMEOUT_ARG.get(call.name)
    left = None if timeout is None else time_left(call, timeout)
    return f"{ret} ([{', '.join(shown)}]{', ' + left if left else ''})"


def _select_return(call: Call) -> str | None:
    ret = call.ret
    if ret is None or call.exit is None:
        return None
    if ret == 0:
        return "0 (Timeout)"
    if ret < 0:
        return None
    nfds = call.c_int(0)
    parts = []
    for index, label in ((1, "in"), (2, "out"), (3, "except")):
        raw = call.exit.get(call.syscall.args[index].name)
        if raw:
            shown = format_fdset(bytes(raw), nfds)
            if shown != "[]":
                parts.append(f"{label} {shown}")
    # The kernel writes the time left back into the timeout (the 5th argument).
    left = time_left(call, 4)
    if left is not None:
        parts.append(left)
    # Even with nothing to list (the sets alias, the kernel's last write
    # emptied them), strace shows the parentheses: `= 1 ()`.
    return f"{ret} ({', '.join(parts)})"


_EPOLL_CTL_DEL = 2


def _epoll_ctl(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[1] = format_constant(call.c_int(1), "epoll_ctl")
    if call.c_int(1) == _EPOLL_CTL_DEL:
        parts[3] = pointer(call.ulong(3))  # ignored by the kernel, shown as an address
    return parts


def _flock(call: Call) -> list[str | None]:
    cmd = call.c_int(1)
    text = format_constant(cmd & ~4, "flock", "dec")
    if cmd & 4:
        text += "|LOCK_NB"
    return [call.fmt(0), text]


def _close_range(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[1] = str(call.args[1] & 0xFFFFFFFF)
    parts[2] = format_flags(call.ulong(2), "close_range")
    return parts


def _llseek(call: Call) -> list[str | None]:
    """i386 _llseek: the offset comes in two registers, the result is written to *result."""
    offset = (call.args[1] & 0xFFFFFFFF) << 32 | (call.args[2] & 0xFFFFFFFF)
    if offset >> 63:
        offset -= 1 << 64
    return [call.fmt(0), str(offset), call.fmt(3), call.fmt(4)]


def _process_madvise(call: Call) -> list[str | None]:
    """process_madvise: its iovec array (bases and lengths only: the memory
    is the other process's), and its MADV_* advice."""
    parts: list[str | None] = call.all()
    heads = call.entry.get("vec_iov")
    if isinstance(heads, list):
        shown = [f"{{iov_base={pointer(base)}, iov_len={length}}}" for base, length in heads]
        parts[1] = format_array(call.ulong(1), call.ulong(2), shown, call.long_bits // 4, array_limit(call))
    parts[3] = format_constant(call.c_int(3), "madv")
    return parts


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "process_madvise": _process_madvise,
    "_llseek": _llseek,
    "fcntl": _fcntl,
    "fcntl64": _fcntl,
    "pipe2": _pipe2,
    "epoll_ctl": _epoll_ctl,
    "flock": _flock,
    "close_range": _close_range,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {
    "fcntl": _fcntl_return,
    "fcntl64": _fcntl_return,
    "poll": _poll_return,
    "ppoll": _poll_return,
    "ppoll_time64": _poll_return,
    "select": _select_return,
    "_newselect": _select_return,
    "pselect6": _select_return,
}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"fcntl": _fcntl_split, "fcntl64": _fcntl_split}
SPLITS: dict[str, int] = {}
