"""Process calls: clone, wait4, prctl, arch_prctl, futex, getrandom, rseq..."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ...syscalls.calls import (
    CLONE_CHILD_CLEARTID,
    CLONE_CHILD_SETTID,
    CLONE_PARENT_SETTID,
    CLONE_PIDFD,
    CLONE_SETTLS,
    FUTEX_CLOCK_REALTIME,
    FUTEX_CMD_MASK,
    FUTEX_CMP_REQUEUE,
    FUTEX_CMP_REQUEUE_PI,
    FUTEX_FD,
    FUTEX_LOCK_PI,
    FUTEX_LOCK_PI2,
    FUTEX_PRIVATE_FLAG,
    FUTEX_REQUEUE,
    FUTEX_TRYLOCK_PI,
    FUTEX_UNLOCK_PI,
    FUTEX_WAIT,
    FUTEX_WAIT_BITSET,
    FUTEX_WAIT_REQUEUE_PI,
    FUTEX_WAKE,
    FUTEX_WAKE_BITSET,
    FUTEX_WAKE_OP,
    PR_GET_CHILD_SUBREAPER,
    PR_GET_DUMPABLE,
    PR_GET_NAME,
    PR_GET_PDEATHSIG,
    PR_SET_NAME,
    TASK_COMM_LEN,
)
from ..call import Call, entry_parsed, hex0, pointer
from ..flags import CONSTANTS, format_constant, format_flags, format_personality, format_signal, number
from ..fmt_structs import format_user_desc
from ..quoting import as_bytes, quote, quote_buffer

_CLONE_CHILD_TIDS = CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID


def _clone(call: Call) -> list[str | None]:
    """strace names clone's arguments and shows only those the flags use,
    in its own order (the registers differ between ABIs)."""
    index = {arg.name: i for i, arg in enumerate(call.syscall.args)}
    flags = call.ulong(index["clone_flags"])
    parts: list[str | None] = [
        f"child_stack={pointer(call.ulong(index['newsp']))}",
        f"flags={format_flags(flags, 'clone')}",
    ]
    if flags & (CLONE_PARENT_SETTID | CLONE_PIDFD):
        # The child's tid, or with CLONE_PIDFD its pidfd, once the kernel has
        # written it (at exit).
        tid = (call.exit or {}).get("parent_tidptr")
        parts.append(
            f"parent_tid={pointer(call.ulong(index['parent_tidptr']))}" if tid is None else f"parent_tid=[{tid}]"
        )
    if flags & CLONE_SETTLS:
        parts.append(f"tls={pointer(call.ulong(index['tls']))}")
    if flags & _CLONE_CHILD_TIDS:
        parts.append(f"child_tidptr={pointer(call.ulong(index['child_tidptr']))}")
    return parts


def _clone3(call: Call) -> list[str | None]:
    """clone3({...} => {pidfd=[3], parent_tid=[1234]}, 88): what the kernel
    wrote back follows the struct."""
    parts: list[str | None] = call.all()
    written = [
        f"{key}=[{value}]" for key in ("pidfd", "parent_tid") if (value := (call.exit or {}).get(key)) is not None
    ]
    if written and parts[0] is not None:
        parts[0] += " => {" + ", ".join(written) + "}"
    return parts


def _clone3_split(call: Call) -> int:
    """With CLONE_PARENT_SETTID or CLONE_PIDFD the struct is printed at exit,
    with what the kernel wrote."""
    f = call.parsed(0)
    written = f is not None and f["flags"] & (CLONE_PARENT_SETTID | CLONE_PIDFD)
    return 0 if written else len(call.syscall.args)


# prctl options and how many of arg2.. they use, with the kind of each
# (the *_out kinds are written by the kernel, shown at exit).
_PRCTL_ARGS: dict[int, tuple[str, ...]] = {
    1: ("signo",), PR_GET_PDEATHSIG: ("signo_out",), PR_GET_DUMPABLE: (), 4: ("dumpable",), 7: (), 8: ("int",),
    PR_SET_NAME: ("name",), PR_GET_NAME: ("name_out",), 21: (), 22: ("int", "ptr"), 23: ("cap",), 24: ("cap",),
    36: ("int",), PR_GET_CHILD_SUBREAPER: ("int_out",),
    38: ("int", "int", "int", "int"), 39: ("int", "int", "int", "int"), 40: ("ptr",), 41: ("int", "int", "int", "int"),
    42: ("int", "int", "int", "int"), 29: ("int",), 30: (),
}  # fmt: skip


def _signal_number(value: int) -> str:
    return format_signal(value)


def _prctl_name(call: Call, offset: int) -> str:
    """PR_SET_NAME's name (read at entry), PR_GET_NAME's (at exit)."""
    raw = as_bytes(call.value(offset))
    if raw is None:
        return pointer(call.ulong(offset))
    raw = raw[:TASK_COMM_LEN].split(b"\0", 1)[0]
    return quote(raw, TASK_COMM_LEN - 1, call.options.hex_strings)


def _prctl_int_out(show: Callable[[int], str]) -> Callable[[Call, int], str]:
    """An int the kernel writes (PR_GET_PDEATHSIG...): [value] once written."""

    def formatter(call: Call, offset: int) -> str:
        raw = call.value(offset) if call.succeeded() else None
        if not isinstance(raw, bytes) or len(raw) < 4:
            return pointer(call.ulong(offset))
        return f"[{show(int.from_bytes(raw[:4], 'little', signed=True))}]"

    return formatter


_PRCTL_FORMATTERS: dict[str, Callable[[Call, int], str]] = {
    "signo": lambda call, offset: _signal_number(call.ulong(offset)),
    "dumpable": lambda call, offset: format_constant(call.ulong(offset), "dumpable", "dec"),
    # strace shows an unknown capability as an unsigned int: 0xffffffff /* CAP_??? */.
    "cap": lambda call, offset: format_constant(call.ulong(offset) & 0xFFFFFFFF, "capability"),
    "ptr": lambda call, offset: pointer(call.ulong(offset)),
    "int": lambda call, offset: str(call.long(offset)),
    "name": _prctl_name,
    "name_out": _prctl_name,
    "signo_out": _prctl_int_out(_signal_number),
    "int_out": _prctl_int_out(str),
}


def _prctl(call: Call) -> list[str | None]:
    option = call.c_int(0)
    parts: list[str | None] = [format_constant(option, "prctl")]
    kinds = _PRCTL_ARGS.get(option)
    if kinds is None:
        return parts + [hex0(call.ulong(i)) for i in range(1, 5)]
    return parts + [_PRCTL_FORMATTERS[kind](call, offset) for offset, kind in enumerate(kinds, start=1)]


def _prctl_split(call: Call) -> int:
    """Options whose argument the kernel writes are cut after the option."""
    kinds = _PRCTL_ARGS.get(call.c_int(0), ())
    return 1 if any(kind.endswith("_out") for kind in kinds) else len(call.syscall.args)


def _prctl_return(call: Call) -> str | None:
    if call.c_int(0) == PR_GET_DUMPABLE and call.ret is not None and call.ret >= 0:
        return f"{call.ret} ({format_constant(call.ret, 'dumpable', 'dec')})"
    return None


def _arch_prctl(call: Call) -> list[str | None]:
    return [format_constant(call.c_int(0), "arch_prctl"), hex0(call.ulong(1))]


def _futex_op_name(op: int) -> str:
    """FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME: strace knows the commands,
    their _PRIVATE forms and FUTEX_CLOCK_REALTIME with the waits only; any
    other op is `0x101 /* FUTEX_??? */`."""
    command = op & FUTEX_CMD_MASK
    base = CONSTANTS["futex"].get(command)
    clock = op & FUTEX_CLOCK_REALTIME
    if (
        base is None
        or op & ~(FUTEX_CMD_MASK | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)
        or (clock and command not in _FUTEX_CLOCK_COMMANDS)
    ):
        return format_constant(op, "futex")
    if op & FUTEX_PRIVATE_FLAG:
        base += "|FUTEX_PRIVATE_FLAG" if command == FUTEX_FD else "_PRIVATE"
    return base + "|FUTEX_CLOCK_REALTIME" if clock else base


# The commands FUTEX_CLOCK_REALTIME goes with (strace's futexops).
_FUTEX_CLOCK_COMMANDS = frozenset({FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI})
_U32 = 0xFFFFFFFF


def _futex_bitset(call: Call) -> str:
    mask = call.args[5] & _U32
    return "FUTEX_BITSET_MATCH_ANY" if mask == _U32 else hex0(mask)


# How strace prints what follows futex's op, by part: val, val2 and val3 are
# u32 (val2 shares the fourth register with the timeout).
_FUTEX_PART: dict[str, Callable[[Call], str | None]] = {
    "val": lambda call: str(call.args[2] & _U32),
    "timeout": lambda call: call.fmt(3),
    "address": lambda call: pointer(call.ulong(3)),
    "val2": lambda call: str(call.args[3] & _U32),
    "uaddr2": lambda call: pointer(call.ulong(4)),
    "val3": lambda call: str(call.args[5] & _U32),
    "val3_hex": lambda call: hex0(call.args[5] & _U32),
    "bitset": _futex_bitset,
    "wake_op": lambda call: _futex_wake_op(call.args[5] & _U32),
}
# The parts each command takes; an unknown command gets _FUTEX_OTHER.
_FUTEX_PARTS: dict[int, tuple[str, ...]] = {
    FUTEX_WAIT: ("val", "timeout"),
    FUTEX_WAKE: ("val",),
    FUTEX_FD: ("val",),
    FUTEX_REQUEUE: ("val", "val2", "uaddr2"),
    FUTEX_CMP_REQUEUE: ("val", "val2", "uaddr2", "val3"),
    FUTEX_WAKE_OP: ("val", "val2", "uaddr2", "wake_op"),
    FUTEX_LOCK_PI: ("timeout",),
    FUTEX_UNLOCK_PI: (),
    FUTEX_TRYLOCK_PI: (),
    FUTEX_WAIT_BITSET: ("val", "timeout", "bitset"),
    FUTEX_WAKE_BITSET: ("val", "bitset"),
    FUTEX_WAIT_REQUEUE_PI: ("val", "timeout", "uaddr2"),
    FUTEX_CMP_REQUEUE_PI: ("val", "val2", "uaddr2", "val3"),
    FUTEX_LOCK_PI2: ("timeout",),
}
_FUTEX_OTHER = ("val", "address", "uaddr2", "val3_hex")


def _futex(call: Call) -> list[str | None]:
    op = call.args[1] & _U32
    parts: list[str | None] = [pointer(call.ulong(0)), _futex_op_name(op)]
    return parts + [_FUTEX_PART[part](call) for part in _FUTEX_PARTS.get(op & FUTEX_CMD_MASK, _FUTEX_OTHER)]


_FUTEX_OP_OPARG_SHIFT = 8


def _futex_wake_op(val3: int) -> str:
    """FUTEX_WAKE_OP's encoded operation: op<<28|oparg<<12|cmp<<24|cmparg,
    an unknown op or comparison with strace's comment."""
    op, cmp, oparg, cmparg = val3 >> 28, val3 >> 24 & 0xF, val3 >> 12 & 0xFFF, val3 & 0xFFF
    parts = ["FUTEX_OP_OPARG_SHIFT<<28"] if op & _FUTEX_OP_OPARG_SHIFT else []
    op_name, cmp_name = CONSTANTS["futex_op"].get(op & 7), CONSTANTS["futex_cmp"].get(cmp)
    parts += [f"{op_name}<<28" if op_name else f"{op & 7:#x}<<28 /* FUTEX_OP_??? */", f"{hex0(oparg)}<<12",
              f"{cmp_name}<<24" if cmp_name else f"{cmp:#x}<<24 /* FUTEX_OP_CMP_??? */", hex0(cmparg)]  # fmt: skip
    return "|".join(parts)


