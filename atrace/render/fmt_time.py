"""Formatters of times: timespec, timeval, their pairs, timers and timeouts."""

from __future__ import annotations

import time
from typing import Any

from ..syscalls.abi import RESTART_RETURNS
from . import structs
from .call import ArgFormatter, Call, entry_parsed, out_missing, pointer, when_written
from .flags import format_flags, styled
from .fmt_signal import clock_ticks


def format_timespec(fields: dict[str, Any]) -> str:
    return f"{{tv_sec={fields['tv_sec']}, tv_nsec={fields['tv_nsec']}}}"


def _format_timespec(call: Call, index: int) -> str:
    fields = call.parsed(index)
    if fields is None:
        return pointer(call.ulong(index))
    return format_timespec(fields)


def _format_timespec_out(call: Call, index: int) -> str:
    if out_missing(call, index):
        return pointer(call.ulong(index))
    return _format_timespec(call, index)


def format_time(seconds: int, nsec: int) -> str:
    try:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(seconds))
        zone = time.strftime("%z", time.localtime(seconds))
    except (OverflowError, OSError, ValueError):
        return str(seconds)
    return f"{seconds} /* {stamp}.{nsec:09d}{zone} */"


def format_timeval(fields: dict[str, Any]) -> str:
    return f"{{tv_sec={fields['tv_sec']}, tv_usec={fields['tv_usec']}}}"


def _format_timeout_in(call: Call, index: int) -> str:
    """A timeout as passed in (select's, pselect6's, futex's)."""
    f = entry_parsed(call, index)
    if f is None:
        return pointer(call.ulong(index))
    return format_timeval(f) if "tv_usec" in f else format_timespec(f)


def time_left(call: Call, index: int) -> str | None:
    """`left {...}`: the time the kernel wrote back into a select timeout."""
    if call.exit is None or index >= len(call.args):
        return None
    arg = call.syscall.args[index]
    raw = call.exit.get(arg.name)
    f = None if raw is None else structs.parse(arg.kind, raw, call.arch, call.name)
    if f is None:
        return None
    return "left " + (format_timeval(f) if "tv_usec" in f else format_timespec(f))


# utimensat's special tv_nsec values: set the time to now, leave it as it is.
_UTIME_SPECIAL = {(1 << 30) - 1: "UTIME_NOW", (1 << 30) - 2: "UTIME_OMIT"}


def time_comment(seconds: int, nsec: int, digits: int = 9) -> str:
    """` /* 1970-01-01T00:00:01.000000002+0000 */`, the fraction (of `digits`
    digits: 9 for nanoseconds, 6 for microseconds) only when not 0; nothing
    for the epoch itself or a fraction out of range (strace's rule)."""
    if (not seconds and not nsec) or not 0 <= nsec < 10**digits:
        return ""
    try:
        moment = time.localtime(seconds)
    except (OverflowError, OSError, ValueError):
        return ""
    fraction = f".{nsec:0{digits}d}" if nsec else ""
    return f" /* {time.strftime('%Y-%m-%dT%H:%M:%S', moment)}{fraction}{time.strftime('%z', moment)} */"


def _format_timespec_pair(call: Call, index: int) -> str:
    pair = call.parsed(index)
    if pair is None:
        return pointer(call.ulong(index))
    # UTIME_NOW/UTIME_OMIT name the whole struct, in the -X style.
    shown = [styled(format_timespec(t), _UTIME_SPECIAL[t["tv_nsec"]]) if t["tv_nsec"] in _UTIME_SPECIAL
             else format_timespec(t) + time_comment(t["tv_sec"], t["tv_nsec"]) for t in pair]  # fmt: skip
    return "[" + ", ".join(shown) + "]"


def _format_timeval_pair(call: Call, index: int) -> str:
    """utimes' times: each with its date, to the microsecond."""
    pair = call.parsed(index)
    if pair is None:
        return pointer(call.ulong(index))
    return "[" + ", ".join(format_timeval(t) + time_comment(t["tv_sec"], t["tv_usec"], 6) for t in pair) + "]"


