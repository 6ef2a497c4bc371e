"""/dev/random's ioctls (linux/random.h, type 'R') beyond the int ones of
atrace.syscalls.ioctls: RNDADDENTROPY passes a struct rand_pool_info, two
ints and then buf_size bytes of entropy."""

from __future__ import annotations

from .ioctl_codes import IoctlArg

RNDADDENTROPY = 0x40085203
# The header and at most this much of the buffer after it (strace shows at
# most -s bytes of it).
POOL_CAP = 8 + 4096

ARGS: dict[int, IoctlArg] = {RNDADDENTROPY: IoctlArg("rand_pool_info", "in", POOL_CAP)}
