"""Real-time clocks' ioctls (linux/rtc.h) as strace prints them: struct
rtc_time, rtc_wkalrm, rtc_pll_info, the voltage-low flags and struct
rtc_param by its parameter (what is read: atrace.syscalls.ioctl_rtc)."""

from __future__ import annotations

from ...syscalls.ioctl_rtc import RTC_PARAM, RTC_PARAM_GET, RTC_PLL_INFO, RTC_TIME, RTC_WKALRM
from ..call import Call
from ..flags import FlagTable, number
from .ioctl_common import ShapeFormatter, arg_data, code_name, fields, flag_names, struct_text

_VL_FLAGS: FlagTable = [(1, "RTC_VL_DATA_INVALID"), (2, "RTC_VL_BACKUP_LOW"), (4, "RTC_VL_BACKUP_EMPTY"),
                        (8, "RTC_VL_ACCURACY_LOW"), (16, "RTC_VL_BACKUP_SWITCH")]  # fmt: skip
_PARAMS = {0: "RTC_PARAM_FEATURES", 1: "RTC_PARAM_CORRECTION", 2: "RTC_PARAM_BACKUP_SWITCH_MODE"}
_FEATURES: FlagTable = [(1 << i, "1<<RTC_FEATURE_" + name) for i, name in enumerate(
    ("ALARM", "ALARM_RES_MINUTE", "NEED_WEEK_DAY", "ALARM_RES_2S", "UPDATE_INTERRUPT", "CORRECTION",
     "BACKUP_SWITCH_MODE", "ALARM_WAKEUP_ONLY"))]  # fmt: skip
_BSM = {0: "RTC_BSM_DISABLED", 1: "RTC_BSM_DIRECT", 2: "RTC_BSM_LEVEL", 3: "RTC_BSM_STANDBY"}
_TM = ("tm_sec", "tm_min", "tm_hour", "tm_mday", "tm_mon", "tm_year", "tm_wday", "tm_yday", "tm_isdst")


def _phase(call: Call) -> str:
    return "out" if (call.args[1] & 0xFFFFFFFF) >> 30 == 2 else "in"


def _tm(raw: bytes, offset: int, call: Call) -> str:
    values = fields("9i", raw, offset) or (0,) * 9
    shown = [f"{name}={v}" for name, v in zip(_TM, values, strict=True)]
    return struct_text([*shown[:6], "..."] if call.abbreviated else shown)


def _rtc_time(call: Call, request: int) -> str | None:
    raw = arg_data(call, _phase(call))
    return None if raw is None or len(raw) < RTC_TIME else _tm(raw, 0, call)


def _wkalrm(call: Call, request: int) -> str | None:
    raw = arg_data(call, _phase(call))
    if raw is None or len(raw) < RTC_WKALRM:
        return None
    enabled, pending = fields("BB", raw) or (0, 0)
    return struct_text([f"enabled={enabled}", f"pending={pending}", f"time={_tm(raw, 4, call)}"])


def _pll_info(call: Call, request: int) -> str | None:
    raw = arg_data(call, _phase(call))
    values = fields("6iq", raw) if raw is not None and len(raw) >= RTC_PLL_INFO else None
    if values is None:
        return None
    names = ("pll_ctrl", "pll_value", "pll_max", "pll_min", "pll_posmult", "pll_negmult", "pll_clock")
    return struct_text([f"{name}={v}" for name, v in zip(names, values, strict=True)])


def _ulong(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("Q", raw) if raw is not None else None
    return None if values is None else f"[{values[0]}]"


def _vl(call: Call, request: int) -> str | None:
    raw = arg_data(call, "out")
    values = fields("I", raw) if raw is not None else None
    return None if values is None else f"[{flag_names(values[0], _VL_FLAGS, 'RTC_VL_???')}]"


def _param_value(param: int, uvalue: int) -> str:
    if param == 0:
        return f"uvalue={flag_names(uvalue, _FEATURES, '1<<RTC_FEATURE_???')}"
    if param == 1:
        return f"svalue={uvalue - (1 << 64) if uvalue >> 63 else uvalue}"
    if param == 2:
        return f"uvalue={code_name(uvalue, _BSM, 'RTC_BSM_???')}"
    return f"uvalue={number(uvalue)}"


def _param(call: Call, request: int) -> str | None:
    """struct rtc_param: RTC_PARAM_GET shows the parameter asked for, then
    ` => ` the value (the address when the call failed)."""
    raw = arg_data(call, "in")
    values = fields("QQII", raw) if raw is not None and len(raw) >= RTC_PARAM else None
    if values is None:
        return None
    param, uvalue, index, pad = values
    getting = request == RTC_PARAM_GET
    parts = [f"param={code_name(param, _PARAMS, 'RTC_PARAM_???')}"]
    parts += [] if getting else [_param_value(param, uvalue)]
    parts += [f"index={index}", *([f"__pad={number(pad)}"] if pad else [])]
    text = struct_text(parts)
    if not getting or call.exit is None:
        return text
    got = arg_data(call, "out")
    answer = fields("QQII", got) if got is not None else None
    if answer is None:
        return f"{text} => {hex(call.ulong(2))}"
    shown = [_param_value(param, answer[1]), *([f"__pad={number(answer[3])}"] if answer[3] else [])]
    return f"{text} => {struct_text(shown)}"


SHAPES: dict[str, ShapeFormatter] = {
    "rtc_time": _rtc_time,
    "rtc_wkalrm": _wkalrm,
    "rtc_pll_info": _pll_info,
    "rtc_ulong": _ulong,
    "rtc_ulong_value": lambda call, request: str(call.ulong(2)),
    "rtc_vl": _vl,
    "rtc_param": _param,
}
