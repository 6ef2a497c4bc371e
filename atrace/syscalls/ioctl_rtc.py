"""Real-time clocks' ioctls (linux/rtc.h, type 'p'), x86_64's sizes."""

from __future__ import annotations

from .ioctl_codes import IoctlArg, value

RTC_TIME, RTC_WKALRM, RTC_PLL_INFO, RTC_PARAM = 36, 40, 32, 24
RTC_PARAM_GET = 0x40187013

ARGS: dict[int, IoctlArg] = {
    **{request: IoctlArg("", "none") for request in (0x7001, 0x7002, 0x7003, 0x7004, 0x7005, 0x7006, 0x700F,
                                                      0x7010, 0x7014)},  # ..._ON/_OFF, RTC_VL_CLR
    0x40247007: IoctlArg("rtc_time", "in", RTC_TIME),  # RTC_ALM_SET
    0x4024700A: IoctlArg("rtc_time", "in", RTC_TIME),  # RTC_SET_TIME
    0x80247008: IoctlArg("rtc_time", "out", RTC_TIME),  # RTC_ALM_READ
    0x80247009: IoctlArg("rtc_time", "out", RTC_TIME),  # RTC_RD_TIME
    0x4008700C: value("rtc_ulong_value"),  # RTC_IRQP_SET
    0x4008700E: value("rtc_ulong_value"),  # RTC_EPOCH_SET
    0x8008700B: IoctlArg("rtc_ulong", "out", 8),  # RTC_IRQP_READ
    0x8008700D: IoctlArg("rtc_ulong", "out", 8),  # RTC_EPOCH_READ
    0x4028700F: IoctlArg("rtc_wkalrm", "in", RTC_WKALRM),  # RTC_WKALM_SET
    0x80287010: IoctlArg("rtc_wkalrm", "out", RTC_WKALRM),  # RTC_WKALM_RD
    0x40207012: IoctlArg("rtc_pll_info", "in", RTC_PLL_INFO),  # RTC_PLL_SET
    0x80207011: IoctlArg("rtc_pll_info", "out", RTC_PLL_INFO),  # RTC_PLL_GET
    0x80047013: IoctlArg("rtc_vl", "out", 4),  # RTC_VL_READ
    RTC_PARAM_GET: IoctlArg("rtc_param", "both", RTC_PARAM),
    0x40187014: IoctlArg("rtc_param", "in", RTC_PARAM),  # RTC_PARAM_SET
}  # fmt: skip