def _set_thread_area_return(call: Call) -> str | None:
    """The entry number the kernel chose, written back into the struct."""
    f = call.parsed(0) if call.succeeded() and call.exit else None
    return None if f is None else f"{call.ret} (entry_number={f['entry_number']})"


def _get_thread_area(call: Call) -> list[str | None]:
    """The descriptor the kernel filled; else the entry_number passed in."""
    f = call.parsed(0) if call.succeeded() and call.exit else None
    if f is not None:
        return [format_user_desc(f, call.arch)]
    asked = entry_parsed(call, 0)
    return [pointer(call.ulong(0)) if asked is None else f"{{entry_number={asked['entry_number']}, ...}}"]


def _getrandom(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    raw = as_bytes((call.exit or {}).get(call.syscall.args[0].name))
    if raw is not None and call.succeeded() and call.ret:
        # strace shows random bytes in hex whatever -x says: they are not text.
        parts[0] = quote_buffer(raw, call.ret, replace(call.options, hex_strings=2))
    parts[2] = format_flags(call.ulong(2), "grnd")
    return parts


def _rseq(call: Call) -> list[str | None]:
    return [pointer(call.ulong(0)), hex0(call.ulong(1)), str(call.c_int(2)), hex0(call.args[3] & 0xFFFFFFFF)]


def _personality(call: Call) -> list[str | None]:
    """personality(0xffffffff) asks without changing: strace shows the number."""
    value = call.args[0] & 0xFFFFFFFF
    return ["0xffffffff" if value == 0xFFFFFFFF else format_personality(value)]


def _personality_return(call: Call) -> str | None:
    """The previous persona, in hex and named (`0x6 (PER_BSD)`)."""
    if call.ret is None or not call.succeeded():
        return None
    return f"{number(call.ret & 0xFFFFFFFF)} ({format_personality(call.ret)})"


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "personality": _personality,
    "clone": _clone,
    "clone3": _clone3,
    "get_thread_area": _get_thread_area,
    "prctl": _prctl,
    "arch_prctl": _arch_prctl,
    "futex": _futex,
    "futex_time64": _futex,
    "getrandom": _getrandom,
    "rseq": _rseq,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {
    "personality": _personality_return,
    "prctl": _prctl_return,
    "set_thread_area": _set_thread_area_return,
}
# Calls whose line strace cuts at entry after this many printed arguments
# (the rest is written by the kernel and printed at exit).
SPLITS: dict[str, int] = {"clone": 2, "get_thread_area": 0}
# Calls whose cut depends on their arguments.
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"clone3": _clone3_split, "prctl": _prctl_split}
