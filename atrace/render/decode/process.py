"""Process calls: clone, wait4, arch_prctl, futex, getrandom, rseq..."""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import replace

from ...syscalls.abi import signed
from ...syscalls.calls import (
    CLONE_ARGS_MAX_SIZE,
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
    KCMP_EPOLL_TFD,
    KCMP_FILE,
)
from ..call import Call, entry_parsed, hex0, pointer
from ..fds import fd_text
from ..flags import CONSTANTS, format_constant, format_flags, format_personality, number, raw_style, styled
from ..fmt_structs import clone_args_extra, format_user_desc
from ..names import errno_message, errno_name
from ..pid_texts import pid_text
from ..quoting import as_bytes, quote_buffer

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
        if tid is not None and flags & CLONE_PIDFD:
            # -y: the pidfd's path
            tid = fd_text(str(tid), (call.exit or {}).get("pidfd_path"), None, call.options.decode_fds)
        parts.append(
            f"parent_tid={pointer(call.ulong(index['parent_tidptr']))}" if tid is None else f"parent_tid=[{tid}]"
        )
    if flags & CLONE_SETTLS:
        parts.append(f"tls={pointer(call.ulong(index['tls']))}")
    if flags & _CLONE_CHILD_TIDS:
        parts.append(f"child_tidptr={pointer(call.ulong(index['child_tidptr']))}")
    return parts


def _clone3(call: Call) -> list[str | None]:
    """clone3({...} => {pidfd=[3], parent_tid=[1234]}, 88): when the call
    returned a child, what the kernel wrote back (or the pointer it could
    not write through) and the bytes past the struct, after the struct."""
    parts: list[str | None] = call.all()
    f = call.parsed(0)
    if f is None or parts[0] is None or not call.succeeded() or not call.ret:
        return parts
    written = []
    for key, flag in (("pidfd", CLONE_PIDFD), ("parent_tid", CLONE_PARENT_SETTID)):
        if f["flags"] & flag:
            value = (call.exit or {}).get(key)
            written.append(f"{key}={pointer(f[key])}" if value is None else f"{key}=[{value}]")
    extra = clone_args_extra(as_bytes(call.entry.get("uargs")) or b"", call.ulong(1))
    written.extend([extra] if extra else [])
    if written:
        parts[0] += " => {" + ", ".join(written) + "}"
    return parts


def _clone3_split(call: Call) -> int:
    """With CLONE_PARENT_SETTID or CLONE_PIDFD the struct is printed at exit,
    with what the kernel wrote (and so when the size goes past the struct)."""
    f = call.parsed(0)
    written = f is not None and f["flags"] & (CLONE_PARENT_SETTID | CLONE_PIDFD)
    # Bytes past the struct are shown again after it, as they are then.
    return 0 if written or call.ulong(1) > CLONE_ARGS_MAX_SIZE else len(call.syscall.args)


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
    """The descriptor the kernel filled; else the entry_number passed in
    (the struct need be readable only that far)."""
    f = call.parsed(0) if call.succeeded() and call.exit else None
    if f is not None:
        return [format_user_desc(f, call.arch)]
    asked = as_bytes(call.entry.get(call.syscall.args[0].name))
    if asked is None or len(asked) < 4:
        return [pointer(call.ulong(0))]
    number = signed(int.from_bytes(asked[:4], "little"), 32)
    return [f"{{entry_number={number if number == -1 else number & 0xFFFFFFFF}, ...}}"]


# sizeof(struct user_desc): modify_ldt's pointer is one only with this count.
_USER_DESC_SIZE = 16


def _modify_ldt(call: Call) -> list[str | None]:
    """The descriptor when the byte count is one struct user_desc's, else
    the address (strace's rule, whatever the function)."""
    f = entry_parsed(call, 1) if call.ulong(2) == _USER_DESC_SIZE else None
    shown = pointer(call.ulong(1)) if f is None else format_user_desc(f, call.arch)
    return [str(call.c_int(0)), shown, str(call.ulong(2))]


def _modify_ldt_return(call: Call) -> str | None:
    """The kernel returns an int zero-extended to a long: an error shows as
    a large positive number, followed by its name when its low half is one."""
    ret = call.ret
    if ret is None or ret < 0 or call.long_bits == 32:
        return None
    low = signed(ret & 0xFFFFFFFF, 32)
    return f"{ret} {errno_name(-low)} ({errno_message(-low)})" if -4096 < low < 0 else None


def _getrandom(call: Call) -> list[str | None]:
    parts: list[str | None] = call.all()
    raw = as_bytes((call.exit or {}).get(call.syscall.args[0].name))
    if raw is not None and call.succeeded() and call.ret:
        # strace shows random bytes in hex whatever -x says: they are not text.
        parts[0] = quote_buffer(raw, call.ret, replace(call.options, hex_strings=2))
    parts[2] = format_flags(call.ulong(2), "grnd")
    return parts


