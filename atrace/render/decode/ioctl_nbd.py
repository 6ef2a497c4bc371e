"""Network block devices' ioctls (linux/nbd.h): the socket's fd (with -y
its path), NBD_FLAG_* bits, sizes as numbers."""

from __future__ import annotations

from ..call import Call
from ..flags import FlagTable
from .ioctl_common import ShapeFormatter, fd_argument, flag_names

# strace's NBD_FLAG_* list (some are only in the protocol, not linux/nbd.h).
_FLAGS: FlagTable = [(1 << i, "NBD_FLAG_" + name) for i, name in enumerate(
    ("HAS_FLAGS", "READ_ONLY", "SEND_FLUSH", "SEND_FUA", "ROTATIONAL", "SEND_TRIM", "SEND_WRITE_ZEROES", "SEND_DF",
     "CAN_MULTI_CONN", "SEND_RESIZE", "SEND_CACHE"))]  # fmt: skip


def _flags(call: Call, request: int) -> str:
    return flag_names(call.ulong(2), _FLAGS, "NBD_IOC_FLAG_???")


SHAPES: dict[str, ShapeFormatter] = {
    "nbd_fd": fd_argument,
    "nbd_number": lambda call, request: str(call.ulong(2)),
    "nbd_flags": _flags,
}
