"""Socket addresses on the command line: `unix:/path` and `tcp:HOST:PORT`.

One parser for every place that takes one (`-o`, `--listen`, `atrace tail`,
`atrace.read`), so they accept the same spellings: an IPv6 host is written
in brackets (`tcp:[::1]:9000`), as in URLs, because its colons would
otherwise run into the port's.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from .errors import AtraceError

PREFIXES = ("unix:", "tcp:")


@dataclass(frozen=True, slots=True)
class Address:
    text: str  # as the user wrote it, for messages
    family: socket.AddressFamily
    target: str | tuple[str, int]  # what bind()/connect() take: a path, or (host, port)

    @property
    def path(self) -> str | None:
        """The socket file of a unix address."""
        return self.target if isinstance(self.target, str) else None


def is_address(text: str) -> bool:
    return text.startswith(PREFIXES)


def parse(text: str) -> Address | None:
    """The address `text` names; None when it is not one (a file path).

    Raises AtraceError for a socket address that is malformed."""
    if text.startswith("unix:"):
        path = text[len("unix:") :]
        if not path:
            raise AtraceError(f"bad address '{text}': expected unix:/PATH")
        return Address(text, socket.AF_UNIX, path)
    if not text.startswith("tcp:"):
        return None
    host, _, port = text[len("tcp:") :].rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
        family = socket.AF_INET6
    elif ":" in host:
        raise AtraceError(f"bad address '{text}': write an IPv6 host in brackets, tcp:[{host}]:{port}")
    else:
        family = socket.AF_INET
    if not host or not port.isdigit() or int(port) > 65535:
        raise AtraceError(f"bad address '{text}': expected tcp:HOST:PORT (tcp:[IPV6]:PORT)")
    return Address(text, family, (host, int(port)))
