"""NETLINK_SOCK_DIAG payloads: the requests and answers of unix, netlink
and packet socket diagnostics (by the first byte, an address family; a
request when NLM_F_REQUEST is set), each a struct as a row of data
(`MsgStruct`) followed by its attributes."""

from __future__ import annotations

import struct

from .bpf_filter import format_insn
from .netlink_core import NLM_F_REQUEST, NLMSG_DONE, AttrDecoder, AttrSet, Header, Mem, fields, hexstr, names, xval
from .netlink_misc import char_array
from .netlink_rtattr import ip_proto
from .netlink_tables import XLAT
from .netlink_values import (
    MsgStruct,
    array,
    array_attr,
    bits,
    const,
    cookie,
    dev,
    family_struct,
    fld,
    ifindex,
    inet_addr,
    inet_diag_sockid,
    nla_flags,
    nla_meminfo,
    nla_str,
    nla_uid,
    number_attr,
    struct_attr,
    u,
    u8,
    u32,
    x,
    zero_x,
)

AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET = 1, 2, 10, 16, 17
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
# What strace 6.1's tables (netlink_tables.py) lack for packet_diag's
# attributes (linux/packet_diag.h, linux/if_packet.h).
XLAT.update({
    "packet_diag_attrs": ((0, "PACKET_DIAG_INFO"), (1, "PACKET_DIAG_MCLIST"), (2, "PACKET_DIAG_RX_RING"),
                          (3, "PACKET_DIAG_TX_RING"), (4, "PACKET_DIAG_FANOUT"), (5, "PACKET_DIAG_UID"),
                          (6, "PACKET_DIAG_MEMINFO"), (7, "PACKET_DIAG_FILTER")),
    "packet_versions": ((0, "TPACKET_V1"), (1, "TPACKET_V2"), (2, "TPACKET_V3")),
    "packet_diag_info_flags": ((1, "PDI_RUNNING"), (2, "PDI_AUXDATA"), (4, "PDI_ORIGDEV"), (8, "PDI_VNETHDR"),
                               (16, "PDI_LOSS")),
})  # fmt: skip
_MCLIST = struct.Struct("<IIHH32s")
_PDR = ("pdr_block_size", "pdr_block_nr", "pdr_frame_size", "pdr_frame_nr", "pdr_retire_tmo", "pdr_sizeof_priv",
        "pdr_features")  # fmt: skip


def _mclist_entry(raw: bytes) -> str:
    index, count, kind, alen, address = _MCLIST.unpack(raw)
    shown = "".join(f"\\x{byte:02x}" for byte in address[: min(alen, len(address))])
    return (f"{{pdmc_index={ifindex(index)}, pdmc_count={count}, pdmc_type={kind}, pdmc_alen={alen}, "
            f'pdmc_addr="{shown}"}}')  # fmt: skip


