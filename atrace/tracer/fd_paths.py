"""-y, -yy, --decode-fds and -P: what is behind each fd argument and
returned fd, read from /proc/PID when the tracee stops (tracer thread only).

Two values per fd: `<name>_path`, the /proc/PID/fd/N link (for -y's path
and for -P's matching), and with -yy's details `<name>_fd`, a map of what
strace shows instead of or after the path: {"dev": "char 1:3"} for a
device, {"pid": N} for a pidfd, {"socket": "UNIX-STREAM"} (the socket's
protocol, from the socket's own xattr; with a unix socket's `peer` and
`name`, a netlink socket's `protocol` and `portid`, from sock_diag) for a
socket."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from typing import Any

from ..syscalls import ARCH_X86_64
from ..syscalls.abi import signed
from ._ptrace import MemoryReader
from .proc_dirs import proc_dir
from .readers import Value, text_or_bytes
from .shapes import fdset_bytes


def fd_path_key(name: str) -> str:
    """The data key of the path -y read for fd argument `name` ("ret" for the return value)."""
    return f"{name}_path"


def fd_detail_key(name: str) -> str:
    """The data key of -yy's details of fd argument `name` ("ret" for the return value)."""
    return f"{name}_fd"


def _readlink_fd(pid: int, fd: int, proc: str | None = None) -> Value:
    """-y: what /proc/PID/fd/FD points to (the name as the file system's
    bytes, undecodable ones kept); `proc`: the task's /proc directory when
    known already, else that of atrace's task `pid` (tracer/proc_dirs.py)."""
    if fd < 0 or fd > 1 << 20:
        return None
    try:
        return text_or_bytes(os.readlink(f"{proc or proc_dir(pid)}/fd/{fd}".encode()))
    except OSError:
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
    try:
        return text_or_bytes(os.readlink(f"{proc_dir(pid)}/cwd".encode()))
    except OSError:
        return None


_PIDFD = b"anon_inode:[pidfd]"


def _socket_details(protocol: str, inode: int) -> dict[str, Any]:
    """What sock_diag says of a unix or netlink socket (tracer/sock_diag.py)."""
    from .sock_diag import netlink_details, unix_details  # only with -yy's sockets

    if protocol.startswith("UNIX"):
        return unix_details(inode)
    if protocol == "NETLINK":
        return netlink_details(inode)
    return {}


def _fd_details(pid: int, fd: int, wanted: frozenset[str]) -> Value:
    """-yy's facts about one fd (see the module's docstring), or None."""
    if fd < 0 or fd > 1 << 20:
        return None
    link = f"{proc_dir(pid)}/fd/{fd}"
    try:
        mode = os.stat(link)
    except OSError:
        return None
    if "dev" in wanted and (stat.S_ISCHR(mode.st_mode) or stat.S_ISBLK(mode.st_mode)):
        kind = "char" if stat.S_ISCHR(mode.st_mode) else "block"
        return {"dev": f"{kind} {os.major(mode.st_rdev)}:{os.minor(mode.st_rdev)}"}
    if "socket" in wanted and stat.S_ISSOCK(mode.st_mode):
        try:
            name = os.getxattr(link, "system.sockprotoname")
        except OSError:
            return None
        protocol = name.rstrip(b"\0").decode("ascii", "replace")
        return {"socket": protocol, **_socket_details(protocol, mode.st_ino)}
    if "pidfd" in wanted:
        try:
            if os.readlink(link.encode()) != _PIDFD:
                return None
        except OSError:
            return None
        target = _pidfd_pid(pid, fd)
        return None if target is None else {"pid": target}
    return None


def fd_details(wanted: frozenset[str]) -> Callable[[int, int, Sequence[int], int], Value]:
    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        return _fd_details(pid, signed(args[index], 32), wanted)

    return read


def returned_fd_details(wanted: frozenset[str]) -> Callable[[int, Sequence[int], int, int], Value]:
    def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
        return _fd_details(pid, ret, wanted)

    return read


