"""io_uring_enter: counts as unsigned ints, IORING_ENTER_* flags, the
signal mask (its size follows)."""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call
from .common import flags_or_unknown


def _io_uring_enter(call: Call) -> list[str | None]:
    counts = [str(call.args[i] & 0xFFFFFFFF) for i in (1, 2)]
    flags = flags_or_unknown(call.args[3] & 0xFFFFFFFF, "io_uring_enter", "IORING_ENTER_")
    return [call.fmt(0), *counts, flags, call.fmt(4), str(call.ulong(5))]


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"io_uring_enter": _io_uring_enter}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
