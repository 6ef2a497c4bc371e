"""System V IPC: msgget/semget/shmget's keys and flags, and the control
calls' commands with the structs they pass or get back.

What the control commands' pointer holds, and when it is copied, is in
atrace.syscalls.cmds (shared with the tracer); the structs are the 64-bit
ABI's (i386's are shown as their address).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ...syscalls.cmds import IN, command_arg
from ..call import Call, array_limit, format_array, pointer
from ..flags import TABLES, composite, const_style, format_constant, format_flags, format_mode, named_bits, styled
from ..quoting import as_bytes, quote_buffer

IPC_64 = 0x100
_SHM_HUGE_SHIFT, _SHM_HUGE_MASK = 26, 0x3F

# struct ipc64_perm: key, uid, gid, cuid, cgid, mode, seq (48 bytes with padding).
_PERM = struct.Struct("<iIIIII")
_PERM_SIZE = 48
_LAYOUTS: dict[str, tuple[struct.Struct, tuple[str, ...]]] = {
    "msqid_ds": (struct.Struct("<qqqQQQii"), ("msg_stime", "msg_rtime", "msg_ctime", "msg_cbytes", "msg_qnum",
                                              "msg_qbytes", "msg_lspid", "msg_lrpid")),
    "shmid_ds": (struct.Struct("<QqqqiiQ"), ("shm_segsz", "shm_atime", "shm_dtime", "shm_ctime", "shm_cpid",
                                             "shm_lpid", "shm_nattch")),
    "semid_ds": (struct.Struct("<q8xq8xQ"), ("sem_otime", "sem_ctime", "sem_nsems")),
}  # fmt: skip
# The fields strace prints of each, in its order (msg_cbytes is left out).
_SHOWN = {
    "msqid_ds": ("msg_stime", "msg_rtime", "msg_ctime", "msg_qnum", "msg_qbytes", "msg_lspid", "msg_lrpid"),
    "shmid_ds": ("shm_segsz", "shm_cpid", "shm_lpid", "shm_nattch", "shm_atime", "shm_dtime", "shm_ctime"),
    "semid_ds": ("sem_otime", "sem_ctime", "sem_nsems"),
}
_PERM_NAME = {"msqid_ds": "msg_perm", "shmid_ds": "shm_perm", "semid_ds": "sem_perm"}
# IPC_SET passes these (the rest is ignored by the kernel).
_SET_SHOWN = {"msqid_ds": ("msg_qbytes",), "shmid_ds": (), "semid_ds": ()}
_INFOS: dict[str, tuple[str, tuple[str, ...]]] = {
    "msginfo": ("<7iH", ("msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql", "msgseg")),
    "seminfo": ("<10i", ("semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm", "semume", "semusz", "semvmx",
                         "semaem")),
    "shminfo": ("<5Q", ("shmmax", "shmmin", "shmmni", "shmseg", "shmall")),
    "shm_info": ("<i4x5Q", ("used_ids", "shm_tot", "shm_rss", "shm_swp", "swap_attempts", "swap_successes")),
}  # fmt: skip


def _key(value: int) -> str:
    value &= 0xFFFFFFFF
    return styled("0", "IPC_PRIVATE") if value == 0 else f"{value:#x}"


def _huge_shift(huge: int) -> str:
    """shmget's huge page size, log2 in bits 26-31: 21<<SHM_HUGE_SHIFT."""
    style = const_style()
    if style == "abbrev":
        return f"{huge}<<SHM_HUGE_SHIFT"
    return f"{huge}<<{_SHM_HUGE_SHIFT}" + (" /* SHM_HUGE_SHIFT */" if style == "verbose" else "")


def _get_flags(value: int, table: str) -> str:
    """IPC_CREAT|IPC_EXCL|0x...|0600: names, unknown bits, the permissions
    (under -X raw the flags as one number, then the permissions)."""
    value &= 0xFFFFFFFF
    flags = value & ~0o777
    huge = 0
    if table == "shm_get":
        huge = flags >> _SHM_HUGE_SHIFT & _SHM_HUGE_MASK
        flags &= ~(_SHM_HUGE_MASK << _SHM_HUGE_SHIFT)

    def names() -> str:
        named, rest = named_bits(flags, TABLES[table])
        return "|".join([*named, hex(rest)] if rest else named)

    known = bool(named_bits(flags, TABLES[table])[0])
    parts = [composite(hex(flags), names) if known else hex(flags)] if flags else []
    if huge:
        parts.append(_huge_shift(huge))
    parts.append(format_mode(value & 0o777))
    return "|".join(parts)


def _msgget(call: Call) -> list[str | None]:
    return [_key(call.args[0]), _get_flags(call.args[1], "ipc_get")]


def _semget(call: Call) -> list[str | None]:
    return [_key(call.args[0]), str(call.c_int(1)), _get_flags(call.args[2], "ipc_get")]


def _shmget(call: Call) -> list[str | None]:
    return [_key(call.args[0]), str(call.ulong(1)), _get_flags(call.args[2], "shm_get")]


