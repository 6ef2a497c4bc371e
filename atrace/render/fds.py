"""An fd as -y, -yy and --decode-fds=SET show it: `3</dev/null>`,
`3</dev/null<char 1:3>>`, `5<pid:1234>`, `4<UNIX-STREAM:[5678]>`.

The tracer records what is behind each fd (tracer/fd_paths.py: the path,
and -yy's details); which of it the text shows is the display's choice
(TextOptions.decode_fds), so that a trace recorded for -P alone shows
plain numbers, and `atrace tail` of an -yy trace can show only paths."""

from __future__ import annotations

import re
from typing import Any

from .netlink_tables import XLAT
from .quoting import as_bytes, fd_with_path, quote

_NETLINK_PROTOCOLS = dict(XLAT["netlink_protocols"])

# The inode of a socket's /proc link, `socket:[5678]`.
_SOCKET_INODE = re.compile(rb"^socket:\[(\d+)\]$")


def _socket_text(inode: str, info: dict[str, Any]) -> str:
    """Between a socket's brackets, what sock_diag told (tracer/sock_diag.py):
    `5678->5679,"name"` for unix, `SOCK_DIAG:1234` for a bound netlink
    socket, else the inode alone."""
    protocol, portid = info.get("protocol"), info.get("portid")
    if isinstance(protocol, int) and isinstance(portid, int):
        name = _NETLINK_PROTOCOLS.get(protocol)
        return f"{name.removeprefix('NETLINK_') if name else protocol}:{portid}"
    text = inode
    peer = info.get("peer")
    if isinstance(peer, int):
        text += f"->{peer}"
    bound = as_bytes(info.get("name"))
    if bound:
        abstract = bound[:1] == b"\0"
        raw = bound[1:] if abstract else bound.split(b"\0", 1)[0]
        text += "," + ("@" if abstract else "") + quote(raw, len(raw))
    return text


def fd_text(shown: str, path: Any, details: Any, decode: frozenset[str] | None, *, cwd: bool = False) -> str:
    """`shown` (the fd as a number or AT_FDCWD) with what `decode` asks for
    of its recorded `path` and `details` (None: all that was recorded).
    strace's order: a socket's protocol, else a pidfd's pid, else the path
    (for dev alone, only a device's path), with the device number inside."""
    if path is None:
        return shown
    info = details if isinstance(details, dict) else {}
    wants = (lambda what: True) if decode is None else decode.__contains__
    if cwd:
        return fd_with_path(shown, path) if wants("path") else shown
    raw = path.encode() if isinstance(path, str) else bytes(path)
    protocol = info.get("socket")
    if isinstance(protocol, str) and wants("socket"):
        inode = _SOCKET_INODE.match(raw)
        if inode is not None:
            return f"{shown}<{protocol}:[{_socket_text(inode.group(1).decode(), info)}]>"
    pid = info.get("pid")
    if isinstance(pid, int) and wants("pidfd"):
        return f"{shown}<pid:{pid}>"
    device = info.get("dev")
    has_dev = isinstance(device, str) and wants("dev")
    if not (wants("path") or has_dev):
        return shown
    text = fd_with_path(shown, path)
    if has_dev and text.endswith(">"):
        text = f"{text[:-1]}<{device}>>"
    return text
