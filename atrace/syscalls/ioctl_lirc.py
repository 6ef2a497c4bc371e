"""Infrared remote control devices' ioctls (linux/lirc.h, type 'i'): each
passes or answers one __u32, shown by what it means."""

from __future__ import annotations

from .ioctl_codes import IOC_READ, IOC_WRITE, IoctlArg, ioc

_I = ord("i")
# nr -> shape, for the _IOR requests (the kernel answers) and the _IOW ones.
_READS = {0x00: "lirc_features", 0x01: "lirc_mode", 0x02: "lirc_mode", 0x07: "lirc_u", 0x08: "lirc_u",
          0x09: "lirc_u", 0x0F: "lirc_u", 0x24: "lirc_u"}  # fmt: skip
_WRITES = {0x11: "lirc_mode", 0x12: "lirc_mode", 0x13: "lirc_u", 0x14: "lirc_u", 0x15: "lirc_u", 0x17: "lirc_x",
           0x18: "lirc_u", 0x19: "lirc_u", 0x1D: "lirc_u", 0x1F: "lirc_u", 0x23: "lirc_u"}  # fmt: skip

ARGS: dict[int, IoctlArg] = {
    **{ioc(IOC_READ, _I, nr, 4): IoctlArg(shape, "out", 4) for nr, shape in _READS.items()},
    **{ioc(IOC_WRITE, _I, nr, 4): IoctlArg(shape, "in", 4) for nr, shape in _WRITES.items()},
}