_WAITV = struct.Struct("<QQI4x")
# futex_waitv reads at most FUTEX_WAITV_MAX waiters.
_WAITV_MAX = 128


def _futex_waiters(call: Call) -> str:
    """[{val=..., uaddr=..., flags=...}, ...]: as many as were read, then
    `...` when the count goes on, or where memory ended."""
    addr, count = call.ulong(0), call.args[1] & 0xFFFFFFFF
    if addr == 0:
        return "NULL"
    if count == 0:
        return "[]"
    raw = as_bytes(call.entry.get("waiters")) or b""
    shown = []
    for offset in range(0, len(raw) - _WAITV.size + 1, _WAITV.size):
        val, uaddr, flags = _WAITV.unpack_from(raw, offset)
        reserved = int.from_bytes(raw[offset + 20 : offset + 24], "little")
        text = f"{{val={hex0(val)}, uaddr={pointer(uaddr)}, flags={format_flags(flags, 'futex_waitv_flags')}"
        shown.append(text + (f", __reserved={reserved:#x}}}" if reserved else "}"))
    if not shown:
        return pointer(addr)
    wanted = min(count, _WAITV_MAX, call.options.string_limit)
    if len(shown) < wanted:
        shown.append(f"... /* {pointer(addr + _WAITV.size * len(shown))} */")
    elif count > len(shown):
        shown.append("...")
    return "[" + ", ".join(shown) + "]"


def _futex_waitv(call: Call) -> list[str | None]:
    return [_futex_waiters(call), str(call.args[1] & 0xFFFFFFFF), hex0(call.args[2] & 0xFFFFFFFF), call.fmt(3),
            format_constant(call.args[4] & 0xFFFFFFFF, "clock")]  # fmt: skip


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
    "futex": _futex,
    "futex_time64": _futex,
    "getrandom": _getrandom,
    "rseq": _rseq,
    "futex_waitv": _futex_waitv,
    "modify_ldt": _modify_ldt,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {
    "personality": _personality_return,
    "set_thread_area": _set_thread_area_return,
    "modify_ldt": _modify_ldt_return,
}
# Calls whose line strace cuts at entry after this many printed arguments
# (the rest is written by the kernel and printed at exit).
SPLITS: dict[str, int] = {"clone": 2, "get_thread_area": 0}
# Calls whose cut depends on their arguments.
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"clone3": _clone3_split}


# -- ioprio ------------------------------------------------------------------

_IOPRIO_CLASS_SHIFT, _IOPRIO_DATA_MASK = 13, 0x1FFF


def _ioprio_text(value: int) -> str:
    """IOPRIO_PRIO_VALUE(class, data), the class in the current style."""
    klass = format_constant(value >> _IOPRIO_CLASS_SHIFT, "ioprio_class")
    return f"IOPRIO_PRIO_VALUE({klass}, {value & _IOPRIO_DATA_MASK})"


def _ioprio_args(call: Call) -> list[str | None]:
    """which, who (a pid, process group or uid, as which says), and
    ioprio_set's priority (in decimal, as the macro strace writes)."""
    who = pid_text(call.c_int(1), None, call.entry.get("pid_pidns"))
    parts: list[str | None] = [format_constant(call.ulong(0) & 0xFFFFFFFF, "ioprio_who"), who]
    if call.name == "ioprio_set":
        value = call.ulong(2) & 0xFFFFFFFF
        number_text = str(call.c_int(2))  # an int, printed signed
        parts.append(number_text if raw_style() else styled(number_text, _ioprio_text(value)))
    return parts


def _ioprio_return(call: Call) -> str | None:
    ret = call.ret
    if ret is None or ret < 0 or raw_style():
        return None
    return f"{ret} ({_ioprio_text(ret)})"


CALLS.update({"ioprio_get": _ioprio_args, "ioprio_set": _ioprio_args})
RETURNS["ioprio_get"] = _ioprio_return


# -- kcmp --------------------------------------------------------------------

_KCMP_EPOLL_SLOT = struct.Struct("<3I")


def _kcmp(call: Call) -> list[str | None]:
    """The indexes are what the type says: two fds (KCMP_FILE), an fd and
    a struct kcmp_epoll_slot (KCMP_EPOLL_TFD), none for the types that
    compare whole resources, two numbers for an unknown type."""
    kind = call.ulong(2) & 0xFFFFFFFF
    parts: list[str | None] = [call.fmt(0), call.fmt(1), format_constant(kind, "kcmp_type")]
    if kind == KCMP_FILE:
        return [*parts, call.fmt(3), call.fmt(4)]
    if kind == KCMP_EPOLL_TFD:
        raw = as_bytes(call.entry.get("epoll_slot"))
        if raw is None or len(raw) < _KCMP_EPOLL_SLOT.size:
            return [*parts, call.fmt(3), pointer(call.args[4])]
        efd, tfd, toff = _KCMP_EPOLL_SLOT.unpack_from(raw)
        return [*parts, call.fmt(3), f"{{efd={signed(efd, 32)}, tfd={signed(tfd, 32)}, toff={toff}}}"]
    if kind in CONSTANTS["kcmp_type"]:
        return parts
    return [*parts, hex0(call.args[3]), hex0(call.args[4])]