def _perm(raw: bytes, full: bool) -> str:
    key, uid, gid, cuid, cgid, mode = _PERM.unpack_from(raw)
    text = f"uid={uid}, gid={gid}, mode={f'0{mode:o}' if mode else '0'}"  # C's %#o
    return "{" + (text + f", key={key}, cuid={cuid}, cgid={cgid}" if full else text) + "}"


def _ds(shape: str, raw: bytes, passed_in: bool) -> str | None:
    layout, names = _LAYOUTS[shape]
    if len(raw) < _PERM_SIZE + layout.size:
        return None
    fields: dict[str, Any] = dict(zip(names, layout.unpack_from(raw, _PERM_SIZE), strict=True))
    shown = _SET_SHOWN[shape] if passed_in else _SHOWN[shape]
    parts = [f"{_PERM_NAME[shape]}={_perm(raw, not passed_in)}"] + [f"{name}={fields[name]}" for name in shown]
    return "{" + ", ".join(parts) + "}"


def _info(shape: str, raw: bytes) -> str | None:
    fmt, names = _INFOS[shape]
    layout = struct.Struct(fmt)
    if len(raw) < layout.size:
        return None
    return "{" + ", ".join(f"{n}={v}" for n, v in zip(names, layout.unpack_from(raw), strict=True)) + "}"


def _pointed(call: Call, index: int) -> str:
    """The control command's struct, once there is one to show."""
    described = command_arg(call.name, call.args)
    value = call.value(index)
    raw = as_bytes(value) if described is not None else None
    if described is None or raw is None or (described.when != IN and not call.succeeded()):
        return pointer(call.ulong(index))
    shown = _ds(described.shape, raw, described.when == IN) if described.shape in _LAYOUTS else None
    if described.shape in _INFOS:
        shown = _info(described.shape, raw)
    return shown if shown is not None else pointer(call.ulong(index))


def _command(call: Call, index: int) -> str:
    cmd = call.c_int(index) & 0xFFFFFFFF
    name = format_constant(cmd & ~IPC_64 & 0xFFFFFFFF, call.name)
    return f"IPC_64|{name}" if cmd & IPC_64 else name


def _ctl(command: int) -> Callable[[Call], list[str | None]]:
    def formatter(call: Call) -> list[str | None]:
        ids = [str(call.c_int(i)) for i in range(command)]
        return [*ids, _command(call, command), _pointed(call, command + 1)]

    return formatter


def _ctl_split(command: int) -> Callable[[Call], int]:
    """A struct the kernel writes is printed at exit: cut before it."""

    def split(call: Call) -> int:
        described = command_arg(call.name, call.args)
        return command + 1 if described is not None and described.when != IN else command + 2

    return split


def _shmat(call: Call) -> list[str | None]:
    flags = format_flags(call.args[2] & 0xFFFFFFFF, "shmat")
    return [str(call.c_int(0)), pointer(call.ulong(1)) if call.args[1] else "NULL", flags]


_O_CREAT = 0o100


def _msgbuf(call: Call) -> list[str | None]:
    """msgsnd/msgrcv: {mtype=..., mtext="..."}; mtext's length is msgsz
    sent, or what msgrcv returned."""
    parts: list[str | None] = call.all()
    raw = as_bytes(call.value(1))
    word = call.long_bits // 8
    received = call.name == "msgrcv"
    if raw is not None and len(raw) >= word and (not received or call.succeeded()):
        mtype = int.from_bytes(raw[:word], "little", signed=True)
        length = call.ret if received and call.ret is not None else call.ulong(2)
        parts[1] = f"{{mtype={mtype}, mtext={quote_buffer(raw[word:], length, call.options)}}}"
    last = len(call.syscall.args) - 1
    parts[last] = format_flags(call.args[last] & 0xFFFFFFFF, "msgflg")
    return parts


def _semop(call: Call) -> list[str | None]:
    """semop/semtimedop: the struct sembuf array (count: nsops)."""
    parts: list[str | None] = call.all()
    raw = as_bytes(call.value(1)) or b""
    shown = []
    for offset in range(0, len(raw) - 5, 6):
        num, op, flg = struct.unpack_from("<Hhh", raw, offset)
        shown.append(f"{{sem_num={num}, sem_op={op}, sem_flg={format_flags(flg & 0xFFFF, 'sem_flg')}}}")
    parts[1] = format_array(call.ulong(1), call.ulong(2) & 0xFFFFFFFF, shown, 6, array_limit(call))
    return parts


def _mq_open(call: Call) -> list[str | None]:
    """mq_open(name, oflag[, mode, attr]): the last two only with O_CREAT."""
    parts: list[str | None] = call.all()
    return parts if call.args[1] & _O_CREAT else parts[:2]


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "mq_open": _mq_open,
    "semop": _semop,
    "msgsnd": _msgbuf,
    "msgrcv": _msgbuf,
    "semtimedop": _semop,
    "semtimedop_time64": _semop,
    "shmat": _shmat,
    "msgget": _msgget, "semget": _semget, "shmget": _shmget,
    "msgctl": _ctl(1), "shmctl": _ctl(1), "semctl": _ctl(2),
}  # fmt: skip
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"msgctl": _ctl_split(1), "shmctl": _ctl_split(1),
                                                   "semctl": _ctl_split(2)}  # fmt: skip
