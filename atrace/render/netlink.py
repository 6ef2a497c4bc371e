"""Netlink messages as strace prints them: the message list, struct
nlmsghdr (its type and flags named by the socket's protocol), NLMSG_ERROR's
struct nlmsgerr, and each protocol's payload decoder (PROTOCOLS)."""

from __future__ import annotations

import errno
import struct

from .names import errno_name
from .netlink_core import (
    NLM_F_CAPPED,
    NLMSG_DONE,
    NLMSG_ERROR,
    NLMSG_HDRLEN,
    NLMSG_MIN_TYPE,
    AttrSet,
    Header,
    Mem,
    Protocol,
    current_style,
    hexstr,
    nlattrs,
    tlv_list,
    xflags,
    xval,
)
from .netlink_diag import sock_diag_payload
from .netlink_misc import crypto_payload, genl_type, kobject_uevent, selinux_payload
from .netlink_netfilter import netfilter_flags, netfilter_payload, netfilter_type
from .netlink_route import route_payload
from .netlink_values import array, nla_str, u32

_HDR = struct.Struct("<IHHII")
NETLINK_KOBJECT_UEVENT = 15


# -- nlmsghdr and the message list ------------------------------------

# -- the protocols -----------------------------------------------------

NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_XFRM, NETLINK_SELINUX, NETLINK_AUDIT = 0, 4, 6, 7, 9
NETLINK_NETFILTER, NETLINK_GENERIC, NETLINK_CRYPTO = 12, 16, 21

_NEW, _DEL, _GET = "netlink_new_flags", "netlink_delete_flags", "netlink_get_flags"
RTM_DELACTION = 49


def _route_flags(kind: int) -> str | None:
    # New, delete and get messages alternate in fours from RTM_BASE (16);
    # RTM_DELACTION takes the get flags (NLM_F_ROOT).
    if kind == RTM_DELACTION:
        return _GET
    return (_NEW, _DEL, _GET, None)[kind & 3]


# XFRM's new, delete and get messages by type.
_XFRM_FLAGS = {16: _NEW, 26: _NEW, 30: _NEW, 34: _NEW, 36: _NEW, 17: _DEL, 20: _DEL, 18: _GET, 21: _GET,
               31: _GET, 35: _GET, 37: _GET}  # fmt: skip
# CRYPTO_MSG_NEWALG, DELALG, DELRNG, GETALG.
_CRYPTO_FLAGS = {0x10: _NEW, 0x11: _DEL, 0x14: _DEL, 0x13: _GET}

PROTOCOLS: dict[int, Protocol] = {
    NETLINK_ROUTE: Protocol("nl_route_types", "RTM_???", _route_flags, route_payload),
    NETLINK_SOCK_DIAG: Protocol("nl_sock_diag_types", "SOCK_DIAG_???", lambda _kind: _GET, sock_diag_payload),
    NETLINK_XFRM: Protocol("nl_xfrm_types", "XFRM_MSG_???", _XFRM_FLAGS.get),
    NETLINK_SELINUX: Protocol("nl_selinux_types", "SELNL_MSG_???", payload=selinux_payload),
    NETLINK_GENERIC: Protocol(None, "GENERIC_FAMILY_???", type_text=genl_type),
    NETLINK_AUDIT: Protocol("nl_audit_types", "AUDIT_???"),
    NETLINK_NETFILTER: Protocol("nl_netfilter_subsys_ids", "NFNL_SUBSYS_???", netfilter_flags, netfilter_payload,
                                netfilter_type),
    NETLINK_CRYPTO: Protocol("nl_crypto_types", "CRYPTO_MSG_???", _CRYPTO_FLAGS.get, crypto_payload),
}  # fmt: skip


def _type_text(mem: Mem, kind: int) -> str:
    protocol = PROTOCOLS.get(mem.protocol)
    if kind < NLMSG_MIN_TYPE or protocol is None:
        return xval(kind, "netlink_types", "NLMSG_???")
    if protocol.type_text is not None:
        return protocol.type_text(kind)
    return xval(kind, protocol.types, protocol.type_dflt)


def _flags_text(mem: Mem, kind: int, value: int) -> str:
    table: str | None = None
    if kind < NLMSG_MIN_TYPE:
        table = "netlink_ack_flags" if kind == NLMSG_ERROR else None
    else:
        protocol = PROTOCOLS.get(mem.protocol)
        table = protocol.flags_table(kind) if protocol is not None else None
    return xflags(value, ("netlink_flags", table) if table else ("netlink_flags",), "NLM_F_???")


def _signed32(value: int) -> int:
    return value - (1 << 32) if value & 0x80000000 else value