def _mclist(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    return array(_MCLIST.size, _mclist_entry, mem, off, length) if length >= _MCLIST.size else None


def _filter(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    """PACKET_DIAG_FILTER: the socket's classic BPF program."""
    def show(raw: bytes) -> str:
        code, jt, jf, k = struct.unpack("<HBBI", raw)
        return format_insn(code, jt, jf, k, False)

    return array(8, show, mem, off, length) if length >= 8 else None


_PACKET_ATTRS = _attrs("packet_diag_attrs", "PACKET_DIAG_???", {
    "PACKET_DIAG_INFO": struct_attr("<6I", (
        fld("pdi_index", ifindex), fld("pdi_version", const("packet_versions", "TPACKET_???")), fld("pdi_reserve", u),
        fld("pdi_copy_thresh", u), fld("pdi_tstamp", u), fld("pdi_flags", bits("packet_diag_info_flags", "PDI_???")))),
    "PACKET_DIAG_MCLIST": _mclist,
    "PACKET_DIAG_RX_RING": struct_attr("<7I", tuple(fld(name, u) for name in _PDR)),
    "PACKET_DIAG_TX_RING": struct_attr("<7I", tuple(fld(name, u) for name in _PDR)),
    "PACKET_DIAG_FANOUT": u32,
    "PACKET_DIAG_UID": nla_uid,
    "PACKET_DIAG_MEMINFO": nla_meminfo,
    "PACKET_DIAG_FILTER": _filter,
})  # fmt: skip
PACKET_MSG = MsgStruct("pdiag_family", "<BBHIQ", (
    fld("pdiag_type", const("socktypes", "SOCK_???")), fld("pdiag_num", const("ethernet_protocols", "ETH_P_???")),
    fld("pdiag_ino", u), fld("pdiag_cookie", cookie)), _PACKET_ATTRS)

_REQ_ATTRS = _attrs("inet_diag_req_attrs", "INET_DIAG_REQ_???", {
    "INET_DIAG_REQ_PROTOCOL": ip_proto,
    "INET_DIAG_REQ_BYTECODE": lambda mem, off, length, opaque: _bytecode(mem, off, length, opaque),  # below
})
_INET_ATTRS = _attrs("inet_diag_attrs", "INET_DIAG_???", {})


def _inet(family: int) -> tuple[MsgStruct, MsgStruct, MsgStruct]:
    """inet_diag_req_v2, the older inet_diag_req and inet_diag_msg, whose
    socket id prints by the family."""
    sockid = inet_diag_sockid(family)
    ext = bits("inet_diag_extended_flags", "1<<INET_DIAG_???-1")
    states = bits("tcp_state_flags", "1<<TCP_???")
    v2 = MsgStruct("sdiag_family", "<BBBxI48s", (
        fld("sdiag_protocol", const("inet_protocols", "IPPROTO_???")), fld("idiag_ext", ext),
        fld("idiag_states", states), fld("id", sockid)), _REQ_ATTRS)
    compat = MsgStruct("idiag_family", "<BBBB48sII", (
        fld("idiag_src_len", u), fld("idiag_dst_len", u), fld("idiag_ext", ext), fld("id", sockid),
        fld("idiag_states", states), fld("idiag_dbs", u)), _REQ_ATTRS)
    msg = MsgStruct("idiag_family", "<BBBB48sIIIII", (
        fld("idiag_state", const("tcp_states", "TCP_???")), fld("idiag_timer", u), fld("idiag_retrans", u),
        fld("id", sockid), fld("idiag_expires", u), fld("idiag_rqueue", u), fld("idiag_wqueue", u),
        fld("idiag_uid", u), fld("idiag_inode", u)), _INET_ATTRS)
    return v2, compat, msg


_INET = {family: _inet(family) for family in (AF_INET, AF_INET6)}
TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK = 18, 19



def sock_diag_payload(mem: Mem, hdr: Header, off: int, length: int) -> str | None:
    if hdr.type == NLMSG_DONE:
        return None
    raw = mem.get(off, 1)
    if raw is None:
        return mem.addr(off)
    inet = _INET.get(raw[0])
    if inet is not None and length > 1:
        old_request = hdr.type in (TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK)
        spec = (inet[1] if old_request else inet[0]) if hdr.flags & NLM_F_REQUEST else inet[2]
        return family_struct(spec, mem, off, length, raw[0])
    specs = DIAG_MESSAGES.get(raw[0])
    if specs is None or length <= 1:
        return family_only(mem, off, length)
    spec = specs[0] if hdr.flags & NLM_F_REQUEST else specs[1]
    return family_struct(spec, mem, off, length, raw[0])


def _code(name: str) -> int:
    return next(value for value, text in XLAT["inet_diag_bytecodes"] if text == name)


def _bc_op(raw: bytes) -> str:
    return (f"{{code={xval(raw[0], 'inet_diag_bytecodes', 'INET_DIAG_BC_???')}, yes={raw[1]}, "
            f"no={int.from_bytes(raw[2:4], 'little')}}}")  # fmt: skip


def _hostcond(mem: Mem, off: int, length: int) -> str:
    """struct inet_diag_hostcond, then the address of its family."""
    if length < 8:
        return hexstr(mem, off, length)
    raw = mem.get(off, 8)
    if raw is None:
        return mem.addr(off)
    family, prefix_len, port = raw[0], raw[1], int.from_bytes(raw[4:8], "little", signed=True)
    text = f"{{family={xval(family, 'addrfams', 'AF_???')}, prefix_len={prefix_len}, port={port}"
    if length > 8:
        size = {AF_INET: 4, AF_INET6: 16}.get(family, 0)
        rest = length - 8
        address = mem.get(off + 8, size) if size and rest >= size else None
        if not size or rest < size:
            text += f", addr={hexstr(mem, off + 8, rest)}"
        else:
            text += ", " + (f"addr={mem.addr(off + 8)}" if address is None else inet_addr("addr", address, family))
    return text + "}"


def _bytecode_data(mem: Mem, off: int, length: int, code: int) -> str:
    if code in (_code("INET_DIAG_BC_S_COND"), _code("INET_DIAG_BC_D_COND")):
        return _hostcond(mem, off, length)
    if code == _code("INET_DIAG_BC_DEV_COND") and length >= 4:
        value = mem.unpack("<I", off)
        return mem.addr(off) if value is None else ifindex(value[0])
    if code in {_code(name) for name in ("INET_DIAG_BC_S_GE", "INET_DIAG_BC_S_LE", "INET_DIAG_BC_D_GE",
                                         "INET_DIAG_BC_D_LE")} and length >= 4:  # fmt: skip
        raw = mem.get(off, 4)
        return mem.addr(off) if raw is None else _bc_op(raw)
    if code == _code("INET_DIAG_BC_MARK_COND") and length >= 8:
        values = mem.unpack("<II", off)
        return mem.addr(off) if values is None else f"{{mark={values[0]}, mask={values[1]}}}"
    return hexstr(mem, off, length)


def _bytecode(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    """INET_DIAG_REQ_BYTECODE: an operation, then the data its code takes."""
    if length < 4:
        return None
    raw = mem.get(off, 4)
    if raw is None:
        return mem.addr(off)
    text = _bc_op(raw)
    return f"{text}, {_bytecode_data(mem, off + 4, length - 4, raw[0])}" if length > 4 else text


def _cursor(raw: bytes) -> str:
    reserved, wrap, count = struct.unpack("<HHI", raw)
    return f"{{reserved={reserved}, wrap={wrap}, count={count}}}"


def _conninfo(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    """struct smc_diag_conninfo: sizes, seven cursors and four flag bytes."""
    if length < 76:
        return None
    raw = mem.get(off, 76)
    if raw is None:
        return mem.addr(off)
    sizes = struct.unpack_from("<4I", raw)
    parts = [f"{name}={value}" for name, value in zip(("token", "sndbuf_size", "rmbe_size", "peer_rmbe_size"),
                                                      sizes, strict=True)]  # fmt: skip
    parts += [f"{name}={_cursor(raw[16 + 8 * i : 24 + 8 * i])}"
              for i, name in enumerate(("rx_prod", "rx_cons", "tx_prod", "tx_cons"))]  # fmt: skip
    parts += [f"{name}={zero_x(2)(raw[48 + i])}" for i, name in enumerate(
        ("rx_prod_flags", "rx_conn_state_flags", "tx_prod_flags", "tx_conn_state_flags"))]  # fmt: skip
    parts += [f"{name}={_cursor(raw[52 + 8 * i : 60 + 8 * i])}" for i, name in enumerate(("tx_prep", "tx_sent",
                                                                                          "tx_fin"))]  # fmt: skip
    return "{" + ", ".join(parts) + "}"


def _lgrinfo(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    """struct smc_diag_lgrinfo: one link's names and GIDs, then the role."""
    if length < 147:
        return None
    raw = mem.get(off, 147)
    if raw is None:
        return mem.addr(off)
    link = (f"{{link_id={raw[0]}, ibname={char_array(raw[1:65])}, ibport={raw[65]}, gid={char_array(raw[66:106])}, "
            f"peer_gid={char_array(raw[106:146])}}}")  # fmt: skip
    return f"{{lnk=[{link}], role={xval(raw[146], 'smc_link_group_roles', 'SMC_???')}}}"


def _decl_code(value: int) -> str:
    """SMC_CLC_DECL_* always with its number (strace prints these verbose)."""
    return f"{hex(value) if value else 0} /* {names('smc_decl_codes').get(value, 'SMC_CLC_DECL_???')} */"


_SMC_ATTRS = _attrs("smc_diag_attrs", "SMC_DIAG_???", {
    "SMC_DIAG_CONNINFO": _conninfo,
    "SMC_DIAG_LGRINFO": _lgrinfo,
    "SMC_DIAG_SHUTDOWN": nla_flags(("sock_shutdown_flags",), "???_SHUTDOWN", size=1),
    "SMC_DIAG_DMBINFO": struct_attr("<I4xQQQQ", (fld("linkid", u), fld("peer_gid", x), fld("my_gid", x),
                                                 fld("token", x), fld("peer_token", x))),
    "SMC_DIAG_FALLBACK": struct_attr("<II", (fld("reason", _decl_code), fld("peer_diagnosis", _decl_code))),
})  # fmt: skip


AF_SMC = 43
_SMC_SOCKID = inet_diag_sockid(AF_INET)
SMC_REQ = MsgStruct("diag_family", "<BxxB48s", (
    fld("diag_ext", bits("smc_diag_extended_flags", "1<<SMC_DIAG_???-1")), fld("id", _SMC_SOCKID)), None)
SMC_MSG = MsgStruct("diag_family", "<BBBB48sIQ", (
    fld("diag_state", const("smc_states", "SMC_???")),
    fld("diag_fallback", const("smc_diag_mode", "SMC_DIAG_MODE_???")),
    fld("diag_shutdown", u), fld("id", _SMC_SOCKID), fld("diag_uid", u), fld("diag_inode", u)),
    _SMC_ATTRS)

# (request, answer) by address family.
DIAG_MESSAGES: dict[int, tuple[MsgStruct, MsgStruct]] = {
    AF_SMC: (SMC_REQ, SMC_MSG),
    AF_UNIX: (UNIX_REQ, UNIX_MSG),
    AF_NETLINK: (NETLINK_REQ, NETLINK_MSG),
    AF_PACKET: (PACKET_REQ, PACKET_MSG),
}