def written_fds(memory: MemoryReader, wanted: frozenset[str]) -> Callable[[int, Sequence[int], int, int], Value]:
    """`<name>_fds` of pipe, pipe2 and socketpair: for each of the two fds
    the call wrote, [path, details] (details nil without -yy's)."""

    def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
        raw = memory.read(pid, args[index], 8)
        if raw is None or len(raw) < 8:
            return None
        fds = [int.from_bytes(raw[i : i + 4], "little", signed=True) for i in (0, 4)]
        return [[_readlink_fd(pid, fd), _fd_details(pid, fd, wanted) if wanted else None] for fd in fds]

    return read


def written_fd_path(memory: MemoryReader, flag: int) -> Callable[[int, Sequence[int], int, int], Value]:
    """clone's `pidfd_path`: with `flag` (CLONE_PIDFD) in its flags, the path
    of the pidfd the kernel wrote where argument `index` points."""

    def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
        raw = memory.read(pid, args[index], 4) if ret > 0 and args[0] & flag else None
        return _readlink_fd(pid, int.from_bytes(raw, "little", signed=True)) if raw and len(raw) == 4 else None

    return read


def _pidfd_pid(pid: int, pidfd: int) -> int | None:
    """The process a pidfd of `pid` refers to (its fdinfo's Pid line), or None."""
    if pidfd < 0 or pidfd > 1 << 20:
        return None
    try:
        with open(f"{proc_dir(pid)}/fdinfo/{pidfd}", "rb") as info:
            for line in info:
                if line.startswith(b"Pid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def target_fd_path(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
    """pidfd_getfd's target fd: an fd of the process its pidfd (the first
    argument) refers to, as strace shows it; nothing when that is no pidfd."""
    target = _pidfd_pid(pid, signed(args[0], 32))
    # (fdinfo's Pid is in /proc's numbering already)
    return None if target is None or target <= 0 else _readlink_fd(target, signed(args[index], 32), f"/proc/{target}")


def target_fd_details(wanted: frozenset[str]) -> Callable[[int, int, Sequence[int], int], Value]:
    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        target = _pidfd_pid(pid, signed(args[0], 32))
        return None if target is None or target <= 0 else _fd_details(target, signed(args[index], 32), wanted)

    return read


# At most this many fds of one poll or select call are looked up for -P.
_WATCHED_LIMIT = 1024


def _paths_of(pid: int, fds: set[int]) -> Value:
    paths = [_readlink_fd(pid, fd) for fd in sorted(fds)[:_WATCHED_LIMIT]]
    return [path for path in paths if path is not None]


def polled_paths(memory: MemoryReader) -> Callable[[int, int, Sequence[int], int], Value]:
    """-P: `watched_paths`, the paths of the fds in poll/ppoll's array (strace
    matches a call on any of them)."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        count = min(args[index + 1] & 0xFFFFFFFF, _WATCHED_LIMIT)
        raw = memory.read(pid, args[index], 8 * count) or b""
        fds = {int.from_bytes(raw[i : i + 4], "little", signed=True) for i in range(0, len(raw) - 7, 8)}
        return _paths_of(pid, fds)

    return read


def selected_paths(memory: MemoryReader) -> Callable[[int, int, Sequence[int], int], Value]:
    """-P: `watched_paths`, the paths of the fds in select/pselect6's three sets."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        nfds = min(signed(args[0], 32), _WATCHED_LIMIT)
        fds: set[int] = set()
        for which in (1, 2, 3):
            # A set that cannot be read whole is not looked at, as strace does.
            raw = fdset_bytes(memory, pid, args[which], nfds, 8 if arch == ARCH_X86_64 else 4) if args[which] else None
            if raw is not None:
                fds.update(fd for fd in range(min(nfds, 8 * len(raw))) if raw[fd // 8] >> (fd % 8) & 1)
        return _paths_of(pid, fds)

    return read
