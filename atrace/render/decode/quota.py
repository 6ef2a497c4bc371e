"""quotactl and quotactl_fd: QCMD(command, type), then the arguments the
command uses, its struct passed in or written back (atrace.syscalls.cmds
says which and when)."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ...syscalls import cmds as C
from ..call import Call, pointer
from ..flags import CONSTANTS, const_style, format_constant, format_flags, number, styled
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
    C.Q_XQUOTAON: (False, True), C.Q_XQUOTAOFF: (False, True), C.Q_XQUOTARM: (False, True),
    C.Q_XQUOTASYNC: (False, False), C.Q_XGETQSTAT: (False, True), C.Q_XGETQSTATV: (False, True),
}  # fmt: skip

# struct fs_disk_quota: the fields up to d_icount, then (with -v) the rest.
_XFS_DQBLK = struct.Struct("<bBHI6QiiHH4x3QiH")
_XFS_DQBLK_NAMES = ("d_version", "d_flags", "d_fieldmask", "d_id", "d_blk_hardlimit", "d_blk_softlimit",
                    "d_ino_hardlimit", "d_ino_softlimit", "d_bcount", "d_icount", "d_itimer", "d_btimer", "d_iwarns",
                    "d_bwarns", "d_rtb_hardlimit", "d_rtb_softlimit", "d_rtbcount", "d_rtbtimer",
                    "d_rtbwarns")  # fmt: skip
_XFS_DQBLK_BRIEF = 10
# struct fs_qfilestat(v): ino, nblks, nextents.
_QFILESTAT = struct.Struct("<QQI")
# fs_quota_stat: version, flags, then at 8 and 32 the user and group files,
# then the counts and limits; fs_quota_statv: version, flags, incoredqs, the
# user, group and project files at 8, 32 and 56, then the limits.
_QSTAT_HEAD, _QSTAT_TAIL = struct.Struct("<bxH"), struct.Struct("<IiiiHH")
_QSTATV_HEAD, _QSTATV_TAIL = struct.Struct("<bxHI"), struct.Struct("<iiiHH")
_QSTAT_LIMITS = ("qs_btimelimit", "qs_itimelimit", "qs_rtbtimelimit", "qs_bwarnlimit", "qs_iwarnlimit")


def _xfs_dqblk(raw: bytes, verbose: bool) -> str:
    values = dict(zip(_XFS_DQBLK_NAMES, _XFS_DQBLK.unpack_from(raw), strict=True))
    shown = [f"{name}={values[name]}" for name in _XFS_DQBLK_NAMES[: _XFS_DQBLK_BRIEF if not verbose else None]]
    shown[1] = f"d_flags={format_flags(values['d_flags'], 'xfs_quota_types')}"
    shown[2] = f"d_fieldmask={number(values['d_fieldmask'])}"
    return "{" + ", ".join(shown) + ("}" if verbose else ", ...}")


def _qfilestat(raw: bytes, offset: int) -> str:
    ino, nblks, nextents = _QFILESTAT.unpack_from(raw, offset)
    return f"{{qfs_ino={ino}, qfs_nblks={nblks}, qfs_nextents={nextents}}}"


def _xfs_qstat(raw: bytes, verbose: bool, versioned: bool) -> str:
    """fs_quota_stat or fs_quota_statv: the version alone without -v."""
    head = (_QSTATV_HEAD if versioned else _QSTAT_HEAD).unpack_from(raw)
    if not verbose:
        return f"{{qs_version={head[0]}, ...}}"
    shown = [f"qs_version={head[0]}", f"qs_flags={format_flags(head[1], 'xfs_quota_flags')}"]
    if versioned:
        shown.append(f"qs_incoredqs={head[2]}")
        shown += [f"qs_{who}quota={_qfilestat(raw, at)}" for who, at in (("u", 8), ("g", 32), ("p", 56))]
        limits = list(_QSTATV_TAIL.unpack_from(raw, 80))
    else:
        shown += [f"qs_{who}quota={_qfilestat(raw, at)}" for who, at in (("u", 8), ("g", 32))]
        incoredqs, *limits = _QSTAT_TAIL.unpack_from(raw, 56)
        shown.append(f"qs_incoredqs={incoredqs}")
    shown += [f"{name}={value}" for name, value in zip(_QSTAT_LIMITS, limits, strict=True)]
    return "{" + ", ".join(shown) + "}"


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
    if described.shape == "xfs_dqblk" and len(raw) >= _XFS_DQBLK.size:
        return _xfs_dqblk(raw, call.options.verbose)
    if described.shape in ("xfs_qstat", "xfs_qstatv") and len(raw) >= (80 if described.shape == "xfs_qstat" else 100):
        return _xfs_qstat(raw, call.options.verbose, described.shape == "xfs_qstatv")
    if described.shape in ("xfs_flags", "xfs_types") and len(raw) >= 4:
        table = "xfs_quota_flags" if described.shape == "xfs_flags" else "xfs_quota_types"
        return f"[{format_flags(struct.unpack_from('<I', raw)[0], table)}]"
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
