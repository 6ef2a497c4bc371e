"""io_uring_enter: counts as unsigned ints, IORING_ENTER_* flags, the
signal mask (its size follows); io_uring_setup: struct io_uring_params,
what the caller passes in and, once the ring exists, what the kernel filled."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call, entry_parsed, hex0, pointer
from ..fds import fd_text
from ..flags import format_flags
from .common import flags_or_unknown


def _io_uring_enter(call: Call) -> list[str | None]:
    counts = [str(call.args[i] & 0xFFFFFFFF) for i in (1, 2)]
    flags = flags_or_unknown(call.args[3] & 0xFFFFFFFF, "io_uring_enter", "IORING_ENTER_")
    return [call.fmt(0), *counts, flags, call.fmt(4), str(call.ulong(5))]


_IORING_SETUP_ATTACH_WQ = 0x20
_SQ_OFF = ("head", "tail", "ring_mask", "ring_entries", "flags", "dropped", "array")
_CQ_OFF = ("head", "tail", "ring_mask", "ring_entries", "overflow", "cqes", "flags")


def _ring_offsets(f: dict[str, int], side: str, names: tuple[str, ...]) -> str:
    """sq_off or cq_off: the offsets, the reserved words when not 0."""
    shown = [f"{name}={f[f'{side}_{name}']}" for name in names]
    shown += [f"{resv}={hex0(f[f'{side}_{resv}'])}" for resv in ("resv1", "resv2") if f[f"{side}_{resv}"]]
    return "{" + ", ".join(shown) + "}"


def _uring_params(call: Call) -> str:
    """flags, the SQ thread's settings, wq_fd with IORING_SETUP_ATTACH_WQ,
    the reserved words when not 0; then, when the ring was made, its sizes,
    features and ring offsets."""
    # What the caller passed in: the entry's copy (the kernel overwrites it).
    f_in = entry_parsed(call, 1)
    if f_in is None:
        return pointer(call.ulong(1))
    shown = [f"flags={format_flags(f_in['flags'], 'io_uring_setup')}", f"sq_thread_cpu={hex0(f_in['sq_thread_cpu'])}",
             f"sq_thread_idle={f_in['sq_thread_idle']}"]  # fmt: skip
    if f_in["flags"] & _IORING_SETUP_ATTACH_WQ:
        fd = f_in["wq_fd"]
        shown.append(f"wq_fd={fd_text(str(fd), call.entry.get('wq_fd_path'), None, call.options.decode_fds)}")
    resv = [f_in[f"resv{i}"] for i in range(3)]
    if any(resv):
        shown.append("resv=[" + ", ".join(hex0(value) for value in resv) + "]")
    out = call.parsed(1) if call.succeeded() and call.exit is not None and "p" in call.exit else None
    if out is not None:
        shown += [f"sq_entries={out['sq_entries']}", f"cq_entries={out['cq_entries']}",
                  f"features={format_flags(out['features'], 'io_uring_features')}",
                  f"sq_off={_ring_offsets(out, 'sq', _SQ_OFF)}",
                  f"cq_off={_ring_offsets(out, 'cq', _CQ_OFF)}"]  # fmt: skip
    return "{" + ", ".join(shown) + "}"


def _io_uring_setup(call: Call) -> list[str | None]:
    return [str(call.ulong(0)), _uring_params(call)]


CALLS: dict[str, Callable[[Call], list[str | None]]] = {
    "io_uring_enter": _io_uring_enter,
    "io_uring_setup": _io_uring_setup,
}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
# io_uring_setup's struct: what the kernel filled is shown after what was
# passed in, at exit (strace cuts its line inside the struct).
SPLITS: dict[str, int] = {"io_uring_setup": 1}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
