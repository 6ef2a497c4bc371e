"""Device mapper ioctls (linux/dm-ioctl.h): a struct dm_ioctl (312 bytes)
followed by its payload, data_size bytes in all.  Registered by
atrace.syscalls.ioctls; shown by atrace.render.decode.ioctl_dm."""

from __future__ import annotations

# DM_VERSION ... DM_DEV_ARM_POLL: _IOWR(0xfd, nr, struct dm_ioctl).
DM_REQUESTS = [0xC138FD00 + nr for nr in range(0x11)]
# The header and as much payload as strace shows with a generous -s: a read
# that faults midway keeps what it got.
DM_MAX = 4096

SIZES: dict[str, int] = {"dm_ioctl": DM_MAX}
ARGS: dict[int, tuple[str, str]] = {request: ("dm_ioctl", "inout") for request in DM_REQUESTS}
