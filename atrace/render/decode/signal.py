"""Signal calls: rt_sigaction, rt_sigprocmask, kill family.

Most of their arguments print by kind (signo, sigset, sigaction); what is
here is the ordering strace uses when a call did not write its out struct.
"""

from __future__ import annotations

from collections.abc import Callable

from ..call import Call
from ..fmt_signal import format_sigset
from ..names import signal_name


def _sigreturn(call: Call) -> list[str | None]:
    """{mask=[...]}: the mask the signal frame restores, read from the stack
    at entry (the call has no arguments)."""
    raw = call.entry.get("mask")
    if not isinstance(raw, bytes) or len(raw) < 8:
        return []
    return [f"{{mask={format_sigset(int.from_bytes(raw[:8], 'little'))}}}"]


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"rt_sigreturn": _sigreturn, "sigreturn": _sigreturn}


def _signal_return(call: Call) -> str | None:
    """rt_sigtimedwait returns the signal it took: `10 (SIGUSR1)`."""
    ret = call.ret
    return f"{ret} ({signal_name(ret)})" if ret is not None and 0 < ret <= 64 else None


RETURNS: dict[str, Callable[[Call], str | None]] = {
    "rt_sigtimedwait": _signal_return,
    "rt_sigtimedwait_time64": _signal_return,
}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
