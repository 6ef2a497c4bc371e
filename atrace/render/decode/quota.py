"""quotactl and quotactl_fd: QCMD(command, type), then the arguments the
command uses, its struct passed in or written back (atrace.syscalls.cmds
says which and when)."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ...syscalls import cmds as C
from ..call import Call, pointer
from ..flags import CONSTANTS, const_style, format_constant, number, styled
from ..quoting import as_bytes, quote
from .common import flags_or_unknown

_DQBLK = struct.Struct("<8QI")
_DQBLK_NAMES = ("dqb_bhardlimit", "dqb_bsoftlimit", "dqb_curspace", "dqb_ihardlimit", "dqb_isoftlimit",
                "dqb_curinodes", "dqb_btime", "dqb_itime")  # fmt: skip
_DQINFO = struct.Struct("<QQII")
# Commands and the arguments after `special` (or the fd) they use: the id, the address.
_USES: dict[int, tuple[bool, bool]] = {
    C.Q_SYNC: (False, False), C.Q_QUOTAOFF: (False, False), C.Q_QUOTAON: (True, True),
    C.Q_GETQUOTA: (True, True), C.Q_SETQUOTA: (True, True), C.Q_GETNEXTQUOTA: (True, True),
    C.Q_GETINFO: (False, True), C.Q_SETINFO: (False, True), C.Q_GETFMT: (False, True),
}  # fmt: skip


def _qcmd(value: int) -> str:
    """QCMD(command, type); under -X raw the number (an unsigned int), under
    -X verbose the number and the macro as a comment (its parts as -X abbrev
    shows them)."""
    value &= 0xFFFFFFFF
    command, kind = value >> C.QCMD_SHIFT & 0xFFFFFF, value & 0xFF
    type_name = CONSTANTS["quota_type"].get(kind) or f"{kind:#x} /* ???QUOTA */"
    if const_style() == "abbrev":
        return f"QCMD({format_constant(command, 'quota_cmd')}, {type_name})"
    command_name = CONSTANTS["quota_cmd"].get(command) or f"{number(command)} /* Q_??? */"
    return styled(str(value), f"QCMD({command_name}, {type_name})")


def _dqblk(raw: bytes, verbose: bool, next_id: bool) -> str:
    values = _DQBLK.unpack_from(raw)
    shown = [f"{name}={value}" for name, value in zip(_DQBLK_NAMES[:6], values[:6], strict=True)]
    if verbose:
        shown += [f"dqb_btime={values[6]}", f"dqb_itime={values[7]}",
                  f"dqb_valid={flags_or_unknown(values[8], 'dqblk_valid', 'QIF_')}"]  # fmt: skip
        if next_id:
            shown.append(f"dqb_id={struct.unpack_from('<I', raw, 68)[0]}")
    else:
        # struct if_nextdqblk's id comes before the `...` of the fields left out.
        shown += [f"dqb_id={struct.unpack_from('<I', raw, 68)[0]}"] if next_id else []
        shown.append("...")
    return "{" + ", ".join(shown) + "}"


def _dqinfo(raw: bytes) -> str:
    bgrace, igrace, flags, valid = _DQINFO.unpack_from(raw)
    return (f"{{dqi_bgrace={bgrace}, dqi_igrace={igrace}, dqi_flags={flags_or_unknown(flags, 'dqi_flags', 'DQF_')}, "
            f"dqi_valid={flags_or_unknown(valid, 'dqi_valid', 'IIF_')}}}")  # fmt: skip


def _addr(call: Call, index: int) -> str:
    described = C.command_arg(call.name, call.args)
    value = call.value(index)
    if described is None or value is None or (described.when == C.OUT and not call.succeeded()):
        return pointer(call.ulong(index))
    raw = as_bytes(value)
    if raw is None:
        return pointer(call.ulong(index))
    if described.shape == "path":
        return quote(raw, len(raw), call.options.hex_strings)
    if described.shape in ("dqblk", "nextdqblk") and len(raw) >= _DQBLK.size:
        return _dqblk(raw, call.options.verbose, described.shape == "nextdqblk")
    if described.shape == "dqinfo" and len(raw) >= _DQINFO.size:
        return _dqinfo(raw)
    if described.shape == "quota_format" and len(raw) >= 4:
        return f"[{format_constant(struct.unpack_from('<I', raw)[0], 'quota_format')}]"
    return pointer(call.ulong(index))


def _id(call: Call, index: int) -> str:
    value = call.ulong(index) & 0xFFFFFFFF
    if call.args[0 if call.name == "quotactl" else 1] >> C.QCMD_SHIFT & 0xFFFFFF == C.Q_QUOTAON:
        return format_constant(value, "quota_format")
    return "-1" if value == 0xFFFFFFFF else str(value)


def _quotactl(call: Call) -> list[str | None]:
    cmd_index, target = (0, 1) if call.name == "quotactl" else (1, 0)
    command = call.args[cmd_index] >> C.QCMD_SHIFT & 0xFFFFFF
    uses_id, uses_addr = _USES.get(command, (True, True))
    parts: list[str | None] = [_qcmd(call.args[cmd_index] & 0xFFFFFFFF), call.fmt(target)]
    if call.name == "quotactl_fd":
        parts.reverse()
    if uses_id:
        parts.append(_id(call, 2))
    if uses_addr:
        parts.append(_addr(call, 3))
    return parts


def _quotactl_split(call: Call) -> int:
    """A struct the kernel writes is printed at exit: cut before it."""
    described = C.command_arg(call.name, call.args)
    if described is None or described.when != C.OUT:
        return 4
    command = call.args[0 if call.name == "quotactl" else 1] >> C.QCMD_SHIFT & 0xFFFFFF
    return 3 if _USES.get(command, (True, True))[0] else 2


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"quotactl": _quotactl, "quotactl_fd": _quotactl}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"quotactl": _quotactl_split, "quotactl_fd": _quotactl_split}
