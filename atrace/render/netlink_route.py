"""NETLINK_ROUTE (rtnetlink) payloads: links, addresses, routes, neighbours,
rules, traffic control... each a fixed struct that starts with an address
family, followed by attributes.

Every message struct is one `MsgStruct` row (atrace.render.netlink_values) of data (its layout, how each
field prints, its attribute set); `family_struct` prints any of them the
way strace does: the family first; the rest of the struct only when the
payload holds all of it (else `...`); the attributes after the struct.
"""

from __future__ import annotations

from .netlink_core import NLMSG_DONE, AttrDecoder, AttrSet, Header, Mem, xval
from .netlink_diag import family_only
from .netlink_ifstats import IFSTATS_ATTRS
from .netlink_link import LINK_DECODERS
from .netlink_rtattr import MDB_ATTRS, NEIGH_ATTRS, NEIGHTBL_ATTRS, NEXTHOP_ATTRS, RULE_ATTRS, attr_set, route_attrs
from .netlink_tables import XLAT
from .netlink_tc import TC_ACTION_ATTRS, TC_ATTRS
from .netlink_values import (
    MsgStruct,
    Printer,
    bits,
    const,
    family_struct,
    ifindex,
    nla_family_addr,
    nla_ifindex,
    nla_in6_addr,
    nla_in_addr,
    nla_str,
    nla_value,
    number_attr,
    s32,
    struct_attr,
    u,
    u8,
    u32,
    x,
)
from .netlink_values import (
    fld as _f,
)


def _attrs(table: str, dflt: str, decoders: dict[str, AttrDecoder] | None = None) -> AttrSet:
    """An attribute set; its decoders are given by attribute name."""
    by_value = {value: name for value, name in XLAT[table]}
    known = {value: decoders[name] for value, name in by_value.items() if decoders and name in decoders}
    return AttrSet(table, dflt, known or None)


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
    **LINK_DECODERS,
}  # fmt: skip
_ADDR_ATTRS: dict[str, AttrDecoder] = {
    **dict.fromkeys(("IFA_ADDRESS", "IFA_LOCAL", "IFA_BROADCAST", "IFA_ANYCAST", "IFA_MULTICAST"), nla_family_addr),
    "IFA_LABEL": nla_str, "IFA_RT_PRIORITY": u32, "IFA_TARGET_NETNSID": s32,
    "IFA_CACHEINFO": struct_attr("<4I", tuple(_f(name, u) for name in ("ifa_prefered", "ifa_valid", "cstamp",
                                                                       "tstamp"))),
    "IFA_FLAGS": number_attr("<I", bits("ifaddrflags", "IFA_F_???")),
}  # fmt: skip


IFINDEX: Printer = ifindex

IFINFOMSG = MsgStruct("ifi_family", "<BxHiII", (
    _f("ifi_type", const("arp_hardware_types", "ARPHRD_???")), _f("ifi_index", IFINDEX),
    _f("ifi_flags", bits("iffflags", "IFF_???")), _f("ifi_change", x)),
    _attrs("rtnl_link_attrs", "IFLA_???", _LINK_ATTRS))
IFADDRMSG = MsgStruct("ifa_family", "<BBBBI", (
    _f("ifa_prefixlen", u), _f("ifa_flags", bits("ifaddrflags", "IFA_F_???")),
    _f("ifa_scope", const("routing_scopes", None)), _f("ifa_index", IFINDEX)),
    _attrs("rtnl_addr_attrs", "IFA_???", _ADDR_ATTRS))
IFADDRLBLMSG = MsgStruct("ifal_family", "<BxBBII", (
    _f("ifal_prefixlen", u), _f("ifal_flags", u), _f("ifal_index", IFINDEX), _f("ifal_seq", u)),
    _attrs("rtnl_addrlabel_attrs", "IFAL_???"))
DCBMSG = MsgStruct("dcb_family", "<BBH", (_f("cmd", const("dcb_commands", "DCB_CMD_???")), None),
                  _attrs("rtnl_dcb_attrs", "DCB_ATTR_???"))
BR_PORT_MSG = MsgStruct("family", "<BxxxI", (_f("ifindex", IFINDEX),), MDB_ATTRS)
NDMSG = MsgStruct("ndm_family", "<BxHiHBB", (
    None, _f("ndm_ifindex", IFINDEX), _f("ndm_state", bits("neighbor_cache_entry_states", "NUD_???")),
    _f("ndm_flags", bits("neighbor_cache_entry_flags", "NTF_???")),
    _f("ndm_type", const("routing_types", "RTN_???"))), NEIGH_ATTRS)
