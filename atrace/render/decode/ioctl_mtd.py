"""Memory technology devices' ioctls as strace prints them, and strace's
name for every _IOR/_IOW request of type 'M' (the sound mixer's letter
too): `MIXER_READ(17) or ECCGETLAYOUT`.  What is read:
atrace.syscalls.ioctl_mtd."""

from __future__ import annotations

from ...syscalls.ioctl_codes import IOC_READ, IOC_WRITE, ioc_nr
from ...syscalls.ioctl_mtd import ECCLAYOUT, ECCSTATS, ERASE, ERASE64, INFO, OOB, OOB64, OOBINFO, OTP, REGION, WRITE_REQ
from ..call import Call, pointer
from ..flags import CONSTANTS, FlagTable, number
from .ioctl_common import ShapeFormatter, arg_data, array_text, code_name, fields, flag_names, phase_of, struct_text

_OTP = {0: "MTD_OTP_OFF", 1: "MTD_OTP_FACTORY", 2: "MTD_OTP_USER"}
_OPS = {0: "MTD_OPS_PLACE_OOB", 1: "MTD_OPS_AUTO_OOB", 2: "MTD_OPS_RAW"}
_TYPES = {0: "MTD_ABSENT", 1: "MTD_RAM", 2: "MTD_ROM", 3: "MTD_NORFLASH", 4: "MTD_NANDFLASH", 6: "MTD_DATAFLASH",
          7: "MTD_UBIVOLUME", 8: "MTD_MLCNANDFLASH"}  # fmt: skip
_FLAGS: FlagTable = [(0x400, "MTD_WRITEABLE"), (0x800, "MTD_BIT_WRITEABLE"), (0x1000, "MTD_NO_ERASE"),
                     (0x2000, "MTD_POWERUP_LOCK"), (0x4000, "MTD_SLC_ON_MLC_EMULATION")]  # fmt: skip
_NANDECC = {0: "MTD_NANDECC_OFF", 1: "MTD_NANDECC_PLACE", 2: "MTD_NANDECC_AUTOPLACE", 3: "MTD_NANDECC_PLACEONLY",
            4: "MTD_NANDECC_AUTOPL_USR"}  # fmt: skip
_FILE_MODES = {0: "MTD_FILE_MODE_NORMAL", 1: "MTD_FILE_MODE_OTP_FACTORY", 2: "MTD_FILE_MODE_OTP_USER",
               3: "MTD_FILE_MODE_RAW"}  # fmt: skip


def name_request(request: int, comments: bool) -> str | None:
    """strace names an _IOR or _IOW request of type 'M' as the sound
    mixer's, then by its own name when it has one."""
    direction = request >> 30
    if request >> 8 & 0xFF != ord("M") or direction not in (IOC_READ, IOC_WRITE):
        return None
    mixer = f"MIXER_{'READ' if direction == IOC_READ else 'WRITE'}({ioc_nr(request)})"
    name = CONSTANTS["ioctl"].get(request)
    return f"{mixer} or {name}" if name else mixer


def _struct(size: int, layout: str) -> ShapeFormatter:
    """A struct of hex fields named by `layout` ("start:I length:I")."""
    names = [part.split(":") for part in layout.split()]

    def format_(call: Call, request: int) -> str | None:
        raw = arg_data(call, phase_of(request))
        values = fields("".join(kind for _, kind in names), raw) if raw is not None and len(raw) >= size else None
        if values is None:
            return None
        return struct_text([f"{name}={number(v)}" for (name, _), v in zip(names, values, strict=True)])

    return format_


