"""Process calls: clone, wait4, prctl, arch_prctl, futex, getrandom, rseq..."""

from __future__ import annotations

from collections.abc import Callable

from ..args import Call, hex0, pointer
from ..flags import format_constant, format_flags
from ..names import signal_name

_CLONE_PARENT_SETTID = 0x100000
_CLONE_SETTLS = 0x80000
_CLONE_CHILD_TIDS = 0x200000 | 0x1000000  # CHILD_CLEARTID, CHILD_SETTID


def _clone(call: Call) -> list[str | None]:
    """strace names clone's arguments and shows only those the flags use,
    in its own order (the registers differ between ABIs)."""
    index = {arg.name: i for i, arg in enumerate(call.syscall.args)}
    flags = call.ulong(index["clone_flags"])
    parts: list[str | None] = [
        f"child_stack={pointer(call.ulong(index['newsp']))}",
        f"flags={format_flags(flags, 'clone')}",
    ]
    if flags & _CLONE_PARENT_SETTID:
        parts.append(f"parent_tid={pointer(call.ulong(index['parent_tidptr']))}")
    if flags & _CLONE_SETTLS:
        parts.append(f"tls={pointer(call.ulong(index['tls']))}")
    if flags & _CLONE_CHILD_TIDS:
        parts.append(f"child_tidptr={pointer(call.ulong(index['child_tidptr']))}")
    return parts


def _wait4(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[2] = format_flags(call.ulong(2), "wait")
    return parts


def _waitid(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[0] = {0: "P_ALL", 1: "P_PID", 2: "P_PGID", 3: "P_PIDFD"}.get(call.c_int(0), str(call.c_int(0)))
    parts[3] = format_flags(call.ulong(3), "wait")
    return parts


# prctl options and how many of arg2.. they use, with the kind of each.
_PRCTL_ARGS: dict[int, tuple[str, ...]] = {
    1: ("signo",), 2: ("ptr",), 3: (), 4: ("dumpable",), 7: (), 8: ("int",), 15: ("ptr",), 16: ("ptr",),
    21: (), 22: ("int", "ptr"), 23: ("int",), 24: ("int",), 36: ("int",), 37: ("ptr",),
    38: ("int", "int", "int", "int"), 39: ("int", "int", "int", "int"), 40: ("ptr",), 41: ("int", "int", "int", "int"),
    42: ("int", "int", "int", "int"), 29: ("int",), 30: (),
}  # fmt: skip


def _prctl(call: Call) -> list[str | None]:
    option = call.c_int(0)
    parts: list[str | None] = [format_constant(option, "prctl")]
    kinds = _PRCTL_ARGS.get(option)
    if kinds is None:
        return parts + [hex0(call.ulong(i)) for i in range(1, 5)]
    for offset, kind in enumerate(kinds, start=1):
        value = call.ulong(offset)
        if kind == "signo":
            parts.append(signal_name(value) if 0 < value <= 64 else str(value))
        elif kind == "dumpable":
            parts.append(format_constant(value, "dumpable", "dec"))
        elif kind == "ptr":
            parts.append(pointer(value))
        else:
            parts.append(str(call.long(offset)))
    return parts


def _prctl_return(call: Call) -> str | None:
    if call.c_int(0) == 3 and call.ret is not None and call.ret >= 0:
        return f"{call.ret} ({format_constant(call.ret, 'dumpable', 'dec')})"
    return None


def _arch_prctl(call: Call) -> list[str | None]:
    return [format_constant(call.c_int(0), "arch_prctl"), hex0(call.ulong(1))]


_FUTEX_PRIVATE = 128
_FUTEX_CLOCK_REALTIME = 256


def _futex(call: Call) -> list[str | None]:
    op = call.c_int(1)
    command = op & 0x7F
    name = format_constant(command, "futex")
    if op & _FUTEX_PRIVATE and not name.startswith("0x"):
        name += "_PRIVATE"
    if op & _FUTEX_CLOCK_REALTIME:
        name += "|FUTEX_CLOCK_REALTIME"
    parts: list[str | None] = [pointer(call.ulong(0)), name, str(call.c_int(2))]
    if command in (0, 9, 11):  # WAIT, WAIT_BITSET, WAIT_REQUEUE_PI: a timeout
        parts.append(pointer(call.ulong(3)))
        if command == 9:
            mask = call.args[5] & 0xFFFFFFFF
            parts.append("FUTEX_BITSET_MATCH_ANY" if mask == 0xFFFFFFFF else hex(mask))
        elif command == 11:
            parts.append(pointer(call.ulong(4)))
    elif command == 10:  # WAKE_BITSET
        parts += ["NULL" if call.args[3] == 0 else pointer(call.ulong(3)), pointer(call.ulong(4))]
        mask = call.args[5] & 0xFFFFFFFF
        parts.append("FUTEX_BITSET_MATCH_ANY" if mask == 0xFFFFFFFF else hex(mask))
    elif command in (3, 4, 5, 12):
        parts += [str(call.ulong(3)), pointer(call.ulong(4))]
        if command != 3:
            parts.append(str(call.c_int(5)))
    elif command in (6, 13):
        parts.append(pointer(call.ulong(3)))
    return parts


def _getrandom(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[2] = format_flags(call.ulong(2), "grnd")
    return parts


def _rseq(call: Call) -> list[str | None]:
    return [pointer(call.ulong(0)), hex0(call.ulong(1)), str(call.c_int(2)), hex0(call.args[3] & 0xFFFFFFFF)]


def _getrusage(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[0] = format_constant(call.c_int(0), "rusage_who", "dec")
    return parts


def _priority(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    parts[0] = format_constant(call.c_int(0), "which_prio", "dec")
    return parts


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "clone": _clone,
    "wait4": _wait4,
    "waitid": _waitid,
    "prctl": _prctl,
    "arch_prctl": _arch_prctl,
    "futex": _futex,
    "futex_time64": _futex,
    "getrandom": _getrandom,
    "rseq": _rseq,
    "getrusage": _getrusage,
    "getpriority": _priority,
    "setpriority": _priority,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {"prctl": _prctl_return}
# Calls whose line strace cuts at entry after this many printed arguments
# (the rest is written by the kernel and printed at exit).
SPLITS: dict[str, int] = {"clone": 2}
