"""HDIO_* ioctls (linux/hdreg.h) as strace shows them: the drive's
geometry, identity, the getters' and setters' values, HDIO_DRIVE_CMD's
command header and what it answers.  What the tracer copies comes from
atrace.syscalls.ioctl_hdio."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..call import Call, hex0, pointer
from ..flags import FlagTable, format_table_flags, format_table_value
from ..quoting import quote_buffer

# linux/ata.h's commands, as strace names them.
_ATA_COMMANDS: dict[int, str] = {
    0x00: "ATA_CMD_NOP", 0x03: "ATA_CMD_CFA_REQ_EXT_ERR", 0x06: "ATA_CMD_DSM", 0x08: "ATA_CMD_DEV_RESET", 0x0B:
    "ATA_CMD_REQ_SENSE_DATA", 0x10: "ATA_CMD_RESTORE", 0x20: "ATA_CMD_PIO_READ", 0x22: "ATA_CMD_READ_LONG",
    0x23: "ATA_CMD_READ_LONG_ONCE", 0x24: "ATA_CMD_PIO_READ_EXT", 0x25: "ATA_CMD_READ_EXT", 0x26:
    "ATA_CMD_READ_QUEUED", 0x27: "ATA_CMD_READ_NATIVE_MAX_EXT", 0x29: "ATA_CMD_READ_MULTI_EXT", 0x2A:
    "ATA_CMD_READ_STREAM_DMA_EXT", 0x2B: "ATA_CMD_READ_STREAM_EXT", 0x2F: "ATA_CMD_READ_LOG_EXT", 0x30:
    "ATA_CMD_PIO_WRITE", 0x32: "ATA_CMD_WRITE_LONG", 0x33: "ATA_CMD_WRITE_LONG_ONCE", 0x34:
    "ATA_CMD_PIO_WRITE_EXT", 0x35: "ATA_CMD_WRITE_EXT", 0x36: "ATA_CMD_WRITE_QUEUED", 0x37:
    "ATA_CMD_SET_MAX_EXT", 0x38: "ATA_CMD_CFA_WRITE_NE", 0x39: "ATA_CMD_WRITE_MULTI_EXT", 0x3A:
    "ATA_CMD_WRITE_STREAM_DMA_EXT", 0x3B: "ATA_CMD_WRITE_STREAM_EXT", 0x3D: "ATA_CMD_WRITE_FUA_EXT", 0x3E:
    "ATA_CMD_WRITE_QUEUED_FUA_EXT", 0x3F: "ATA_CMD_WRITE_LOG_EXT", 0x40: "ATA_CMD_VERIFY", 0x42:
    "ATA_CMD_VERIFY_EXT", 0x45: "ATA_CMD_WRITE_UNCORR_EXT", 0x47: "ATA_CMD_READ_LOG_DMA_EXT", 0x4A:
    "ATA_CMD_ZAC_MGMT_IN", 0x51: "ATA_CMD_CONFIG_STREAM", 0x57: "ATA_CMD_WRITE_LOG_DMA_EXT", 0x5B:
    "ATA_CMD_TRUSTED_NONDATA", 0x5C: "ATA_CMD_TRUSTED_RCV", 0x5D: "ATA_CMD_TRUSTED_RCV_DMA", 0x5E:
    "ATA_CMD_TRUSTED_SND", 0x5F: "ATA_CMD_TRUSTED_SND_DMA", 0x60: "ATA_CMD_FPDMA_READ", 0x61:
    "ATA_CMD_FPDMA_WRITE", 0x63: "ATA_CMD_NCQ_NON_DATA", 0x64: "ATA_CMD_FPDMA_SEND", 0x65: "ATA_CMD_FPDMA_RECV",
    0x87: "ATA_CMD_CFA_TRANS_SECT", 0x90: "ATA_CMD_EDD", 0x91: "ATA_CMD_INIT_DEV_PARAMS", 0x92:
    "ATA_CMD_DOWNLOAD_MICRO", 0x93: "ATA_CMD_DOWNLOAD_MICRO_DMA", 0x9F: "ATA_CMD_ZAC_MGMT_OUT", 0xA0:
    "ATA_CMD_PACKET", 0xA1: "ATA_CMD_ID_ATAPI", 0xA2: "ATA_CMD_SERVICE", 0xB0: "ATA_CMD_SMART", 0xB1:
    "ATA_CMD_CONF_OVERLAY", 0xB4: "ATA_CMD_SANITIZE_DEVICE", 0xC0: "ATA_CMD_CFA_ERASE", 0xC4:
    "ATA_CMD_READ_MULTI", 0xC5: "ATA_CMD_WRITE_MULTI", 0xC6: "ATA_CMD_SET_MULTI", 0xC8: "ATA_CMD_READ", 0xCA:
    "ATA_CMD_WRITE", 0xCD: "ATA_CMD_CFA_WRITE_MULT_NE", 0xCE: "ATA_CMD_WRITE_MULTI_FUA_EXT", 0xD1:
    "ATA_CMD_CHK_MED_CRD_TYP", 0xDE: "ATA_CMD_MEDIA_LOCK", 0xDF: "ATA_CMD_MEDIA_UNLOCK", 0xE0:
    "ATA_CMD_STANDBYNOW1", 0xE1: "ATA_CMD_IDLEIMMEDIATE", 0xE2: "ATA_CMD_STANDBY", 0xE3: "ATA_CMD_IDLE", 0xE4:
    "ATA_CMD_PMP_READ", 0xE5: "ATA_CMD_CHK_POWER", 0xE6: "ATA_CMD_SLEEP", 0xE7: "ATA_CMD_FLUSH", 0xE8:
    "ATA_CMD_PMP_WRITE", 0xE9: "ATA_CMD_PMP_READ_DMA", 0xEA: "ATA_CMD_FLUSH_EXT", 0xEB: "ATA_CMD_PMP_WRITE_DMA",
    0xEC: "ATA_CMD_ID_ATA", 0xEF: "ATA_CMD_SET_FEATURES", 0xF1: "ATA_CMD_SEC_SET_PASS", 0xF2:
    "ATA_CMD_SEC_UNLOCK", 0xF3: "ATA_CMD_SEC_ERASE_PREP", 0xF4: "ATA_CMD_SEC_ERASE_UNIT", 0xF5:
    "ATA_CMD_SEC_FREEZE_LOCK", 0xF6: "ATA_CMD_SEC_DISABLE_PASS", 0xF8: "ATA_CMD_READ_NATIVE_MAX", 0xF9:
    "ATA_CMD_SET_MAX"
}  # fmt: skip
# HDIO_GET_NICE/SET_NICE: bit numbers IDE_NICE_*, named by their shift as
# strace does (in its order).
_NICE: FlagTable = [
    (1 << bit, f"1 << IDE_NICE_{name}")
    for bit, name in ((0, "DSC_OVERLAP"), (1, "ATAPI_OVERLAP"), (3, "1"), (2, "0"), (4, "2"))
]
_BUSSTATES = {0: "BUSSTATE_OFF", 1: "BUSSTATE_ON", 2: "BUSSTATE_TRISTATE"}
_SECTOR = 512


def _ulong(raw: bytes, call: Call) -> int | None:
    size = call.long_bits // 8
    return int.from_bytes(raw[:size], "little") if len(raw) >= size else None


def _nice(value: int) -> str:
    return format_table_flags(value, _NICE, "IDE_NICE_???")


def _busstate(value: int) -> str:
    return format_table_value(value, _BUSSTATES, "BUSSTATE_")


def _boxed(show: Callable[[int], str]) -> Callable[[bytes, Call], str | None]:
    """An unsigned long the kernel writes back, shown in brackets."""

    def shape(raw: bytes, call: Call) -> str | None:
        value = _ulong(raw, call)
        return None if value is None else f"[{show(value)}]"

    return shape


def _geometry(raw: bytes, call: Call) -> str | None:
    start = _ulong(raw[8:], call) if call.long_bits == 64 else _ulong(raw[4:], call)
    if start is None:
        return None
    cylinders = int.from_bytes(raw[2:4], "little")
    return f"{{heads={raw[0]}, sectors={raw[1]}, cylinders={cylinders}, start={start}}}"


def _three_ints(raw: bytes, call: Call) -> str | None:
    if len(raw) < 12:
        return None
    return "[" + ", ".join(hex0(int.from_bytes(raw[i : i + 4], "little")) for i in (0, 4, 8)) + "]"


def _identity(size: int) -> Callable[[bytes, Call], str | None]:
    """The drive's identity block: a string of `size` bytes, cut at -s."""

    def shape(raw: bytes, call: Call) -> str | None:
        if len(raw) < min(size, call.options.string_limit):
            return None
        return quote_buffer(raw[:size], size, call.options)

    return shape


