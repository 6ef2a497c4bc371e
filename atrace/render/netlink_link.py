"""Link attributes of rtnetlink (IFLA_*): statistics, device maps, bridge
port and IPv6 protocol information, per-family data (IFLA_AF_SPEC), XDP."""

from __future__ import annotations

import struct
from typing import Any

from .netlink_core import AttrDecoder, AttrSet, Mem, cstring, hexstr, nested, nlattrs, styled, xflags, xval
from .netlink_rtattr import attr_set
from .netlink_values import (
    AF_INET,
    AF_INET6,
    array,
    bits,
    fld,
    nla_clock_t,
    nla_family_addr,
    nla_flags,
    nla_ifindex,
    nla_str,
    nla_uid,
    nla_value,
    number_attr,
    s32,
    struct_attr,
    u,
    u8,
    u16,
    u32,
    u64,
    x,
    x16,
    x32,
)
from .quoting import quote

AF_BRIDGE, AF_MCTP = 7, 45

_STATS_NAMES = (
    "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
    "multicast", "collisions", "rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors",
    "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
    "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed", "rx_nohandler",
    "rx_otherhost_dropped")  # fmt: skip


def _stats(word: str, sizes: tuple[int, ...]) -> AttrDecoder:
    """struct rtnl_link_stats(64): whole, or one of its older sizes exactly
    (`sizes`: field counts, newest first)."""
    decoders = {count: struct_attr(f"<{count}{word}", tuple(fld(name, u) for name in _STATS_NAMES[:count]))
                for count in sizes}  # fmt: skip
    size = struct.calcsize(word)

    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        if length >= sizes[0] * size:
            return decoders[sizes[0]](mem, off, length, opaque)
        for count in sizes[1:]:
            if length == count * size:
                return decoders[count](mem, off, length, opaque)
        return None

    return decode


