"""-yy's socket details from the kernel's sock_diag (tracer thread only):
a unix socket's peer inode and bound name, a netlink socket's protocol and
port id, the way strace finds them (its socketutils): one question to
NETLINK_SOCK_DIAG per socket fd shown, on a socket atrace keeps open.

Facts only; render/fds.py writes them as `UNIX-STREAM:[5678->5679,"name"]`
and `NETLINK:[SOCK_DIAG:1234]`."""

from __future__ import annotations

import socket
import struct
from typing import Any

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
UDIAG_SHOW_NAME, UDIAG_SHOW_PEER = 0x1, 0x4
UNIX_DIAG_NAME, UNIX_DIAG_PEER = 0, 2
NDIAG_PROTO_ALL = 255
# struct nlmsghdr; unix_diag_req; netlink_diag_req; unix_diag_msg; netlink_diag_msg.
_NLMSGHDR = struct.Struct("=IHHII")
_UNIX_REQ = struct.Struct("=BBHIIIII")
_NETLINK_REQ = struct.Struct("=BBHIIII")
_UNIX_MSG = struct.Struct("=BBBBIII")
_NETLINK_MSG = struct.Struct("=BBBBIIIIII")
_RTATTR = struct.Struct("=HH")
_NO_COOKIE = 0xFFFFFFFF

_channel: list[socket.socket] = []
# What was learnt of each socket inode, kept as strace keeps it: a socket
# shows its peer and name after the peer has gone, until atrace forgets
# (past _CACHE_LIMIT inodes, all at once).
_known: dict[int, dict[str, Any]] = {}
_CACHE_LIMIT = 4096


def _remembered(inode: int, details: dict[str, Any]) -> dict[str, Any]:
    if details:
        if len(_known) >= _CACHE_LIMIT:
            _known.clear()
        _known[inode] = details
    return details


def _ask(request: bytes, dump: bool) -> list[bytes]:
    """The payloads of the answers to one sock_diag request ([] on failure)."""
    try:
        if not _channel:
            _channel.append(socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, NETLINK_SOCK_DIAG))
        channel = _channel[0]
        flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else 0)
        channel.send(_NLMSGHDR.pack(_NLMSGHDR.size + len(request), SOCK_DIAG_BY_FAMILY, flags, 0, 0) + request)
        answers: list[bytes] = []
        while True:
            data = channel.recv(65536)
            offset = 0
            while offset + _NLMSGHDR.size <= len(data):
                length, kind, _flags, _seq, _pid = _NLMSGHDR.unpack_from(data, offset)
                if length < _NLMSGHDR.size:
                    return answers
                if kind in (NLMSG_DONE, NLMSG_ERROR):
                    return answers
                answers.append(data[offset + _NLMSGHDR.size : offset + length])
                if not dump:
                    return answers
                offset += (length + 3) & ~3
            if not data:
                return answers
    except OSError:
        return []


def _attributes(data: bytes, offset: int) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    while offset + _RTATTR.size <= len(data):
        length, kind = _RTATTR.unpack_from(data, offset)
        if length < _RTATTR.size:
            break
        found[kind] = data[offset + _RTATTR.size : offset + length]
        offset += (length + 3) & ~3
    return found


def unix_details(inode: int) -> dict[str, Any]:
    """`peer` (inode, when connected) and `name` (bytes, when bound)."""
    if inode in _known:
        return _known[inode]
    request = _UNIX_REQ.pack(socket.AF_UNIX, 0, 0, 0xFFFFFFFF, inode, UDIAG_SHOW_NAME | UDIAG_SHOW_PEER,
                             _NO_COOKIE, _NO_COOKIE)  # fmt: skip
    for answer in _ask(request, dump=False):
        if len(answer) < _UNIX_MSG.size or _UNIX_MSG.unpack_from(answer)[4] != inode:
            continue
        attributes = _attributes(answer, _UNIX_MSG.size)
        details: dict[str, Any] = {}
        peer = attributes.get(UNIX_DIAG_PEER)
        if peer is not None and len(peer) >= 4 and struct.unpack_from("=I", peer)[0]:
            details["peer"] = struct.unpack_from("=I", peer)[0]
        name = attributes.get(UNIX_DIAG_NAME)
        if name:
            details["name"] = name
        return _remembered(inode, details)
    return {}


def netlink_details(inode: int) -> dict[str, Any]:
    """`protocol` and `portid` of a bound netlink socket (an unbound one is
    not in the kernel's tables: nothing)."""
    if inode in _known:
        return _known[inode]
    request = _NETLINK_REQ.pack(socket.AF_NETLINK, NDIAG_PROTO_ALL, 0, inode, 0, _NO_COOKIE, _NO_COOKIE)
    for answer in _ask(request, dump=True):
        if len(answer) < _NETLINK_MSG.size:
            continue
        fields = _NETLINK_MSG.unpack_from(answer)
        if fields[7] == inode:
            return _remembered(inode, {"protocol": fields[2], "portid": fields[4]})
    return {}