def _drive_cmd(raw: bytes, call: Call) -> str | None:
    if len(raw) < 4:
        return None
    command = format_table_value(raw[0], _ATA_COMMANDS, "ATA_CMD_")
    text = f"{{command={command}, sector_number={raw[1]}, feature={raw[2]}, sector_count={raw[3]}"
    back = (call.exit or {}).get(call.syscall.args[2].name) if call.succeeded() else None
    if back is not None and len(back) >= 4:
        text += f"}} => {{status={hex0(back[0])}, error={back[1]}, nsector={back[2]}"
        if raw[3]:
            text += f", buf={_sectors(bytes(back[4:]), raw[3] * _SECTOR, call)}"
    return text + "}"


def _sectors(data: bytes, size: int, call: Call) -> str:
    """The data HDIO_DRIVE_CMD answers: hex escapes, cut at -s; its address
    when less than that could be read."""
    limit = call.options.string_limit
    if len(data) < min(size, limit + 1):
        return pointer(call.ulong(2) + 4)
    return quote_buffer(data[: limit + 1], size, replace(call.options, hex_strings=2))


SHAPES: dict[str, Callable[[bytes, Call], str | None]] = {
    "hd_geometry": _geometry,
    "hdio_ulong": _boxed(str),
    "hdio_nice": _boxed(_nice),
    "hdio_busstate": _boxed(_busstate),
    "hdio_int3": _three_ints,
    "hdio_identity": _identity(512),
    "hdio_obsolete_identity": _identity(142),
    "hd_drive_cmd": _drive_cmd,
}

FORMS: dict[int, str | Callable[[Call], str]] = {
    # Requests strace leaves undecoded: GET_QDMA, SET_XFER, TRISTATE_HWIF,
    # DRIVE_TASKFILE, DRIVE_TASK, SET_QDMA.
    **dict.fromkeys((0x305, 0x306, 0x31B, 0x31D, 0x31E, 0x32E), "hex"),
    # The setters of a value: SET_MULTCOUNT, UNMASKINTR, KEEPSETTINGS,
    # 32BIT, NOWERR, DMA, PIO_MODE, UNREGISTER_HWIF, WCACHE, ACOUSTIC, ADDRESS.
    **dict.fromkeys((0x321, 0x322, 0x323, 0x324, 0x325, 0x326, 0x327, 0x32A, 0x32B, 0x32C, 0x32F), "udec"),
    0x329: lambda call: _nice(call.ulong(2)),  # HDIO_SET_NICE
    0x32D: lambda call: _busstate(call.ulong(2)),  # HDIO_SET_BUSSTATE
}
