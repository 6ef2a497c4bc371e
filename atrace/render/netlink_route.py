"""NETLINK_ROUTE (rtnetlink) payloads: links, addresses, routes, neighbours,
rules, traffic control... each a fixed struct followed by attributes."""

from __future__ import annotations

from .netlink import Header, Mem
from .netlink_diag import family_only


def route_payload(mem: Mem, hdr: Header, off: int, length: int) -> str | None:
    return family_only(mem, off, length)