def header_text(mem: Mem, hdr: Header) -> str:
    return (f"{{nlmsg_len={hdr.length}, nlmsg_type={_type_text(mem, hdr.type)}, "
            f"nlmsg_flags={_flags_text(mem, hdr.type, hdr.flags)}, nlmsg_seq={hdr.seq}, "
            f"nlmsg_pid={_signed32(hdr.pid)}}}")  # fmt: skip


NLMSGERR_ATTRS = AttrSet("nlmsgerr_attrs", "NLMSGERR_ATTR_???", {
    1: nla_str,
    2: u32,
    3: lambda mem, off, length, _o: array(1, lambda raw: str(raw[0]), mem, off, length),
})  # fmt: skip


def _nlmsgerr(mem: Mem, off: int, length: int, capped: bool) -> str:
    if length < 20:
        return hexstr(mem, off, length)
    raw = mem.unpack("<i", off)
    inner = mem.unpack(_HDR, off + 4)
    if raw is None or inner is None:
        return mem.addr(off)
    error = raw[0]
    off += 4
    length -= 4
    hdr = Header(*inner)
    inner_len = max(NLMSG_HDRLEN, hdr.length)
    payload = min(length, NLMSG_HDRLEN if capped else inner_len)
    err_text = _errno_text(error)
    body = f"{{error={err_text}, msg={_with_payload(mem, hdr, off, payload)}}}"
    if length > payload:
        return f"[{body}, {nlattrs(mem, off + payload, length - payload, NLMSGERR_ATTRS)}]"
    return body


def _errno_text(error: int) -> str:
    """A negated errno (strace's PRINT_FIELD_ERR_D): -EACCES."""
    if error < 0 and -error in errno.errorcode:
        style, name = current_style(), "-" + errno_name(-error)
        return name if style == "abbrev" else str(error) if style == "raw" else f"{error} /* {name} */"
    return str(error)


def _payload(mem: Mem, hdr: Header, off: int, length: int) -> str:
    if hdr.type == NLMSG_ERROR:
        return _nlmsgerr(mem, off, length, bool(hdr.flags & NLM_F_CAPPED))
    protocol = PROTOCOLS.get(mem.protocol)
    if (hdr.type >= NLMSG_MIN_TYPE or hdr.type == NLMSG_DONE) and protocol is not None and protocol.payload:
        shown = protocol.payload(mem, hdr, off, length)
        if shown is not None:
            return shown
    if hdr.type == NLMSG_DONE and length == 4:
        value = mem.unpack("<i", off)
        return mem.addr(off) if value is None else str(value[0])
    return hexstr(mem, off, length)


def _with_payload(mem: Mem, hdr: Header, off: int, length: int) -> str:
    size = min(hdr.length, length)
    head = header_text(mem, hdr)
    if size <= NLMSG_HDRLEN:
        return head
    return f"[{head}, {_payload(mem, hdr, off + NLMSG_HDRLEN, size - NLMSG_HDRLEN)}]"


def messages(mem: Mem, off: int, length: int) -> str:
    """The netlink messages in a buffer (strace's decode_netlink)."""
    return tlv_list(mem, off, length, _HDR, lambda head, at, left: _with_payload(mem, Header(*head), at, left))


def decode_buffer(protocol: int, data: bytes | None, addr: int, length: int, limit: int, hex_mode: int = 0,
                  abbrev: bool = True) -> str:  # fmt: skip
    """What strace prints for a buffer sent or received on a netlink socket
    (`limit`: -s; `hex_mode`: -x/-xx; `abbrev`: lists cut at -s, not under -v)."""
    mem = Mem(data or b"", addr, limit, protocol, hex_mode, abbrev)
    if protocol == NETLINK_KOBJECT_UEVENT:
        return kobject_uevent(mem, length)
    return messages(mem, 0, length)



def decode_iovecs(protocol: int, buffers: object, lengths: list[int], limit: int, hex_mode: int,
                  total: int | None, abbrev: bool = True) -> str | None:  # fmt: skip
    """A message's iovec array whose buffers hold netlink messages
    (`buffers`: [[iov_base, bytes], ...] as the tracer recorded them;
    `total`: the bytes a receive filled).  None when they do not match the
    message's iovecs."""
    if not isinstance(buffers, list) or len(buffers) != len(lengths):
        return None
    shown = []
    left = total
    for (base, data), length in zip(buffers, lengths, strict=True):
        size = length if left is None else min(length, max(left, 0))
        if left is not None:
            left -= length
        raw = data if isinstance(data, bytes) else None
        text = decode_buffer(protocol, raw, base, size, limit, hex_mode, abbrev) if isinstance(base, int) else "?"
        shown.append(f"{{iov_base={text}, iov_len={length}}}")
    return "[" + ", ".join(shown) + "]"