NDTMSG = MsgStruct("ndtm_family", "<Bxxx", (), NEIGHTBL_ATTRS, family_only=True)
NETCONFMSG = MsgStruct("ncm_family", "<B", (), _attrs("rtnl_netconf_attrs", "NETCONFA_???"), family_only=True)
NHMSG = MsgStruct("nh_family", "<BBBBI", (
    _f("nh_scope", const("routing_scopes", None)), _f("nh_protocol", const("routing_protocols", "RTPROT_???")),
    _f("resvd", x, True), _f("nh_flags", bits("route_nexthop_flags", "RTNH_F_???"))),
    NEXTHOP_ATTRS)
NSID = MsgStruct("rtgen_family", "<B", (), _attrs("rtnl_nsid_attrs", "NETNSA_???"), family_only=True)
RTMSG = MsgStruct("rtm_family", "<BBBBBBBBI", (
    _f("rtm_dst_len", u), _f("rtm_src_len", u), _f("rtm_tos", bits("ip_type_of_services", "IPTOS_TOS_???")),
    _f("rtm_table", const("routing_table_ids", None)),
    _f("rtm_protocol", const("routing_protocols", "RTPROT_???")),
    _f("rtm_scope", const("routing_scopes", None)), _f("rtm_type", const("routing_types", "RTN_???")),
    _f("rtm_flags", bits("routing_flags", "RTM_F_???"))), route_attrs())
FIB_RULE_HDR = MsgStruct("family", "<BBBBBBBBI", (
    _f("dst_len", u), _f("src_len", u), _f("tos", bits("ip_type_of_services", "IPTOS_TOS_???")),
    _f("table", const("routing_table_ids", "RT_TABLE_???")), None, None,
    _f("action", const("fib_rule_actions", "FR_ACT_???")), _f("flags", bits("fib_rule_flags", "FIB_RULE_???"))),
    RULE_ATTRS)
IF_STATS_MSG = MsgStruct("family", "<BBHII", (
    _f("pad1", x, True), _f("pad2", x, True), _f("ifindex", IFINDEX),
    _f("filter_mask", bits("ifstats_attr_flags", "1<<IFLA_STATS_???"))), IFSTATS_ATTRS)
TCMSG = MsgStruct("tcm_family", "<BxxxiIII", (
    _f("tcm_ifindex", IFINDEX), _f("tcm_handle", u), _f("tcm_parent", u), _f("tcm_info", u)),
    TC_ATTRS)
TCAMSG = MsgStruct("tca_family", "<Bxxx", (), TC_ACTION_ATTRS, family_only=True)
RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR = 128, 129
_CREPORT_ATTRS = {
    RTNL_FAMILY_IPMR: attr_set("rtnl_ipmra_creport_attr", "IPMRA_CREPORT_???", {
        "IPMRA_CREPORT_MSGTYPE": nla_value("rtnl_ipmra_msg_types", "IGMPMSG_???", size=1),
        "IPMRA_CREPORT_VIF_ID": u32, "IPMRA_CREPORT_TABLE": u32,
        **dict.fromkeys(("IPMRA_CREPORT_SRC_ADDR", "IPMRA_CREPORT_DST_ADDR"), nla_in_addr)}),
    RTNL_FAMILY_IP6MR: attr_set("rtnl_ip6mra_creport_attr", "IP6MRA_CREPORT_???", {
        "IP6MRA_CREPORT_MSGTYPE": nla_value("rtnl_ip6mra_msg_types", "MRT6MSG_???", size=1),
        "IP6MRA_CREPORT_MIF_ID": u32,
        **dict.fromkeys(("IP6MRA_CREPORT_SRC_ADDR", "IP6MRA_CREPORT_DST_ADDR"), nla_in6_addr)}),
}  # fmt: skip


def _rtnl_family(value: int) -> str:
    """RTNL_FAMILY_* first, then AF_* (one byte that may be either)."""
    return xval(value, "rtnl_family", None) if value in (RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR) else \
        xval(value, "addrfams", "RTNL_FAMILY_???")  # fmt: skip


CACHEREPORT = MsgStruct("rtgen_family", "<B", (), None, family_only=True, family_text=_rtnl_family,
                       attrs_by_family=_CREPORT_ATTRS.get)

# By message type (RTM_*): new, delete, get (and set) of each object.
ROUTE_MESSAGES: dict[int, MsgStruct] = {
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
    return family_struct(spec, mem, off, length, family)

