"""-y: the path behind each fd argument and returned fd, read from
/proc/PID/fd when the tracee stops (tracer thread only)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..syscalls.abi import signed
from .readers import Value, text_or_bytes


def fd_path_key(name: str) -> str:
    """The data key of the path -y read for fd argument `name` ("ret" for the return value)."""
    return f"{name}_path"


def _readlink_fd(pid: int, fd: int) -> Value:
    """-y: what /proc/PID/fd/FD points to (python-ptrace's /proc helper; the
    name comes back as the file system's bytes, undecodable ones kept)."""
    if fd < 0 or fd > 1 << 20:
        return None
    # Imported here: python-ptrace brings logging and more, which a trace
    # without -y would load at every start for nothing.
    from ptrace.linux_proc import ProcError, readProcessLink

    try:
        return text_or_bytes(os.fsencode(readProcessLink(pid, f"fd/{fd}")))
    except ProcError:
        return None


def fd_path(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
    return _readlink_fd(pid, signed(args[index], 32))


def returned_fd_path(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
    return _readlink_fd(pid, ret)


AT_FDCWD = -100


def dirfd_path(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
    """A directory fd's path; for AT_FDCWD the working directory (strace's
    `AT_FDCWD</home/user>`)."""
    fd = signed(args[index], 32)
    if fd != AT_FDCWD:
        return _readlink_fd(pid, fd)
    from ptrace.linux_proc import ProcError, readProcessLink  # as in _readlink_fd: only with -y

    try:
        return text_or_bytes(os.fsencode(readProcessLink(pid, "cwd")))
    except ProcError:
        return None
