"""NETLINK_SOCK_DIAG payloads: the requests and answers of inet, unix,
netlink, packet and smc socket diagnostics."""

from __future__ import annotations

from .netlink_core import NLMSG_DONE, Header, Mem, fields, hexstr, xval


def family_only(mem: Mem, off: int, length: int) -> str:
    """A payload shown by its first byte, an address family, and the rest in hex."""
    raw = mem.get(off, 1)
    if raw is None:
        return mem.addr(off)
    parts = [("family", xval(raw[0], "addrfams", "AF_???"))]
    if length > 1:
        parts.append(("data", hexstr(mem, off + 1, length - 1)))
    return fields(parts)


def sock_diag_payload(mem: Mem, hdr: Header, off: int, length: int) -> str | None:
    if hdr.type == NLMSG_DONE:
        return None
    return family_only(mem, off, length)
