"""Filesystem ioctls (linux/fs.h, linux/fiemap.h): what each request's
argument points to.  Registered by atrace.syscalls.ioctls; shown by
atrace.render.decode.ioctl_fs."""

from __future__ import annotations

FITRIM = 0xC0185879
FS_IOC_FSGETXATTR, FS_IOC_FSSETXATTR = 0x801C581F, 0x401C5820
FS_IOC_GETFLAGS, FS_IOC_SETFLAGS = 0x80086601, 0x40086602  # x86_64: a long in the number, an int passed
FS_IOC32_GETFLAGS, FS_IOC32_SETFLAGS = 0x80046601, 0x40046602
FS_IOC_FIEMAP = 0xC020660B

FIEMAP_HEADER, FIEMAP_EXTENT = 32, 56
# The extents the kernel maps, copied for -v: as many as the default -s
# shows (strace cuts the array there too).
FIEMAP_MAX_EXTENTS = 32

SIZES: dict[str, int] = {
    "fstrim_range": 24,  # u64 start, len, minlen
    "fsxattr_get": 28,  # five u32 and 8 bytes of padding
    "fsxattr_set": 28,
    "fs_flags": 4,
    "fiemap": FIEMAP_HEADER + FIEMAP_EXTENT * FIEMAP_MAX_EXTENTS,
}

ARGS: dict[int, tuple[str, str]] = {
    FITRIM: ("fstrim_range", "in"),
    FS_IOC_FSGETXATTR: ("fsxattr_get", "out"),
    FS_IOC_FSSETXATTR: ("fsxattr_set", "in"),
    FS_IOC_GETFLAGS: ("fs_flags", "out"),
    FS_IOC32_GETFLAGS: ("fs_flags", "out"),
    FS_IOC_SETFLAGS: ("fs_flags", "in"),
    FS_IOC32_SETFLAGS: ("fs_flags", "in"),
    FS_IOC_FIEMAP: ("fiemap", "inout"),
}
