"""HID devices' ioctls (linux/hiddev.h and linux/hidraw.h, type 'H'):
strace names the requests whose size field the caller sets
(`HIDIOCGPHYS(8)`) and shows every argument as an address, so nothing is
read (the names: atrace.render.decode.ioctl_hid)."""

from __future__ import annotations

from .ioctl_codes import IoctlArg

ARGS: dict[int, IoctlArg] = {}
