"""SCSI generic ioctls as strace shows them: SG_SCSI_RESET's reset kind,
SG_SET_TRANSFORM's value, SG_GET_TIMEOUT without argument (the ints by
address are the base module's "int" shape).  What the tracer copies comes
from atrace.syscalls.ioctl_scsi."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call, hex0
from ..flags import format_table_value, styled

_RESETS = {0: "SG_SCSI_RESET_NOTHING", 1: "SG_SCSI_RESET_DEVICE", 2: "SG_SCSI_RESET_BUS",
           3: "SG_SCSI_RESET_HOST", 4: "SG_SCSI_RESET_TARGET"}  # fmt: skip
_NO_ESCALATE = 0x100


def _reset(raw: bytes, call: Call) -> str | None:
    """The reset kind, after SG_SCSI_RESET_NO_ESCALATE when that bit is set."""
    if len(raw) < 4:
        return None
    value = int.from_bytes(raw[:4], "little")
    head = f"{styled(hex(_NO_ESCALATE), 'SG_SCSI_RESET_NO_ESCALATE')}|" if value & _NO_ESCALATE else ""
    return f"[{head}{format_table_value(value & ~_NO_ESCALATE, _RESETS, 'SG_SCSI_RESET_')}]"


SHAPES: dict[str, Callable[[bytes, Call], str | None]] = {"sg_reset": _reset}
FORMS: dict[int, str | Callable[[Call], str]] = {
    0x2202: "none",  # SG_GET_TIMEOUT: the timeout is the return value
    0x2204: lambda call: hex0(call.args[2] & 0xFFFFFFFF),  # SG_SET_TRANSFORM: an unsigned int by value
}
# Linux's scsi/sg.h has it; the C library's copy of the header does not.
NAMES: dict[int, str] = {0x2289: "SG_GET_ACCESS_COUNT"}