def indexed(fmt: str, table: str, dflt: str) -> AttrDecoder:
    """An array whose elements are named by their index ([DEVCONF_MTU6]=1500)."""
    element = struct.Struct(fmt)

    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        if length < element.size:
            return None
        index = iter(range(length // element.size))
        return array(element.size, lambda raw: f"[{xval(next(index), table, dflt, dec=True)}]="
                     f"{element.unpack(raw)[0]}", mem, off, length)  # fmt: skip

    return decode


def _bridge_id(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """struct ifla_bridge_id: two priority bytes and a MAC address."""
    if length < 8:
        return None
    raw = mem.get(off, 8)
    if raw is None:
        return mem.addr(off)
    return f"{{prio=[{raw[0]}, {raw[1]}], addr={_mac(raw[2:8])}}}"


def _in6_addr(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    return nla_family_addr(mem, off, length, AF_INET6) if length >= 16 else None


_BRPORT_U8 = ("STATE", "MODE", "GUARD", "PROTECT", "FAST_LEAVE", "LEARNING", "UNICAST_FLOOD", "PROXYARP",
              "LEARNING_SYNC", "PROXYARP_WIFI", "TOPOLOGY_CHANGE_ACK", "CONFIG_PENDING", "MULTICAST_ROUTER",
              "MCAST_FLOOD", "MCAST_TO_UCAST", "VLAN_TUNNEL", "BCAST_FLOOD", "NEIGH_SUPPRESS", "ISOLATED",
              "MRP_RING_OPEN", "MRP_IN_OPEN", "LOCKED")  # fmt: skip
BRPORT_ATTRS = attr_set("rtnl_ifla_brport_attrs", "IFLA_BRPORT_???", {
    **{f"IFLA_BRPORT_{name}": u8 for name in _BRPORT_U8},
    **{f"IFLA_BRPORT_{name}": u16 for name in ("PRIORITY", "DESIGNATED_PORT", "DESIGNATED_COST", "ID", "NO")},
    **{f"IFLA_BRPORT_{name}": u32 for name in ("COST", "MCAST_EHT_HOSTS_LIMIT", "MCAST_EHT_HOSTS_CNT")},
    **dict.fromkeys(("IFLA_BRPORT_ROOT_ID", "IFLA_BRPORT_BRIDGE_ID"), _bridge_id),
    **{f"IFLA_BRPORT_{name}": nla_clock_t for name in ("MESSAGE_AGE_TIMER", "FORWARD_DELAY_TIMER", "HOLD_TIMER")},
    "IFLA_BRPORT_GROUP_FWD_MASK": x16,
    "IFLA_BRPORT_BACKUP_PORT": nla_ifindex,
})  # fmt: skip
INET6_ATTRS = attr_set("rtnl_ifla_af_spec_inet6_attrs", "IFLA_INET6_???", {
    "IFLA_INET6_FLAGS": nla_flags(("inet6_if_flags",), "IF_???", size=4),
    "IFLA_INET6_CONF": indexed("<i", "inet6_devconf_indices", "DEVCONF_???"),
    "IFLA_INET6_STATS": indexed("<Q", "snmp_ip_stats", "IPSTATS_MIB_???"),
    "IFLA_INET6_CACHEINFO": struct_attr("<4I", tuple(fld(name, u) for name in (
        "max_reasm_len", "tstamp", "reachable_time", "retrans_time"))),
    "IFLA_INET6_ICMP6STATS": indexed("<Q", "snmp_icmp6_stats", "ICMP6_MIB_???"),
    "IFLA_INET6_TOKEN": _in6_addr,
    "IFLA_INET6_ADDR_GEN_MODE": nla_value("in6_addr_gen_mode", "IN6_ADDR_GEN_MODE_???", size=1),
    "IFLA_INET6_RA_MTU": u32,
})  # fmt: skip
_INET_ATTRS = attr_set("rtnl_ifla_af_spec_inet_attrs", "IFLA_INET_???", {
    "IFLA_INET_CONF": indexed("<i", "inet_devconf_indices", "IPV4_DEVCONF_???")})
_MCTP_ATTRS = attr_set("rtnl_ifla_af_spec_mctp_attrs", "IFLA_MCTP_???", {"IFLA_MCTP_NET": u32})
_PROTINFO = {AF_BRIDGE: BRPORT_ATTRS, AF_INET6: INET6_ATTRS}
_AF_SPEC = {AF_INET: _INET_ATTRS, AF_INET6: INET6_ATTRS, AF_MCTP: _MCTP_ATTRS}


def _by_family(table: dict[int, AttrSet], mem: Mem, off: int, length: int, family: int) -> str:
    attrs = table.get(family)
    return hexstr(mem, off, length) if attrs is None else nlattrs(mem, off, length, attrs)


def _protinfo(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    return _by_family(_PROTINFO, mem, off, length, opaque if isinstance(opaque, int) else -1)


def _af_entry(mem: Mem, off: int, length: int, nla_type: Any) -> str | None:
    """One IFLA_AF_SPEC entry: its type is an address family."""
    return _by_family(_AF_SPEC, mem, off, length, nla_type & 0x3FFF if isinstance(nla_type, int) else -1)


_AF_SPEC_LIST = AttrSet("addrfams", "AF_???", any_type=_af_entry)


_VLAN_FLAGS = bits("nl_bridge_vlan_flags", "BRIDGE_VLAN_INFO_???")


def _bridge_vlan_info(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """struct bridge_vlan_info (flags, vid), anything after it in hex."""
    if length < 4:
        return None
    values = mem.unpack("<HH", off)
    if values is None:
        return mem.addr(off)
    text = f"{{flags={_VLAN_FLAGS(values[0])}, vid={values[1]}}}"
    return text + ", " + hexstr(mem, off + 4, length - 4) if length > 4 else text


# A bridge's IFLA_AF_SPEC holds the bridge's own attributes, not families.
_BRIDGE_AF_SPEC = attr_set("rtnl_ifla_af_spec_bridge_attrs", "IFLA_BRIDGE_???", {
    "IFLA_BRIDGE_FLAGS": nla_flags(("rtnl_ifla_bridge_flags",), "BRIDGE_FLAGS_???", size=2),
    "IFLA_BRIDGE_MODE": nla_value("rtnl_ifla_bridge_modes", "BRIDGE_MODE_???", size=2),
    "IFLA_BRIDGE_VLAN_INFO": _bridge_vlan_info,
    "IFLA_BRIDGE_VLAN_TUNNEL_INFO": nested(attr_set(
        "rtnl_ifla_af_spec_bridge_vlan_tunnel_info_attrs", "IFLA_BRIDGE_VLAN_TUNNEL_???", {
            "IFLA_BRIDGE_VLAN_TUNNEL_ID": u32, "IFLA_BRIDGE_VLAN_TUNNEL_VID": u16,
            "IFLA_BRIDGE_VLAN_TUNNEL_FLAGS": nla_flags(("nl_bridge_vlan_flags",), "BRIDGE_VLAN_INFO_???", size=2)})),
})  # fmt: skip


def _af_spec(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    if opaque == AF_BRIDGE:
        return nlattrs(mem, off, length, _BRIDGE_AF_SPEC)
    return nlattrs(mem, off, length, _AF_SPEC_LIST)


_XDP_ATTRS = attr_set("rtnl_ifla_xdp_attrs", "IFLA_XDP_???", {
    **dict.fromkeys(("IFLA_XDP_FD", "IFLA_XDP_EXPECTED_FD"), s32),
    "IFLA_XDP_ATTACHED": nla_value("rtnl_ifla_xdp_attached_mode", "XDP_ATTACHED_???", size=1),
    "IFLA_XDP_FLAGS": number_attr("<I", lambda value: xflags(value, ("xdp_flags",), "XDP_FLAGS_???")),
    **dict.fromkeys(("IFLA_XDP_PROG_ID", "IFLA_XDP_DRV_PROG_ID", "IFLA_XDP_SKB_PROG_ID", "IFLA_XDP_HW_PROG_ID"),
                    u32),
})  # fmt: skip


def _mac(raw: bytes) -> str:
    """A hardware address (strace's print_mac_addr): hex bytes with colons;
    -X raw the bytes as a string, -X verbose both."""
    return styled(quote(raw, len(raw), 2), ":".join(f"{byte:02x}" for byte in raw))


_VF_GUID32, _VF_GUID64 = struct.Struct("<IQ"), struct.Struct("<I4xQ")


def _vf_guid(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """struct ifla_vf_guid, 12 or 16 bytes (its u64 is not naturally aligned)."""
    layout = {12: _VF_GUID32, 16: _VF_GUID64}.get(length)
    if layout is None:
        return None
    values = mem.unpack(layout, off)
    return mem.addr(off) if values is None else f"{{vf={values[0]}, guid={hex(values[1]) if values[1] else '0'}}}"


def _vlan_info(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """struct ifla_vf_vlan_info: vf, vlan, qos, then vlan_proto in network order."""
    if length < 16:
        return None
    values = mem.unpack("<III2sxx", off)
    if values is None:
        return mem.addr(off)
    proto = int.from_bytes(values[3], "big")
    return (f"{{vf={values[0]}, vlan={values[1]}, qos={values[2]}, "
            f"vlan_proto=htons({xval(proto, 'ethernet_protocols', 'ETH_P_???')})}}")  # fmt: skip


_VF_INFO = attr_set("rtnl_ifla_vf_info_attrs", "IFLA_VF_???", {
    "IFLA_VF_MAC": struct_attr("<I32s", (fld("vf", u), fld("mac", _mac))),  # type: ignore[arg-type]
    "IFLA_VF_VLAN": struct_attr("<III", (fld("vf", u), fld("vlan", u), fld("qos", u))),
    "IFLA_VF_TX_RATE": struct_attr("<II", (fld("vf", u), fld("rate", u))),
    **dict.fromkeys(("IFLA_VF_SPOOFCHK", "IFLA_VF_RSS_QUERY_EN", "IFLA_VF_TRUST"),
                    struct_attr("<II", (fld("vf", u), fld("setting", u)))),
    "IFLA_VF_LINK_STATE": struct_attr("<II", (fld("vf", u), fld("link_state", lambda value: xval(
        value, "rtnl_ifla_vf_link_states", "IFLA_VF_LINK_STATE_???")))),
    "IFLA_VF_RATE": struct_attr("<III", (fld("vf", u), fld("min_tx_rate", u), fld("max_tx_rate", u))),
    "IFLA_VF_STATS": nested(attr_set("rtnl_ifla_vf_stats_attrs", "IFLA_VF_STATS_???", dict.fromkeys((
        "IFLA_VF_STATS_RX_PACKETS", "IFLA_VF_STATS_TX_PACKETS", "IFLA_VF_STATS_RX_BYTES", "IFLA_VF_STATS_TX_BYTES",
        "IFLA_VF_STATS_BROADCAST", "IFLA_VF_STATS_MULTICAST", "IFLA_VF_STATS_RX_DROPPED",
        "IFLA_VF_STATS_TX_DROPPED"), u64))),
    **dict.fromkeys(("IFLA_VF_IB_NODE_GUID", "IFLA_VF_IB_PORT_GUID"), _vf_guid),
    "IFLA_VF_VLAN_LIST": nested(attr_set("rtnl_ifla_vf_vlan_list_attrs", "IFLA_VF_VLAN_INFO_???",
                                         {"IFLA_VF_VLAN_INFO": _vlan_info})),
    "IFLA_VF_BROADCAST": struct_attr("<32s", (fld("broadcast", _mac),)),  # type: ignore[arg-type]
})  # fmt: skip
_VFINFO_LIST = attr_set("rtnl_ifla_vfinfo_list_attrs", "IFLA_VF_INFO_???", {"IFLA_VF_INFO": nested(_VF_INFO)})


def _port_vsi(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """struct ifla_port_vsi: manager id, type id (3 bytes), version, padding."""
    if length < 8:
        return None
    raw = mem.get(off, 8)
    if raw is None:
        return mem.addr(off)
    text = f"{{vsi_mgr_id={raw[0]}, vsi_type_id={quote(raw[1:4], 3, 2)}, vsi_type_version={raw[4]}"
    if any(raw[5:8]):
        text += f", pad={quote(raw[5:8], 3, 2)}"
    return text + "}"


_PORT = attr_set("rtnl_ifla_port_attrs", "IFLA_VF_PORT_???", {
    "IFLA_PORT_VF": u32, "IFLA_PORT_PROFILE": nla_str, "IFLA_PORT_VSI_TYPE": _port_vsi,
    "IFLA_PORT_REQUEST": u8, "IFLA_PORT_RESPONSE": u16,
})  # fmt: skip
_VF_PORTS = attr_set("rtnl_ifla_vf_port_attrs", "IFLA_VF_PORT_???", {"IFLA_VF_PORT": nested(_PORT)})
_PROTO_DOWN_REASON = attr_set("rtnl_ifla_proto_down_reason_attrs", "IFLA_PROTO_DOWN_REASON_???",
                              dict.fromkeys(("IFLA_PROTO_DOWN_REASON_MASK", "IFLA_PROTO_DOWN_REASON_VALUE"), x32))


def _ether_proto(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """An ETH_P_* in network order, of 2 bytes (strace's decode_nla_ether_proto)."""
    if length > 8 or length < 2:
        return None
    raw = mem.get(off, 2)
    return mem.addr(off) if raw is None else \
        f"htons({xval(int.from_bytes(raw, 'big'), 'ethernet_protocols', 'ETH_P_???')})"  # fmt: skip


def _hwaddr(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    if length > 32:
        return None
    raw = mem.get(off, length)
    return mem.addr(off) if raw is None else _mac(raw)


def _in_addr(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    return nla_family_addr(mem, off, length, AF_INET) if length >= 4 else None


_BOOLOPT = bits("rtnl_ifla_br_boolopt_flags", "1<<BR_BOOLOPT_???")
_BR_CLOCK = ("FORWARD_DELAY", "HELLO_TIME", "MAX_AGE", "AGEING_TIME", "HELLO_TIMER", "TCN_TIMER",
             "TOPOLOGY_CHANGE_TIMER", "GC_TIMER", "MCAST_LAST_MEMBER_INTVL", "MCAST_MEMBERSHIP_INTVL",
             "MCAST_QUERIER_INTVL", "MCAST_QUERY_INTVL", "MCAST_QUERY_RESPONSE_INTVL",
             "MCAST_STARTUP_QUERY_INTVL")  # fmt: skip
_BR_U8 = ("VLAN_FILTERING", "TOPOLOGY_CHANGE", "TOPOLOGY_CHANGE_DETECTED", "MCAST_ROUTER", "MCAST_SNOOPING",
          "MCAST_QUERY_USE_IFADDR", "MCAST_QUERIER", "NF_CALL_IPTABLES", "NF_CALL_IP6TABLES", "NF_CALL_ARPTABLES",
          "VLAN_STATS_ENABLED", "MCAST_STATS_ENABLED", "MCAST_IGMP_VERSION", "MCAST_MLD_VERSION",
          "VLAN_STATS_PER_PORT")  # fmt: skip
_BR_U32 = ("STP_STATE", "ROOT_PATH_COST", "MCAST_HASH_ELASTICITY", "MCAST_HASH_MAX", "MCAST_LAST_MEMBER_CNT",
           "MCAST_STARTUP_QUERY_CNT")  # fmt: skip
_QUERIER = attr_set("rtnl_ifla_br_mcast_querier_attrs", "BRIDGE_QUERIER_???", {
    "BRIDGE_QUERIER_IP_ADDRESS": _in_addr, "BRIDGE_QUERIER_IP_PORT": nla_ifindex,
    "BRIDGE_QUERIER_IP_OTHER_TIMER": nla_clock_t, "BRIDGE_QUERIER_IPV6_ADDRESS": _in6_addr,
    "BRIDGE_QUERIER_IPV6_PORT": nla_ifindex, "BRIDGE_QUERIER_IPV6_OTHER_TIMER": nla_clock_t,
})  # fmt: skip
_BRIDGE_DATA = attr_set("rtnl_ifla_info_data_bridge_attrs", "IFLA_BR_???", {
    **{f"IFLA_BR_{name}": nla_clock_t for name in _BR_CLOCK},
    **{f"IFLA_BR_{name}": u8 for name in _BR_U8},
    **{f"IFLA_BR_{name}": u32 for name in _BR_U32},
    **{f"IFLA_BR_{name}": u16 for name in ("PRIORITY", "ROOT_PORT", "VLAN_DEFAULT_PVID")},
    "IFLA_BR_VLAN_PROTOCOL": _ether_proto,
    "IFLA_BR_GROUP_FWD_MASK": x16,
    **dict.fromkeys(("IFLA_BR_ROOT_ID", "IFLA_BR_BRIDGE_ID"), _bridge_id),
    "IFLA_BR_GROUP_ADDR": _hwaddr,
    "IFLA_BR_MULTI_BOOLOPT": struct_attr("<II", (fld("optval", _BOOLOPT), fld("optmask", _BOOLOPT))),
    "IFLA_BR_MCAST_QUERIER_STATE": nested(_QUERIER),
})  # fmt: skip
_TUN_DATA = attr_set("rtnl_ifla_info_data_tun_attrs", "IFLA_TUN_???", {
    **dict.fromkeys(("IFLA_TUN_OWNER", "IFLA_TUN_GROUP"), nla_uid),
    "IFLA_TUN_TYPE": nla_value("tun_device_types", "IFF_???", size=1),
    **{f"IFLA_TUN_{name}": u8 for name in ("PI", "VNET_HDR", "PERSIST", "MULTI_QUEUE")},
    **{f"IFLA_TUN_{name}": u32 for name in ("NUM_QUEUES", "NUM_DISABLED_QUEUES")},
})  # fmt: skip
_CAN_XSTATS = struct_attr("<6I", tuple(fld(name, u) for name in (
    "bus_error", "error_warning", "error_passive", "bus_off", "arbitration_lost", "restarts")))  # fmt: skip


def _kind_text(mem: Mem, off: int, length: int) -> str:
    """The kind a IFLA_INFO_KIND names, as strace keeps it: only a string
    shorter than 16 bytes whose NUL lies within the attribute."""
    raw = mem.get(off, length) if length < 16 else None
    if raw is None or b"\0" not in raw:
        return ""
    return raw.split(b"\0", 1)[0].decode("latin-1")


def _kind(key: str) -> AttrDecoder:
    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        if isinstance(opaque, dict):
            opaque[key] = _kind_text(mem, off, length)
        return cstring(mem, off, length)

    return decode


def _by_kind(key: str, decoders: dict[str, AttrDecoder]) -> AttrDecoder:
    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        decoder = decoders.get(opaque.get(key, "") if isinstance(opaque, dict) else "")
        return None if decoder is None else decoder(mem, off, length, opaque)

    return decode


_LINKINFO = attr_set("rtnl_ifla_info_attrs", "IFLA_INFO_???", {
    "IFLA_INFO_KIND": _kind("kind"),
    "IFLA_INFO_DATA": _by_kind("kind", {"bridge": nested(_BRIDGE_DATA), "tun": nested(_TUN_DATA)}),
    "IFLA_INFO_XSTATS": _by_kind("kind", {"can": _CAN_XSTATS}),
    "IFLA_INFO_SLAVE_KIND": _kind("slave_kind"),
    "IFLA_INFO_SLAVE_DATA": _by_kind("slave_kind", {"bridge": nested(BRPORT_ATTRS)}),
})  # fmt: skip


def _linkinfo(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    # The kinds seen so far decide how the data attributes after them print.
    return nlattrs(mem, off, length, _LINKINFO, {"kind": "", "slave_kind": ""})


IFLA_ALT_IFNAME = 53


def _prop(mem: Mem, off: int, length: int, nla_type: Any) -> str | None:
    """An IFLA_PROP_LIST entry: IFLA_* types, only alternative names decoded."""
    return nla_str(mem, off, length, None) if nla_type == IFLA_ALT_IFNAME else None


_PROP_LIST = AttrSet("rtnl_link_attrs", "IFLA_???", any_type=_prop)


LINK_DECODERS: dict[str, AttrDecoder] = {
    "IFLA_STATS": _stats("I", (24, 23)),
    "IFLA_STATS64": _stats("Q", (25, 24, 23)),
    "IFLA_MAP": struct_attr("<QQQHBB", (fld("mem_start", x), fld("mem_end", x), fld("base_addr", x),
                                        fld("irq", u), fld("dma", u), fld("port", u))),
    "IFLA_PROTINFO": _protinfo,
    "IFLA_AF_SPEC": _af_spec,
    "IFLA_XDP": nested(_XDP_ATTRS),
    "IFLA_EVENT": number_attr("<I", lambda value: xval(value, "rtnl_ifla_events", "IFLA_EVENT_???")),
    "IFLA_EXT_MASK": nla_flags(("rtnl_ifla_ext_filter_flags",), "RTEXT_FILTER_???", size=4),
    "IFLA_NEW_IFINDEX": nla_ifindex,
    "IFLA_VFINFO_LIST": nested(_VFINFO_LIST),
    "IFLA_VF_PORTS": nested(_VF_PORTS),
    "IFLA_PORT_SELF": nested(_PORT),
    "IFLA_PROTO_DOWN_REASON": nested(_PROTO_DOWN_REASON),
    "IFLA_LINKINFO": _linkinfo,
    "IFLA_PROP_LIST": nested(_PROP_LIST),
}
