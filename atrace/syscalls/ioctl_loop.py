"""Loop devices' ioctls (linux/loop.h, type 'L'), x86_64's layouts."""

from __future__ import annotations

from .ioctl_codes import IoctlArg, value

LOOP_INFO, LOOP_INFO64, LOOP_CONFIG = 168, 232, 304

ARGS: dict[int, IoctlArg] = {
    0x4C02: IoctlArg("loop_info", "in", LOOP_INFO),  # LOOP_SET_STATUS
    0x4C03: IoctlArg("loop_info", "out", LOOP_INFO),  # LOOP_GET_STATUS
    0x4C04: IoctlArg("loop_info64", "in", LOOP_INFO64),  # LOOP_SET_STATUS64
    0x4C05: IoctlArg("loop_info64", "out", LOOP_INFO64),  # LOOP_GET_STATUS64
    0x4C0A: IoctlArg("loop_config", "in", LOOP_CONFIG),  # LOOP_CONFIGURE
    0x4C00: IoctlArg("loop_fd", "fd"),  # LOOP_SET_FD
    0x4C06: IoctlArg("loop_fd", "fd"),  # LOOP_CHANGE_FD
    0x4C80: value("loop_int_value"),  # LOOP_CTL_ADD
    0x4C81: value("loop_int_value"),  # LOOP_CTL_REMOVE
    0x4C08: value("loop_ulong_value"),  # LOOP_SET_DIRECT_IO
    0x4C09: value("loop_ulong_value"),  # LOOP_SET_BLOCK_SIZE
    **{request: IoctlArg("", "none") for request in (0x4C01, 0x4C07, 0x4C82)},  # CLR_FD, SET_CAPACITY, CTL_GET_FREE
}