def _format_utimbuf(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    shown = (f"{key}={f[key]}{time_comment(f[key], 0)}" for key in ("actime", "modtime"))
    return "{" + ", ".join(shown) + "}"


def _format_itimerval(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return f"{{it_interval={format_timeval(f['it_interval'])}, it_value={format_timeval(f['it_value'])}}}"


def _format_itimerspec(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    return f"{{it_interval={format_timespec(f['it_interval'])}, it_value={format_timespec(f['it_value'])}}}"


def _format_tms(call: Call, index: int) -> str:
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    mask = (1 << call.long_bits) - 1  # clock_t shown unsigned
    return "{" + ", ".join(f"{k}={clock_ticks(v & mask)}" for k, v in f.items()) + "}"


def date_text(seconds: int) -> str:
    """`2026-11-29T07:19:35+0000`: a time_t as strace dates it (local time)."""
    try:
        moment = time.localtime(seconds)
    except (OverflowError, OSError, ValueError):
        return ""
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", moment)


def _format_time_out(call: Call, index: int) -> str:
    """time's tloc: [1795924733 /* 2026-11-29T03:58:53+0000 */]."""
    value = call.parsed(index)
    return pointer(call.ulong(index)) if value is None else f"[{value}{time_comment(value, 0)}]"


def _format_timespec_left(call: Call, index: int) -> str:
    """The time left of a relative sleep a signal cut short; otherwise the
    kernel wrote nothing and strace shows the address."""
    if call.ret not in RESTART_RETURNS or call.value(index) is None or _absolute(call):
        return pointer(call.ulong(index))
    return _format_timespec(call, index)


TIMER_ABSTIME = 1


def _absolute(call: Call) -> bool:
    """clock_nanosleep until a time (TIMER_ABSTIME): no time left is written."""
    return any(arg.kind == "timer_flags" and call.ulong(i) & TIMER_ABSTIME for i, arg in enumerate(call.syscall.args))


def _format_timeval(call: Call, index: int) -> str:
    fields = call.parsed(index)
    return pointer(call.ulong(index)) if fields is None else format_timeval(fields)


def _format_timezone(call: Call, index: int) -> str:
    f = call.parsed(index)
    return (
        pointer(call.ulong(index))
        if f is None
        else f"{{tz_minuteswest={f['tz_minuteswest']}, tz_dsttime={f['tz_dsttime']}}}"
    )


def _format_timex(call: Call, index: int) -> str:
    """A struct timex whole, as strace shows adjtimex's."""
    f = call.parsed(index)
    if f is None:
        return pointer(call.ulong(index))
    shown = {**f, "modes": format_flags(f["modes"], "adjtimex_modes"), "status": format_flags(f["status"] & 0xFFFFFFFF,
             "adjtimex_status"), "time": format_timeval(f)}  # fmt: skip
    order = ("modes", "offset", "freq", "maxerror", "esterror", "status", "constant", "precision", "tolerance", "time",
             "tick", "ppsfreq", "jitter", "shift", "stabil", "jitcnt", "calcnt", "errcnt", "stbcnt", "tai")  # fmt: skip
    return "{" + ", ".join(f"{key}={shown[key]}" for key in order) + "}"


FORMATTERS: dict[str, ArgFormatter] = {
    "timespec": _format_timespec,
    "timespec_out": _format_timespec_out,
    "timeout_in": _format_timeout_in,
    "timespec_pair": _format_timespec_pair,
    "timeval_pair": _format_timeval_pair,
    "utimbuf": _format_utimbuf,
    "itimerval": _format_itimerval,
    "itimerval_out": when_written(_format_itimerval),
    "itimerspec": _format_itimerspec,
    "itimerspec_out": when_written(_format_itimerspec),
    "tms_out": when_written(_format_tms),
    "time_out": when_written(_format_time_out),
    "timespec_left": _format_timespec_left,
    "timeval": _format_timeval,
    "timex_out": when_written(_format_timex),
    "timeval_out": when_written(_format_timeval),
    "timezone": _format_timezone,
    "timezone_out": when_written(_format_timezone),
}
