"""Signal calls: rt_sigaction, rt_sigprocmask, kill family.

Most of their arguments print by kind (signo, sigset, sigaction); what is
here is the ordering strace uses when a call did not write its out struct.
"""

from __future__ import annotations

from collections.abc import Callable

from ..args import Call

CALLS: dict[str, Callable[[Call], list[str | None]]] = {}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
