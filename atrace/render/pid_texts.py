"""A pid as -Y and --pidns-translation show it, for every formatter that
shows one (arguments, returns, a siginfo's sender)."""

from __future__ import annotations

from typing import Any

from .quoting import fd_path_text


def pid_text(value: int, comm: Any, pidns: Any) -> str:
    """A pid as -Y and --pidns-translation show it: `1234<make>`, and for a
    tracee in another pid namespace `2 /* 1234 in strace's PID NS */` (the
    words of strace's output format, which its users' tools match)."""
    text = str(value)
    if comm is not None:
        text += f"<{fd_path_text(comm)}>"
    if isinstance(pidns, int):
        text += f" /* {pidns} in strace's PID NS */"
    return text
