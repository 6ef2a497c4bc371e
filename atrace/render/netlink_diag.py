"""NETLINK_SOCK_DIAG payloads: the requests and answers of unix, netlink
and packet socket diagnostics (by the first byte, an address family; a
request when NLM_F_REQUEST is set), each a struct as a row of data
(`MsgStruct`) followed by its attributes."""

from __future__ import annotations

from .netlink_core import NLM_F_REQUEST, NLMSG_DONE, AttrDecoder, AttrSet, Header, Mem, fields, hexstr, xval
from .netlink_tables import XLAT
from .netlink_values import (
    MsgStruct,
    array_attr,
    bits,
    const,
    cookie,
    dev,
    family_struct,
    fld,
    nla_meminfo,
    nla_str,
    nla_uid,
    number_attr,
    struct_attr,
    u,
    u8,
    u32,
    x,
)

AF_UNIX, AF_NETLINK, AF_PACKET = 1, 16, 17
NDIAG_PROTO_ALL = 0xFF


def family_only(mem: Mem, off: int, length: int) -> str:
    """A payload shown by its first byte, an address family, and the rest in hex."""
    raw = mem.get(off, 1)
    if raw is None:
        return mem.addr(off)
    parts = [("family", xval(raw[0], "addrfams", "AF_???"))]
    if length > 1:
        parts.append(("data", hexstr(mem, off + 1, length - 1)))
    return fields(parts)


def _attrs(table: str, dflt: str, decoders: dict[str, AttrDecoder]) -> AttrSet:
    known = {value: decoders[name] for value, name in XLAT[table] if name in decoders}
    return AttrSet(table, dflt, known)


def _ndiag_protocol(value: int) -> str:
    return "NDIAG_PROTO_ALL" if value == NDIAG_PROTO_ALL else xval(value, "netlink_protocols", "NETLINK_???")


_UNIX_ATTRS = _attrs("unix_diag_attrs", "UNIX_DIAG_???", {
    "UNIX_DIAG_NAME": nla_str,
    # struct unix_diag_vfs holds the inode first; strace prints the device first.
    "UNIX_DIAG_VFS": struct_attr("<II", (fld("udiag_vfs_dev", dev), fld("udiag_vfs_ino", u)), order=(1, 0)),
    "UNIX_DIAG_PEER": u32,
    "UNIX_DIAG_ICONS": array_attr("<I", lambda v: str(v[0])),
    "UNIX_DIAG_RQLEN": struct_attr("<II", (fld("udiag_rqueue", u), fld("udiag_wqueue", u))),
    "UNIX_DIAG_MEMINFO": nla_meminfo,
    "UNIX_DIAG_SHUTDOWN": u8,
    "UNIX_DIAG_UID": nla_uid,
})
_RING = ("ndr_block_size", "ndr_block_nr", "ndr_frame_size", "ndr_frame_nr")
_NETLINK_ATTRS = _attrs("netlink_diag_attrs", "NETLINK_DIAG_???", {
    "NETLINK_DIAG_MEMINFO": nla_meminfo,
    "NETLINK_DIAG_GROUPS": array_attr("<Q", lambda v: hex(v[0]) if v[0] else "0"),
    "NETLINK_DIAG_RX_RING": struct_attr("<4I", tuple(fld(name, u) for name in _RING)),
    "NETLINK_DIAG_TX_RING": struct_attr("<4I", tuple(fld(name, u) for name in _RING)),
    "NETLINK_DIAG_FLAGS": number_attr("<I", bits("netlink_socket_flags", "NDIAG_FLAG_???")),
})  # fmt: skip

UNIX_REQ = MsgStruct("sdiag_family", "<BBxxIIIQ", (
    fld("sdiag_protocol", u), fld("udiag_states", bits("tcp_state_flags", "1<<TCP_???")), fld("udiag_ino", u),
    fld("udiag_show", bits("unix_diag_show", "UDIAG_SHOW_???")), fld("udiag_cookie", cookie)), None)
UNIX_MSG = MsgStruct("udiag_family", "<BBBxIQ", (
    fld("udiag_type", const("socktypes", "SOCK_???")), fld("udiag_state", const("tcp_states", "TCP_???")),
    fld("udiag_ino", u), fld("udiag_cookie", cookie)), _UNIX_ATTRS)
NETLINK_REQ = MsgStruct("sdiag_family", "<BBxxIIQ", (
    fld("sdiag_protocol", _ndiag_protocol), fld("ndiag_ino", u),
    fld("ndiag_show", bits("netlink_diag_show", "NDIAG_SHOW_???")), fld("ndiag_cookie", cookie)), None)
NETLINK_MSG = MsgStruct("ndiag_family", "<BBBBIIIIQ", (
    fld("ndiag_type", const("socktypes", "SOCK_???")), fld("ndiag_protocol", const("netlink_protocols", "NETLINK_???")),
    fld("ndiag_state", const("netlink_states", "NETLINK_???")), fld("ndiag_portid", u), fld("ndiag_dst_portid", u),
    fld("ndiag_dst_group", u), fld("ndiag_ino", u), fld("ndiag_cookie", cookie)), _NETLINK_ATTRS)
PACKET_REQ = MsgStruct("sdiag_family", "<BBxxIIQ", (
    fld("sdiag_protocol", x), fld("pdiag_ino", u), fld("pdiag_show", bits("packet_diag_show", "PACKET_SHOW_???")),
    fld("pdiag_cookie", cookie)), None)
PACKET_MSG = MsgStruct("pdiag_family", "<BBHIQ", (
    fld("pdiag_type", const("socktypes", "SOCK_???")), fld("pdiag_num", const("ethernet_protocols", "ETH_P_???")),
    fld("pdiag_ino", u), fld("pdiag_cookie", cookie)), None)

# (request, answer) by address family.
DIAG_MESSAGES: dict[int, tuple[MsgStruct, MsgStruct]] = {
    AF_UNIX: (UNIX_REQ, UNIX_MSG),
    AF_NETLINK: (NETLINK_REQ, NETLINK_MSG),
    AF_PACKET: (PACKET_REQ, PACKET_MSG),
}


def sock_diag_payload(mem: Mem, hdr: Header, off: int, length: int) -> str | None:
    if hdr.type == NLMSG_DONE:
        return None
    raw = mem.get(off, 1)
    if raw is None:
        return mem.addr(off)
    specs = DIAG_MESSAGES.get(raw[0])
    if specs is None or length <= 1:
        return family_only(mem, off, length)
    spec = specs[0] if hdr.flags & NLM_F_REQUEST else specs[1]
    return family_struct(spec, mem, off, length, raw[0])
