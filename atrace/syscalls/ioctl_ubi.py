"""UBI volumes' ioctls (mtd/ubi-user.h, types 'o' and 'O'); their structs
are packed, the same on every ABI.  strace decodes them all at entry; the
attach and make-volume requests also show the number the kernel answers."""

from __future__ import annotations

from .ioctl_codes import IOC_NONE, IOC_READ, IOC_WRITE, IoctlArg, ioc

_CTRL, _VOL = ord("o"), ord("O")
MKVOL, RSVOL, RNVOL, ATTACH, LEB_CHANGE, MAP, VOL_PROP = 152, 12, 4368, 24, 16, 8, 16
UBI_IOCATT, UBI_IOCMKVOL = ioc(IOC_WRITE, _CTRL, 64, ATTACH), ioc(IOC_WRITE, _CTRL, 0, MKVOL)

ARGS: dict[int, IoctlArg] = {
    UBI_IOCMKVOL: IoctlArg("ubi_mkvol", "both", MKVOL),
    UBI_IOCATT: IoctlArg("ubi_attach", "both", ATTACH),
    ioc(IOC_WRITE, _CTRL, 2, RSVOL): IoctlArg("ubi_rsvol", "in", RSVOL),
    ioc(IOC_WRITE, _CTRL, 3, RNVOL): IoctlArg("ubi_rnvol", "in", RNVOL),
    ioc(IOC_WRITE, _VOL, 2, 4): IoctlArg("ubi_leb_change", "in", LEB_CHANGE),  # UBI_IOCEBCH: numbered for an int
    ioc(IOC_WRITE, _VOL, 3, MAP): IoctlArg("ubi_map", "in", MAP),
    ioc(IOC_WRITE, _VOL, 6, VOL_PROP): IoctlArg("ubi_vol_prop", "in", VOL_PROP),
    ioc(IOC_WRITE, _VOL, 0, 8): IoctlArg("ubi_s64", "in", 8),  # UBI_IOCVOLUP
    # RMVOL, RPEB, SPEB, DET, EBER, EBUNMAP, EBISMAP: an int, shown at entry.
    **{ioc(IOC_WRITE, kind, nr, 4): IoctlArg("ubi_int", "in", 4)
       for kind, nr in ((_CTRL, 1), (_CTRL, 4), (_CTRL, 5), (_CTRL, 65), (_VOL, 1), (_VOL, 4))},
    ioc(IOC_READ, _VOL, 5, 4): IoctlArg("ubi_int", "in", 4),  # UBI_IOCEBISMAP
    ioc(IOC_WRITE, _VOL, 7, 128): IoctlArg("", "none"),  # UBI_IOCVOLCRBLK: strace shows no argument
    ioc(IOC_NONE, _VOL, 8, 0): IoctlArg("", "none"),  # UBI_IOCVOLRMBLK
}  # fmt: skip
