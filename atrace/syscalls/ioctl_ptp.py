"""PTP hardware clocks' ioctls (linux/ptp_clock.h, type '='); each request
has a second number ("...2") that strict kernels check more closely."""

from __future__ import annotations

from .ioctl_codes import IOC_READ, IOC_WRITE, IoctlArg, ioc, value

_P = ord("=")
_RW = IOC_READ | IOC_WRITE
CAPS, EXTTS, PEROUT, SYS_OFFSET, PIN_DESC, PRECISE, EXTENDED = 80, 16, 56, 832, 96, 64, 1216
# Requests by their first and second number: (shape, direction, size, when).
_REQUESTS = (
    ((1, 10), "ptp_caps", IOC_READ, CAPS, "out"),
    ((2, 11), "ptp_extts", IOC_WRITE, EXTTS, "in"),
    ((3, 12), "ptp_perout", IOC_WRITE, PEROUT, "in"),
    ((5, 14), "ptp_sys_offset", IOC_WRITE, SYS_OFFSET, "both"),
    ((6, 15), "ptp_pin_get", _RW, PIN_DESC, "both"),
    ((7, 16), "ptp_pin_set", IOC_WRITE, PIN_DESC, "in"),
    ((8, 17), "ptp_precise", _RW, PRECISE, "out"),
    ((9, 18), "ptp_extended", _RW, EXTENDED, "both"),
)
# strace names these; the generated table lacks them.
NAMES = {ioc(_RW, _P, 8, PRECISE): "PTP_SYS_OFFSET_PRECISE", ioc(_RW, _P, 17, PRECISE): "PTP_SYS_OFFSET_PRECISE2",
         ioc(_RW, _P, 9, EXTENDED): "PTP_SYS_OFFSET_EXTENDED",
         ioc(_RW, _P, 18, EXTENDED): "PTP_SYS_OFFSET_EXTENDED2"}  # fmt: skip
SECOND_NRS = frozenset(second for (_, second), *_ in _REQUESTS)

ARGS: dict[int, IoctlArg] = {
    **{ioc(direction, _P, nr, size): IoctlArg(shape, when, size)
       for nrs, shape, direction, size, when in _REQUESTS for nr in nrs},
    ioc(IOC_WRITE, _P, 4, 4): value("ptp_pps"),  # PTP_ENABLE_PPS
    ioc(IOC_WRITE, _P, 13, 4): value("ptp_pps"),  # PTP_ENABLE_PPS2
}  # fmt: skip
