"""HDIO_* (linux/hdreg.h): what each request's argument points to.

Registered by atrace.syscalls.ioctls; shown by atrace.render.decode.ioctl_hdio.
The getters write an unsigned long (8 bytes on x86_64, 4 on i386: the
renderer reads the ABI's long from the bytes copied).
"""

from __future__ import annotations

HDIO_GETGEO = 0x301
HDIO_OBSOLETE_IDENTITY = 0x307
HDIO_GET_NICE = 0x30C
HDIO_GET_IDENTITY = 0x30D
HDIO_GET_BUSSTATE = 0x31A
HDIO_DRIVE_RESET = 0x31C
HDIO_DRIVE_CMD = 0x31F
HDIO_SCAN_HWIF = 0x328

# The getters of one unsigned long shown in decimal: GET_UNMASKINTR,
# MULTCOUNT, KEEPSETTINGS, 32BIT, NOWERR, DMA, WCACHE, ACOUSTIC, ADDRESS.
ULONG_GETTERS = (0x302, 0x304, 0x308, 0x309, 0x30A, 0x30B, 0x30E, 0x30F, 0x310)

# A struct hd_drive_cmd_hdr (4 bytes), then the sectors' data the kernel
# writes back: copied up to a page, the renderer shows at most -s bytes.
_DRIVE_CMD_MAX = 4 + 4096

SIZES: dict[str, int] = {
    "hd_geometry": 16,  # u8 heads, u8 sectors, u16 cylinders, unsigned long start
    "hdio_ulong": 8,
    "hdio_nice": 8,
    "hdio_busstate": 8,
    "hdio_int3": 12,  # DRIVE_RESET and SCAN_HWIF pass three ints
    "hdio_identity": 512,
    "hdio_obsolete_identity": 142,
    "hd_drive_cmd": _DRIVE_CMD_MAX,
}

ARGS: dict[int, tuple[str, str]] = {
    HDIO_GETGEO: ("hd_geometry", "out"),
    HDIO_OBSOLETE_IDENTITY: ("hdio_obsolete_identity", "out"),
    HDIO_GET_IDENTITY: ("hdio_identity", "out"),
    HDIO_GET_NICE: ("hdio_nice", "out"),
    HDIO_GET_BUSSTATE: ("hdio_busstate", "out"),
    HDIO_DRIVE_RESET: ("hdio_int3", "in"),
    HDIO_SCAN_HWIF: ("hdio_int3", "in"),
    HDIO_DRIVE_CMD: ("hd_drive_cmd", "inout"),
    **{request: ("hdio_ulong", "out") for request in ULONG_GETTERS},
}
