"""Which fds are netlink sockets, of which protocol, and the whole messages
sent or received on them (tracer thread only).

strace decodes the buffer of a send or receive on a netlink socket as
netlink messages, whatever -s says (-s then limits the strings and the
number of messages and attributes shown).  The tracer records such a
buffer whole, with the socket's protocol, under the call's `netlink` key
(docs/FORMAT.md).

The protocol is asked of the kernel at the stop, for the fd as it is then,
never remembered from a socket() call: an fd can come from a fork, a dup,
an exec, an SCM_RIGHTS message, a process attached with -p or a socket
created before the trace started, and one number can name another socket
a moment later.  Asking costs one getxattr on /proc/PID/fd/FD for every
send/receive (the same one strace makes): sockfs answers
"system.sockprotoname" with the protocol's name, "NETLINK" for every
netlink socket.  Only for those, the netlink protocol number is then read
from the socket itself: a duplicate of the tracee's fd through
pidfd_getfd (the tracer may: it ptraces the task) and getsockopt
SO_PROTOCOL, exact in any network namespace.  Where pidfd_getfd is missing
(Linux < 5.6) the socket's inode is looked up in /proc/PID/net/netlink,
which lists the sockets of the task's network namespace.
"""

from __future__ import annotations

import ctypes
import os
import socket
from collections.abc import Sequence

from ..syscalls import ARCH_I386, ARCH_X86_64
from ..syscalls.abi import signed
from ..syscalls.kinds import MSGHDR
from ._ptrace import MemoryReader
from .proc_dirs import proc_dir
from .readers import ExitReader, Reader, Value

# Messages are recorded whole up to this many bytes (the tracer's read
# buffer); a longer buffer's tail is then shown as unreadable.
NETLINK_CAPTURE = 64 * 1024
UNKNOWN_PROTOCOL = -1
# At most this many iovec buffers of a message are recorded.
MAX_IOVECS = 64

_SYS_PIDFD_GETFD = 438
_libc = ctypes.CDLL(None, use_errno=True)
_syscall = _libc.syscall
_syscall.restype = ctypes.c_long


def is_netlink(pid: int, fd: int) -> bool:
    """Whether the task's fd is a netlink socket (one getxattr)."""
    if fd < 0:
        return False
    try:
        name = os.getxattr(f"{proc_dir(pid)}/fd/{fd}", "system.sockprotoname")
    except OSError:
        return False  # not a socket, or the task or fd is gone
    return name.rstrip(b"\0") == b"NETLINK"


def _protocol_by_pidfd(pid: int, fd: int) -> int | None:
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        return None
    try:
        mine = _syscall(_SYS_PIDFD_GETFD, pidfd, fd, 0)
        if mine < 0:
            return None
        try:
            # The socket object takes over our duplicate (closed below);
            # it reads the protocol with getsockopt(SO_PROTOCOL).
            sock = socket.socket(fileno=mine)
        except OSError:
            os.close(mine)
            return None
        with sock:
            return sock.proto
    finally:
        os.close(pidfd)


def _protocol_by_inode(pid: int, fd: int) -> int | None:
    try:
        proc = proc_dir(pid)
        link = os.readlink(f"{proc}/fd/{fd}")
        with open(f"{proc}/net/netlink") as listing:
            lines = listing.read().splitlines()[1:]
    except OSError:
        return None
    if not (link.startswith("socket:[") and link.endswith("]")):
        return None
    inode = link[8:-1]
    # sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
    for line in lines:
        fields = line.split()
        if len(fields) >= 10 and fields[9] == inode:
            return int(fields[1])
    return None


def netlink_protocol(pid: int, fd: int) -> int | None:
    """The fd's netlink protocol (NETLINK_ROUTE is 0), UNKNOWN_PROTOCOL for a
    netlink socket whose protocol cannot be found, None for any other fd."""
    if not is_netlink(pid, fd):
        return None
    found = _protocol_by_pidfd(pid, fd)
    if found is None:
        found = _protocol_by_inode(pid, fd)
    return UNKNOWN_PROTOCOL if found is None else found


class NetlinkReaders:
    """The `netlink` values of the calls that send or receive a buffer:
    [protocol, bytes] when the fd is a netlink socket, else nothing."""

    def __init__(self, memory: MemoryReader) -> None:
        self._memory = memory

    def sent(self, pid: int, arch: int, args: Sequence[int], index: int, /) -> list[object] | None:
        """sendto/send at entry: the buffer is argument 1, its length argument 2."""
        protocol = netlink_protocol(pid, signed(args[0], 32))
        if protocol is None:
            return None
        return [protocol, self._bytes(pid, args[1], args[2])]

    def received(self, pid: int, args: Sequence[int], index: int, ret: int, /) -> list[object] | None:
        """recvfrom/recv at exit: the bytes received (the return value)."""
        if ret < 0:
            return None
        protocol = netlink_protocol(pid, signed(args[0], 32))
        if protocol is None:
            return None
        return [protocol, self._bytes(pid, args[1], min(ret, args[2]))]

    def sent_msg(self, wide: bool) -> Reader:
        """sendmsg at entry: each msg_iov buffer whole."""

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            return self._message(pid, args, wide, None)

        return reader

    def received_msg(self, wide: bool) -> ExitReader:
        """recvmsg at exit: each msg_iov buffer as far as the bytes received reach."""

        def reader(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return self._message(pid, args, wide, ret) if ret >= 0 else None

        return reader

    def _message(self, pid: int, args: Sequence[int], wide: bool, total: int | None) -> Value:
        """[protocol, [[iov_base, bytes] of each iovec buffer]] of a struct msghdr's msg_iov."""
        protocol = netlink_protocol(pid, signed(args[0], 32))
        if protocol is None:
            return None
        layout = MSGHDR.struct(ARCH_X86_64 if wide else ARCH_I386)
        header = self._memory.read(pid, args[1], layout.size)
        if header is None or len(header) < layout.size:
            return [protocol, None]
        _name, _namelen, iov, iovlen, *_rest = layout.unpack(header)
        word = 8 if wide else 4
        count = min(iovlen, MAX_IOVECS)
        raw = self._memory.read(pid, iov, count * 2 * word) if iov and count else None
        buffers: list[list[object]] = []
        left = total
        for offset in range(0, len(raw or b"") - 2 * word + 1, 2 * word):
            assert raw is not None
            base = int.from_bytes(raw[offset : offset + word], "little")
            length = int.from_bytes(raw[offset + word : offset + 2 * word], "little")
            want = length if left is None else min(length, max(left, 0))
            if left is not None:
                left -= length
            buffers.append([base, self._bytes(pid, base, want) if want else b""])
        return [protocol, buffers]

    def _bytes(self, pid: int, addr: int, length: int) -> bytes | None:
        return self._memory.read(pid, addr, min(length, NETLINK_CAPTURE))
