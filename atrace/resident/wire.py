"""Messages between the client and its worker: one marshal'd dict per
SOCK_SEQPACKET message (the kernel keeps the boundaries), fds with it by
SCM_RIGHTS. marshal because it is built in: the client must not pay for
importing json or msgpack. Both ends run the same code (the socket's name
carries the code's key), so marshal's version is the same too.

The low-level _socket, not socket: socket.py imports enum and selectors,
a good part of the client's start-up.
"""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket as _socket
    from typing import Any

    Message = dict[str, Any]
else:
    import _socket

# Large enough for an environment and an argv of the usual sizes; a larger
# message fails to send (EMSGSIZE), and the client then runs in-process.
MAX_MESSAGE = 1 << 20
MAX_FDS = 8
_INT = 4  # sizeof(int): an fd in SCM_RIGHTS data


class ProtocolError(Exception):
    """The other end closed, or sent what we did not expect."""


def unix_socket() -> _socket.socket:
    return _socket.socket(_socket.AF_UNIX, _socket.SOCK_SEQPACKET | _socket.SOCK_CLOEXEC)


def send(sock: _socket.socket, message: Message, fds: list[int] | None = None) -> None:
    data = marshal.dumps(message)
    if fds:
        rights = b"".join(fd.to_bytes(_INT, "little", signed=True) for fd in fds)
        sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
    else:
        sock.send(data)


def receive(sock: _socket.socket) -> tuple[Message, list[int]]:
    """The next message and the fds that came with it; ProtocolError at
    end-of-file or on a malformed message."""
    data, ancillary, flags, _ = sock.recvmsg(MAX_MESSAGE, _socket.CMSG_SPACE(MAX_FDS * _INT))
    fds = []
    for level, kind, payload in ancillary:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            usable = len(payload) - len(payload) % _INT
            fds += [int.from_bytes(payload[i : i + _INT], "little", signed=True) for i in range(0, usable, _INT)]
    try:
        if not data:
            raise ProtocolError("end of file")
        if flags & (_socket.MSG_TRUNC | _socket.MSG_CTRUNC):
            raise ProtocolError("message truncated")
        try:
            message = marshal.loads(data)
        except (EOFError, ValueError, TypeError) as err:
            raise ProtocolError(f"bad message: {err}") from None
        if not isinstance(message, dict):
            raise ProtocolError("bad message")
    except ProtocolError:
        for fd in fds:
            _socket.close(fd)
        raise
    return message, fds


def is_open(fd: int) -> bool:
    """Whether fd is open here (client: which of fds 0-2 to send; worker:
    which it received)."""
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True
