"""Network block devices' ioctls (linux/nbd.h, type 0xAB): all take a
value, not an address (NBD_SET_SOCK an fd, NBD_SET_FLAGS NBD_FLAG_* bits,
the sizes and the timeout a number), or nothing."""

from __future__ import annotations

from .ioctl_codes import IOC_NONE, IoctlArg, ioc, value

_NBD = 0xAB

ARGS: dict[int, IoctlArg] = {
    ioc(IOC_NONE, _NBD, 0, 0): IoctlArg("nbd_fd", "fd"),  # NBD_SET_SOCK
    **{ioc(IOC_NONE, _NBD, nr, 0): value("nbd_number") for nr in (1, 2, 7, 9)},  # BLKSIZE, SIZE, ..._BLOCKS, TIMEOUT
    ioc(IOC_NONE, _NBD, 10, 0): value("nbd_flags"),  # NBD_SET_FLAGS
    # DO_IT, CLEAR_SOCK, CLEAR_QUE, PRINT_DEBUG, DISCONNECT: no argument.
    **{ioc(IOC_NONE, _NBD, nr, 0): IoctlArg("", "none") for nr in (3, 4, 5, 6, 8)},
}
