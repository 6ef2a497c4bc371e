"""ZFS on Linux's ioctls (types 'Z' and 'K'): strace only names them (the
names: atrace.render.decode.ioctl_zfs), so nothing is read."""

from __future__ import annotations

from .ioctl_codes import IoctlArg

ARGS: dict[int, IoctlArg] = {}