def _oob(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("IIQ", raw) if raw is not None and len(raw) >= OOB else None
    if values is None:
        return None
    return struct_text([f"start={number(values[0])}", f"length={number(values[1])}", f"ptr={pointer(values[2])}"])


def _oob64(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("QIIQ", raw) if raw is not None and len(raw) >= OOB64 else None
    if values is None:
        return None
    start, _, length, address = values
    return struct_text([f"start={number(start)}", f"length={number(length)}", f"usr_ptr={number(address)}"])


def _write_req(call: Call, request: int) -> str | None:
    raw = arg_data(call, "in")
    values = fields("5QB", raw) if raw is not None and len(raw) >= WRITE_REQ else None
    if values is None:
        return None
    start, length, ooblen, data, oob, mode = values
    return struct_text([f"start={number(start)}", f"len={number(length)}", f"ooblen={number(ooblen)}",
                        f"usr_data={number(data)}", f"usr_oob={number(oob)}",
                        f"mode={code_name(mode, _OPS, 'MTD_OPS_???')}"])  # fmt: skip


def _otp_info(call: Call, request: int) -> str | None:
    raw = arg_data(call, phase_of(request))
    values = fields("3I", raw) if raw is not None and len(raw) >= OTP else None
    if values is None:
        return None
    return struct_text([f"start={number(values[0])}", f"length={number(values[1])}", f"locked={values[2]}"])


def _scalar(layout: str, shown: str = "") -> ShapeFormatter:
    def format_(call: Call, request: int) -> str | None:
        raw = arg_data(call, phase_of(request))
        values = fields(layout, raw) if raw is not None else None
        if values is None:
            return None
        return f"[{code_name(values[0], _OTP, 'MTD_OTP_???')}]" if shown == "otp" else f"[{values[0]}]"

    return format_


def _info(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("B3x5IQ", raw) if raw is not None and len(raw) >= INFO else None
    if values is None:
        return None
    kind, flags, size, erasesize, writesize, oobsize, padding = values
    return struct_text([f"type={code_name(kind, _TYPES, 'MTD_???')}", f"flags={flag_names(flags, _FLAGS, 'MTD_???')}",
                        f"size={number(size)}", f"erasesize={number(erasesize)}", f"writesize={number(writesize)}",
                        f"oobsize={number(oobsize)}", f"padding={number(padding)}"])  # fmt: skip


def _hexes(values: tuple[int, ...] | list[int]) -> str:
    return "[" + ", ".join(number(v) for v in values) + "]"


def _oobinfo(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("50I", raw) if raw is not None and len(raw) >= OOBINFO else None
    if values is None:
        return None
    oobfree = "[" + ", ".join(_hexes(values[2 + 2 * i : 4 + 2 * i]) for i in range(8)) + "]"
    useecc = code_name(values[0], _NANDECC, "MTD_NANDECC_???")
    return struct_text([f"useecc={useecc}", f"eccbytes={number(values[1])}", f"oobfree={oobfree}",
                        f"eccpos={array_text([number(v) for v in values[18:50]], call)}"])  # fmt: skip


def _ecclayout(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("82I", raw) if raw is not None and len(raw) >= ECCLAYOUT else None
    if values is None:
        return None
    free = ", ".join(f"{{offset={number(values[66 + 2 * i])}, length={number(values[67 + 2 * i])}}}" for i in range(8))
    eccpos = array_text([number(v) for v in values[1:65]], call)
    return struct_text([f"eccbytes={number(values[0])}", f"eccpos={eccpos}",
                        f"oobavail={number(values[65])}", f"oobfree=[{free}]"])  # fmt: skip


def _region(call: Call, request: int) -> str | None:
    """MEMGETREGIONINFO: the region asked for, then what the kernel answered."""
    raw = arg_data(call, "in")
    values = fields("4I", raw) if raw is not None and len(raw) >= REGION else None
    if values is None:
        return None
    parts = [f"regionindex={number(values[3])}"]
    got = arg_data(call, "out")
    answer = fields("3I", got) if got is not None and len(got) >= REGION else None
    if answer is not None:
        parts += [f"offset={number(answer[0])}", f"erasesize={number(answer[1])}", f"numblocks={number(answer[2])}"]
    return struct_text(parts)


SHAPES: dict[str, ShapeFormatter] = {
    "mtd_erase": _struct(ERASE, "start:I length:I"),
    "mtd_erase64": _struct(ERASE64, "start:Q length:Q"),
    "mtd_oob": _oob,
    "mtd_oob64": _oob64,
    "mtd_write_req": _write_req,
    "mtd_otp_info": _otp_info,
    "mtd_otp_select": _scalar("I", "otp"),
    "mtd_file_mode": lambda call, request: code_name(call.ulong(2), _FILE_MODES, "MTD_FILE_MODE_???"),
    "mtd_u64": _scalar("Q"),
    "mtd_info": _info,
    "mtd_oobinfo": _oobinfo,
    "mtd_ecclayout": _ecclayout,
    "mtd_ecc_stats": _struct(ECCSTATS, "corrected:I failed:I badblocks:I bbtblocks:I"),
    "mtd_uint": _scalar("I"),
    "mtd_int": _scalar("i"),
    "mtd_region": _region,
}
NAME_REQUEST = name_request
