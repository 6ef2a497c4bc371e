"""Memory technology devices' ioctls (mtd/mtd-abi.h, type 'M'), x86_64's
layouts.  Most pass a struct in; the MEMGET*/ECCGET* ones answer at exit."""

from __future__ import annotations

from .ioctl_codes import IOC_NONE, IOC_READ, IOC_WRITE, IoctlArg, ioc, value

_M = ord("M")
_R, _W, _RW = IOC_READ, IOC_WRITE, IOC_READ | IOC_WRITE
ERASE, ERASE64, OOB, OOB64, OTP, WRITE_REQ = 8, 16, 16, 24, 12, 48
INFO, OOBINFO, ECCLAYOUT, ECCSTATS, REGION = 32, 200, 328, 16, 16
MEMGETREGIONINFO = ioc(_RW, _M, 8, REGION)

ARGS: dict[int, IoctlArg] = {
    **{ioc(direction, _M, nr, ERASE): IoctlArg("mtd_erase", "in", ERASE)
       for direction, nr in ((_W, 2), (_W, 5), (_W, 6), (_R, 23))},  # MEMERASE, MEMLOCK, MEMUNLOCK, MEMISLOCKED
    ioc(_W, _M, 20, ERASE64): IoctlArg("mtd_erase64", "in", ERASE64),
    ioc(_RW, _M, 3, OOB): IoctlArg("mtd_oob", "in", OOB),  # MEMWRITEOOB
    ioc(_RW, _M, 4, OOB): IoctlArg("mtd_oob", "in", OOB),  # MEMREADOOB
    ioc(_RW, _M, 21, OOB64): IoctlArg("mtd_oob64", "in", OOB64),
    ioc(_RW, _M, 22, OOB64): IoctlArg("mtd_oob64", "in", OOB64),
    ioc(_RW, _M, 24, WRITE_REQ): IoctlArg("mtd_write_req", "in", WRITE_REQ),  # MEMWRITE
    ioc(_W, _M, 15, OTP): IoctlArg("mtd_otp_info", "out", OTP),  # OTPGETREGIONINFO
    ioc(_R, _M, 16, OTP): IoctlArg("mtd_otp_info", "in", OTP),  # OTPLOCK
    ioc(_R, _M, 13, 4): IoctlArg("mtd_otp_select", "in", 4),  # OTPSELECT
    ioc(IOC_NONE, _M, 19, 0): value("mtd_file_mode"),  # MTDFILEMODE
    ioc(_W, _M, 11, 8): IoctlArg("mtd_u64", "in", 8),  # MEMGETBADBLOCK
    ioc(_W, _M, 12, 8): IoctlArg("mtd_u64", "in", 8),  # MEMSETBADBLOCK
    ioc(_R, _M, 1, INFO): IoctlArg("mtd_info", "out", INFO),  # MEMGETINFO
    ioc(_R, _M, 10, OOBINFO): IoctlArg("mtd_oobinfo", "out", OOBINFO),  # MEMGETOOBSEL
    ioc(_R, _M, 17, ECCLAYOUT): IoctlArg("mtd_ecclayout", "out", ECCLAYOUT),  # ECCGETLAYOUT
    ioc(_R, _M, 18, ECCSTATS): IoctlArg("mtd_ecc_stats", "out", ECCSTATS),  # ECCGETSTATS
    ioc(_W, _M, 14, 4): IoctlArg("mtd_uint", "out", 4),  # OTPGETREGIONCOUNT
    ioc(_R, _M, 7, 4): IoctlArg("mtd_int", "out", 4),  # MEMGETREGIONCOUNT
    MEMGETREGIONINFO: IoctlArg("mtd_region", "both", REGION),
}  # fmt: skip
