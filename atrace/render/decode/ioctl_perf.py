"""perf events' ioctls as strace prints them (what is read:
atrace.syscalls.ioctl_perf).  PERF_EVENT_IOC_MODIFY_ATTRIBUTES's struct
perf_event_attr is not decoded: its address is shown."""

from __future__ import annotations

from ..call import Call, format_array
from ..flags import FlagTable
from .common import c_string
from .ioctl_common import ShapeFormatter, arg_data, fd_argument, fields, flag_names, phase_of

_FLAGS: FlagTable = [(1, "PERF_IOC_FLAG_GROUP")]


def _u64(call: Call, request: int) -> str | None:
    raw = arg_data(call, phase_of(request))
    values = fields("Q", raw) if raw is not None else None
    return None if values is None else f"[{values[0]}]"


def _filter(call: Call, request: int) -> str | None:
    return c_string(arg_data(call, "in"), call.options.string_limit, call.options.hex_strings)


def _query_bpf(call: Call, request: int) -> str | None:
    """{ids_len=N, ...} going in; the programs' count and ids once the call succeeded."""
    raw = arg_data(call, "in")
    sent = fields("I", raw) if raw is not None else None
    if sent is None:
        return None
    head = f"{{ids_len={sent[0]}, "
    got = arg_data(call, "out")
    count = fields("I", got, 4) if got is not None else None
    if got is None or count is None:
        return head + "...}"
    ids = [str(v[0]) for v in (fields("I", got, 8 + 4 * i) for i in range((len(got) - 8) // 4)) if v is not None]
    limit = call.options.string_limit if call.abbreviated else None
    shown = format_array(call.ulong(2) + 8, count[0], ids[: count[0]], 4, limit)
    return head + f"prog_cnt={count[0]}, ids={shown}}}"


SHAPES: dict[str, ShapeFormatter] = {
    "perf_flags": lambda call, request: flag_names(call.ulong(2) & 0xFFFFFFFF, _FLAGS, "PERF_IOC_FLAG_???"),
    "perf_int_value": lambda call, request: str(call.c_int(2)),
    "perf_ulong_value": lambda call, request: str(call.ulong(2)),
    "perf_u64": _u64,
    "perf_fd": fd_argument,
    "perf_filter": _filter,
    "perf_query_bpf": _query_bpf,
}
