"""NETLINK_ROUTE (rtnetlink) payloads: links, addresses, routes, neighbours,
rules, traffic control... each a fixed struct that starts with an address
family, followed by attributes.

Every message struct is one `RtStruct` row of data (its layout, how each
field prints, its attribute set); `route_payload` prints any of them the
way strace does: the family first; the rest of the struct only when the
payload holds all of it (else `...`); the attributes after the struct.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass

from .netlink import (
    NLMSG_DONE,
    AttrDecoder,
    AttrSet,
    Header,
    Mem,
    align4,
    hexstr,
    nla_str,
    nlattrs,
    s32,
    u8,
    u16,
    u32,
    u64,
    xflags,
    xval,
)
from .netlink_diag import family_only
from .netlink_tables import XLAT
from .quoting import quote


def ifindex(value: int) -> str:
    """An interface index by its name on this machine, as strace shows one."""
    try:
        name = socket.if_indextoname(value)
    except OSError:
        return str(value)
    return f"if_nametoindex({quote(name.encode(), len(name))})"


Printer = Callable[[int], str]


def u(value: int) -> str:
    return str(value)


def x(value: int) -> str:
    return hex(value) if value else "0"


def const(table: str, dflt: str | None) -> Printer:
    """A constant; with no default an unknown one is the bare number."""
    return lambda value: xval(value, table, dflt)


def bits(table: str, dflt: str) -> Printer:
    def show(value: int) -> str:
        return xflags(value, (table,), dflt)

    return show


# A field: its name, how it prints, and whether it shows only when not zero.
Field = tuple[str, Printer, bool]


@dataclass(frozen=True, slots=True)
class RtStruct:
    """A message struct after its first byte (the family): the struct
    module layout of the whole struct, the printed fields in layout order
    (None for padding nobody prints), and the attributes that follow."""

    family_field: str
    layout: str
    fields: tuple[Field | None, ...]
    attrs: AttrSet | None
    # Structs of one byte (rtgenmsg, netconfmsg): always followed by the
    # attributes, even when nothing else is there.
    family_only: bool = False
    family_text: Printer | None = None
    # Attributes that depend on the family (None: in hex).
    attrs_by_family: Callable[[int], AttrSet | None] | None = None

    @property
    def size(self) -> int:
        return struct.calcsize(self.layout)


def _f(name: str, show: Printer, when_set: bool = False) -> Field:
    return (name, show, when_set)


def _attrs(table: str, dflt: str, decoders: dict[str, AttrDecoder] | None = None) -> AttrSet:
    """An attribute set; its decoders are given by attribute name."""
    by_value = {value: name for value, name in XLAT[table]}
    known = {value: decoders[name] for value, name in by_value.items() if decoders and name in decoders}
    return AttrSet(table, dflt, known or None)


def nla_ifindex(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    if length < 4:
        return None
    value = mem.unpack("<I", off)
    return mem.addr(off) if value is None else ifindex(value[0])


# The attributes whose data is a plain number or string (strace's
# decode_nla_u32, decode_nla_str...); the others print in hex.
_LINK_ATTRS: dict[str, AttrDecoder] = {
    **dict.fromkeys(("IFLA_IFNAME", "IFLA_QDISC", "IFLA_IFALIAS", "IFLA_PHYS_PORT_NAME", "IFLA_ALT_IFNAME",
                     "IFLA_PARENT_DEV_NAME", "IFLA_PARENT_DEV_BUS_NAME"), nla_str),
    **dict.fromkeys(("IFLA_MTU", "IFLA_LINK", "IFLA_MASTER", "IFLA_TXQLEN", "IFLA_WEIGHT", "IFLA_NET_NS_PID",
                     "IFLA_NUM_VF", "IFLA_GROUP", "IFLA_PROMISCUITY", "IFLA_NUM_TX_QUEUES", "IFLA_NUM_RX_QUEUES",
                     "IFLA_CARRIER_CHANGES", "IFLA_GSO_MAX_SEGS", "IFLA_GSO_MAX_SIZE", "IFLA_CARRIER_UP_COUNT",
                     "IFLA_CARRIER_DOWN_COUNT", "IFLA_MIN_MTU", "IFLA_MAX_MTU", "IFLA_GRO_MAX_SIZE",
                     "IFLA_TSO_MAX_SIZE", "IFLA_TSO_MAX_SEGS", "IFLA_ALLMULTI"), u32),
    **dict.fromkeys(("IFLA_OPERSTATE", "IFLA_LINKMODE", "IFLA_CARRIER", "IFLA_PROTO_DOWN"), u8),
    **dict.fromkeys(("IFLA_LINK_NETNSID", "IFLA_NEW_NETNSID", "IFLA_IF_NETNSID"), s32),
    "IFLA_NEW_IFINDEX": nla_ifindex,
}  # fmt: skip
_ADDR_ATTRS: dict[str, AttrDecoder] = {"IFA_LABEL": nla_str, "IFA_RT_PRIORITY": u32, "IFA_TARGET_NETNSID": s32}
_ROUTE_ATTRS: dict[str, AttrDecoder] = {
    **dict.fromkeys(("RTA_IIF", "RTA_OIF"), nla_ifindex),
    **dict.fromkeys(("RTA_PRIORITY", "RTA_PROTOINFO", "RTA_FLOW", "RTA_MP_ALGO", "RTA_MARK", "RTA_UID"), u32),
    **dict.fromkeys(("RTA_PREF", "RTA_TTL_PROPAGATE", "RTA_IP_PROTO"), u8),
    **dict.fromkeys(("RTA_SPORT", "RTA_DPORT"), u16),
    "RTA_EXPIRES": u64,
}  # fmt: skip


FAMILY: Printer = const("addrfams", "AF_???")
IFINDEX: Printer = ifindex

IFINFOMSG = RtStruct("ifi_family", "<BxHiII", (
    _f("ifi_type", const("arp_hardware_types", "ARPHRD_???")), _f("ifi_index", IFINDEX),
    _f("ifi_flags", bits("iffflags", "IFF_???")), _f("ifi_change", x)),
    _attrs("rtnl_link_attrs", "IFLA_???", _LINK_ATTRS))
IFADDRMSG = RtStruct("ifa_family", "<BBBBI", (
    _f("ifa_prefixlen", u), _f("ifa_flags", bits("ifaddrflags", "IFA_F_???")),
    _f("ifa_scope", const("routing_scopes", None)), _f("ifa_index", IFINDEX)),
    _attrs("rtnl_addr_attrs", "IFA_???", _ADDR_ATTRS))
IFADDRLBLMSG = RtStruct("ifal_family", "<BxBBII", (
    _f("ifal_prefixlen", u), _f("ifal_flags", u), _f("ifal_index", IFINDEX), _f("ifal_seq", u)),
    _attrs("rtnl_addrlabel_attrs", "IFAL_???"))
DCBMSG = RtStruct("dcb_family", "<BBH", (_f("cmd", const("dcb_commands", "DCB_CMD_???")), None),
                  _attrs("rtnl_dcb_attrs", "DCB_ATTR_???"))
BR_PORT_MSG = RtStruct("family", "<BxxxI", (_f("ifindex", IFINDEX),), _attrs("rtnl_mdb_attrs", "MDBA_???"))
NDMSG = RtStruct("ndm_family", "<BxHiHBB", (
    None, _f("ndm_ifindex", IFINDEX), _f("ndm_state", bits("neighbor_cache_entry_states", "NUD_???")),
    _f("ndm_flags", bits("neighbor_cache_entry_flags", "NTF_???")),
    _f("ndm_type", const("routing_types", "RTN_???"))), _attrs("rtnl_neigh_attrs", "NDA_???"))
NDTMSG = RtStruct("ndtm_family", "<Bxxx", (), _attrs("rtnl_neightbl_attrs", "NDTA_???"), family_only=True)
NETCONFMSG = RtStruct("ncm_family", "<B", (), _attrs("rtnl_netconf_attrs", "NETCONFA_???"), family_only=True)
NHMSG = RtStruct("nh_family", "<BBBBI", (
    _f("nh_scope", const("routing_scopes", None)), _f("nh_protocol", const("routing_protocols", "RTPROT_???")),
    _f("resvd", x, True), _f("nh_flags", bits("route_nexthop_flags", "RTNH_F_???"))),
    _attrs("rtnl_nexthop_attrs", "NHA_???"))
NSID = RtStruct("rtgen_family", "<B", (), _attrs("rtnl_nsid_attrs", "NETNSA_???"), family_only=True)
RTMSG = RtStruct("rtm_family", "<BBBBBBBBI", (
    _f("rtm_dst_len", u), _f("rtm_src_len", u), _f("rtm_tos", bits("ip_type_of_services", "IPTOS_TOS_???")),
    _f("rtm_table", const("routing_table_ids", None)),
    _f("rtm_protocol", const("routing_protocols", "RTPROT_???")),
    _f("rtm_scope", const("routing_scopes", None)), _f("rtm_type", const("routing_types", "RTN_???")),
    _f("rtm_flags", bits("routing_flags", "RTM_F_???"))), _attrs("rtnl_route_attrs", "RTA_???", _ROUTE_ATTRS))
FIB_RULE_HDR = RtStruct("family", "<BBBBBBBBI", (
    _f("dst_len", u), _f("src_len", u), _f("tos", bits("ip_type_of_services", "IPTOS_TOS_???")),
    _f("table", const("routing_table_ids", "RT_TABLE_???")), None, None,
    _f("action", const("fib_rule_actions", "FR_ACT_???")), _f("flags", bits("fib_rule_flags", "FIB_RULE_???"))),
    _attrs("rtnl_rule_attrs", "FRA_???"))
IF_STATS_MSG = RtStruct("family", "<BBHII", (
    _f("pad1", x, True), _f("pad2", x, True), _f("ifindex", IFINDEX),
    _f("filter_mask", bits("ifstats_attr_flags", "1<<IFLA_STATS_???"))), _attrs("ifstats_attrs", "IFLA_STATS_???"))
TCMSG = RtStruct("tcm_family", "<BxxxiIII", (
    _f("tcm_ifindex", IFINDEX), _f("tcm_handle", u), _f("tcm_parent", u), _f("tcm_info", u)),
    _attrs("rtnl_tc_attrs", "TCA_???"))
TCAMSG = RtStruct("tca_family", "<Bxxx", (), _attrs("rtnl_tc_action_attrs", "TCA_ACT_???"), family_only=True)
RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR = 128, 129
_CREPORT_ATTRS = {
    RTNL_FAMILY_IPMR: _attrs("rtnl_ipmra_creport_attr", "IPMRA_CREPORT_???"),
    RTNL_FAMILY_IP6MR: _attrs("rtnl_ip6mra_creport_attr", "IP6MRA_CREPORT_???"),
}


def _rtnl_family(value: int) -> str:
    """RTNL_FAMILY_* first, then AF_* (one byte that may be either)."""
    return xval(value, "rtnl_family", None) if value in (RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR) else \
        xval(value, "addrfams", "RTNL_FAMILY_???")  # fmt: skip


CACHEREPORT = RtStruct("rtgen_family", "<B", (), None, family_only=True, family_text=_rtnl_family,
                       attrs_by_family=_CREPORT_ATTRS.get)

# By message type (RTM_*): new, delete, get (and set) of each object.
ROUTE_MESSAGES: dict[int, RtStruct] = {
    **dict.fromkeys((16, 17, 18, 19), IFINFOMSG),
    **dict.fromkeys((20, 21, 22, 58, 62), IFADDRMSG),  # with RTM_GETMULTICAST, RTM_GETANYCAST
    **dict.fromkeys((24, 25, 26), RTMSG),
    **dict.fromkeys((28, 29), NDMSG),
    **dict.fromkeys((32, 33, 34), FIB_RULE_HDR),
    **dict.fromkeys((36, 37, 38, 40, 41, 42, 44, 45, 46, 100, 101, 102), TCMSG),
    **dict.fromkeys((48, 49, 50), TCAMSG),
    **dict.fromkeys((64, 66, 67), NDTMSG),
    **dict.fromkeys((72, 73, 74), IFADDRLBLMSG),
    **dict.fromkeys((78, 79), DCBMSG),
    **dict.fromkeys((80, 81, 82), NETCONFMSG),
    **dict.fromkeys((84, 85, 86), BR_PORT_MSG),
    **dict.fromkeys((88, 89, 90), NSID),
    **dict.fromkeys((92, 94), IF_STATS_MSG),
    **dict.fromkeys((104, 105, 106), NHMSG),
    96: CACHEREPORT,
}  # fmt: skip
RTM_GETNEIGH, AF_BRIDGE = 30, 7


def rt_struct(spec: RtStruct, mem: Mem, off: int, length: int, family: int) -> str:
    parts = [(spec.family_field, (spec.family_text or FAMILY)(family))]
    attrs_ok = spec.family_only
    if not spec.family_only:
        if length < spec.size:
            parts.append(("", "..."))
        else:
            values = mem.unpack(spec.layout, off)
            if values is None:
                parts.append(("", mem.addr(off + 1)))
            else:
                for field, value in zip(spec.fields, values[1:], strict=False):
                    if field is not None and not (field[2] and not value):
                        parts.append((field[0], field[1](value)))
                attrs_ok = True
    head = "{" + ", ".join(f"{k}={v}" if k else v for k, v in parts) + "}"
    start = align4(spec.size)
    if not attrs_ok or length <= start:
        return head
    if spec.attrs_by_family is not None:
        attrs = spec.attrs_by_family(family)
        if attrs is None:
            return f"{head}, {hexstr(mem, off + start, length - start)}"
        return f"{head}, {nlattrs(mem, off + start, length - start, attrs)}"
    if spec.attrs is not None:
        return f"{head}, {nlattrs(mem, off + start, length - start, spec.attrs)}"
    return head


def route_payload(mem: Mem, hdr: Header, off: int, length: int) -> str | None:
    if hdr.type == NLMSG_DONE:
        return None
    raw = mem.get(off, 1)
    if raw is None:
        return mem.addr(off)
    family = raw[0]
    spec = ROUTE_MESSAGES.get(hdr.type)
    if hdr.type == RTM_GETNEIGH:
        spec = IFINFOMSG if family == AF_BRIDGE else NDMSG
    if spec is None:
        return family_only(mem, off, length)
    return rt_struct(spec, mem, off, length, family)