CALLS["kcmp"] = _kcmp


# -- sched_setattr, sched_getattr -------------------------------------------

# struct sched_attr (linux/sched/types.h): size, policy, flags, nice,
# priority, runtime, deadline, period; then util_min and util_max
# (SCHED_ATTR_SIZE_VER1).  The first 48 bytes are SCHED_ATTR_SIZE_VER0.
_SCHED_ATTR = struct.Struct("<IIQiIQQQ")
_SCHED_UTIL = struct.Struct("<II")
_SCHED_ATTR_VER0, _SCHED_ATTR_VER1 = 48, 56
_SCHED_FLAG_KEEP_POLICY, _SCHED_FLAG_KEEP_PARAMS = 0x08, 0x10


def _sched_attr_fields(raw: bytes, size: int) -> list[str]:
    """The fields after size that `size` bytes hold (none under VER0's 48);
    the policy left out with SCHED_FLAG_KEEP_POLICY, the parameters with
    SCHED_FLAG_KEEP_PARAMS, as strace does."""
    if size < _SCHED_ATTR_VER0:
        return []
    _, policy, flags, nice, priority, runtime, deadline, period = _SCHED_ATTR.unpack_from(raw)
    fields = (
        []
        if flags & (_SCHED_FLAG_KEEP_POLICY | _SCHED_FLAG_KEEP_PARAMS)
        else [f"sched_policy={format_constant(policy, 'sched_policy')}"]
    )
    fields.append(f"sched_flags={format_flags(flags, 'sched_flags')}")
    if not flags & _SCHED_FLAG_KEEP_PARAMS:
        fields += [f"sched_nice={nice}", f"sched_priority={priority}", f"sched_runtime={runtime}",
                   f"sched_deadline={deadline}", f"sched_period={period}"]  # fmt: skip
    if size >= _SCHED_ATTR_VER1:
        util_min, util_max = _SCHED_UTIL.unpack_from(raw, _SCHED_ATTR_VER0)
        fields += [f"sched_util_min={util_min}", f"sched_util_max={util_max}"]
    return fields


def _sched_attr(raw: bytes | None, asked: int | None, addr: int) -> str:
    """{size=N, ...}: the fields the size covers (`asked`: sched_getattr's
    size argument; sched_setattr's comes from the struct, 0 meaning VER0),
    then `...` when the size goes past what strace knows."""
    if raw is None or len(raw) < 4:
        return pointer(addr)
    size = int.from_bytes(raw[:4], "little")
    wanted = asked if asked is not None else size or _SCHED_ATTR_VER0
    shown = min(wanted, _SCHED_ATTR_VER1)
    if shown >= _SCHED_ATTR_VER0 and len(raw) < shown:
        return pointer(addr)
    if asked is not None:
        shown = min(shown, size)  # what the kernel wrote
    fields = [f"size={size}", *_sched_attr_fields(raw, shown)]
    return "{" + ", ".join(fields) + (", ...}" if wanted > _SCHED_ATTR_VER1 else "}")


def _sched_setattr(call: Call) -> list[str | None]:
    addr = call.ulong(1)
    shown = "NULL" if addr == 0 else _sched_attr(as_bytes(call.entry.get("attr")), None, addr)
    back = as_bytes((call.exit or {}).get("attr")) if call.ret == -_E2BIG else None
    if back is not None and len(back) == 4 and shown.startswith("{"):
        shown += f" => {{size={int.from_bytes(back, 'little')}}}"
    return [call.fmt(0), shown, str(call.ulong(2))]


def _sched_getattr(call: Call) -> list[str | None]:
    addr = call.ulong(1)
    raw = as_bytes((call.exit or {}).get("attr")) if call.succeeded() else None
    shown = "NULL" if addr == 0 else _sched_attr(raw, call.ulong(2), addr)
    return [call.fmt(0), shown, str(call.ulong(2)), str(call.ulong(3))]


def _sched_setattr_split(call: Call) -> int:
    """A size the kernel may refuse with E2BIG (under VER0's, over what
    strace knows) gets the size the kernel wrote back after the struct: the
    struct is then shown at exit (strace shows the struct at entry and the
    size after it at exit: the same line unless another task's interrupts it)."""
    raw = as_bytes(call.entry.get("attr"))
    size = int.from_bytes(raw[:4], "little") if raw is not None and len(raw) >= 4 else 0
    return 1 if size and not _SCHED_ATTR_VER0 <= size <= _SCHED_ATTR_VER1 else 3


_E2BIG = 7
CALLS.update({"sched_setattr": _sched_setattr, "sched_getattr": _sched_getattr})
SPLITS["sched_getattr"] = 1
SPLIT_BY_CALL["sched_setattr"] = _sched_setattr_split
