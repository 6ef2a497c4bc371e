"""perf events' ioctls (linux/perf_event.h, type '$'), x86_64's numbers
(those with a pointer in their size differ on i386)."""

from __future__ import annotations

from .ioctl_codes import IoctlArg, value

# The most of a filter string read (strace reads up to a page) and of
# PERF_EVENT_IOC_QUERY_BPF's program ids after its two counts.
FILTER_CAP = 4096
QUERY_BPF_CAP = 8 + 4 * 1024

ARGS: dict[int, IoctlArg] = {
    **{request: value("perf_flags") for request in (0x2400, 0x2401, 0x2403)},  # ENABLE, DISABLE, RESET
    0x2402: value("perf_int_value"),  # PERF_EVENT_IOC_REFRESH
    0x40082404: IoctlArg("perf_u64", "in", 8),  # PERF_EVENT_IOC_PERIOD
    0x2405: IoctlArg("perf_fd", "fd"),  # PERF_EVENT_IOC_SET_OUTPUT
    0x40042408: IoctlArg("perf_fd", "fd"),  # PERF_EVENT_IOC_SET_BPF
    0x40042409: value("perf_ulong_value"),  # PERF_EVENT_IOC_PAUSE_OUTPUT
    0x40082406: IoctlArg("perf_filter", "in", FILTER_CAP),  # PERF_EVENT_IOC_SET_FILTER
    0x80082407: IoctlArg("perf_u64", "out", 8),  # PERF_EVENT_IOC_ID
    0xC008240A: IoctlArg("perf_query_bpf", "both", QUERY_BPF_CAP),  # PERF_EVENT_IOC_QUERY_BPF
}
