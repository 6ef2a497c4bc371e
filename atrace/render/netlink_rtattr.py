"""rtnetlink attributes that are more than a number or a string: route
metrics, multipath next hops, cache statistics, via addresses, routing
table ids and protocols, rule ranges.  Each attribute set names its
decoders by attribute name (the tables give the numbers)."""

from __future__ import annotations

import struct
from typing import Any

from .netlink_core import AttrDecoder, AttrSet, Mem, nested, nlattrs, styled
from .netlink_tables import XLAT
from .netlink_values import (
    array_attr,
    bits,
    const,
    fld,
    ifindex,
    inet_addr,
    nla_clock_t,
    nla_family_addr,
    nla_flags,
    nla_ifindex,
    nla_str,
    nla_value,
    number_attr,
    s32,
    struct_attr,
    struct_text,
    u,
    u8,
    u16,
    u32,
    u64,
    x,
    zero_x,
)
from .quoting import quote


def attr_set(table: str, dflt: str, decoders: dict[str, AttrDecoder]) -> AttrSet:
    """An attribute set whose decoders are given by attribute name."""
    known = {value: decoders[name] for value, name in XLAT[table] if name in decoders}
    return AttrSet(table, dflt, known or None)


rt_class = number_attr("<I", const("routing_table_ids", None))
rt_proto = number_attr("<B", const("routing_protocols", "RTPROT_???"))
lwt_encap_type = number_attr("<H", const("lwtunnel_encap_types", "LWTUNNEL_ENCAP_???"))


def ip_proto(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """An IPPROTO_* of up to 8 bytes (strace's decode_nla_ip_proto)."""
    if length > 8:
        return None
    raw = mem.get(off, length)
    return mem.addr(off) if raw is None else const("inet_protocols", "IPPROTO_???")(int.from_bytes(raw, "little"))


def be16(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    if length < 2:
        return None
    raw = mem.get(off, 2)
    return mem.addr(off) if raw is None else f"htons({int.from_bytes(raw, 'big')})"


def be64(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    if length < 8:
        return None
    raw = mem.get(off, 8)
    return mem.addr(off) if raw is None else f"htobe64({int.from_bytes(raw, 'big')})"


def _via(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """struct rtvia: a family, then an address of that family."""
    if length < 2:
        return None
    head = mem.unpack("<H", off)
    if head is None:
        return mem.addr(off)
    family = head[0]
    parts = [f"rtvia_family={const('addrfams', 'AF_???')(family)}"]
    if length > 2:
        size = {2: 4, 10: 16}.get(family, 0)
        rest = length - 2
        if not size or rest < size:
            raw = mem.get(off + 2, min(rest, mem.limit))
            shown = mem.addr(off + 2) if raw is None else quote(raw, len(raw), 2) + ("..." if rest > mem.limit else "")
            parts.append(f"rtvia_addr={shown}")
        else:
            raw = mem.get(off + 2, size)
            parts.append(f"rtvia_addr={mem.addr(off + 2)}" if raw is None else inet_addr("rtvia_addr", raw, family))
    return "{" + ", ".join(parts) + "}"


_RTNH = struct.Struct("<HBBi")


def _multipath(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """RTA_MULTIPATH: struct rtnexthop, each followed by its RTA_* attributes."""
    if length < _RTNH.size:
        return None
    items: list[str] = []
    start, left = off, length
    is_array = False
    while True:
        head = mem.unpack(_RTNH, off)
        if head is None:
            items.append(mem.addr(off))
            break
        rtnh_len, flags_, hops, index = head
        size = min(left, rtnh_len)
        if off == start and rtnh_len < length:
            is_array = True
        text = (f"{{rtnh_len={rtnh_len}, rtnh_flags={bits('route_nexthop_flags', 'RTNH_F_???')(flags_)}, "
                f"rtnh_hops={hops}, rtnh_ifindex={ifindex(index & 0xFFFFFFFF)}}}")  # fmt: skip
        if size > _RTNH.size:
            text = f"[{text}, {nlattrs(mem, off + _RTNH.size, size - _RTNH.size, route_attrs(), opaque)}]"
        items.append(text)
        step = (size + 3) & ~3
        if step >= left:
            break
        off += step
        left -= step
    return "[" + ", ".join(items) + "]" if is_array else items[0]


_METRICS = attr_set("rtnl_rta_metrics_attrs", "RTAX_???", {
    **dict.fromkeys(("RTAX_LOCK", "RTAX_MTU", "RTAX_WINDOW", "RTAX_RTT", "RTAX_RTTVAR", "RTAX_SSTHRESH", "RTAX_CWND",
                     "RTAX_ADVMSS", "RTAX_REORDERING", "RTAX_HOPLIMIT", "RTAX_INITCWND", "RTAX_FEATURES",
                     "RTAX_RTO_MIN", "RTAX_INITRWND", "RTAX_QUICKACK"), u32),
    "RTAX_CC_ALGO": nla_str,
})  # fmt: skip


def _metrics(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    return nlattrs(mem, off, length, _METRICS, opaque)


_ROUTE_DECODERS: dict[str, AttrDecoder] = {
    **dict.fromkeys(("RTA_DST", "RTA_SRC", "RTA_GATEWAY", "RTA_PREFSRC", "RTA_NEWDST"), nla_family_addr),
    **dict.fromkeys(("RTA_IIF", "RTA_OIF"), nla_ifindex),
    **dict.fromkeys(("RTA_PRIORITY", "RTA_PROTOINFO", "RTA_FLOW", "RTA_MP_ALGO", "RTA_MARK", "RTA_UID"), u32),
    **dict.fromkeys(("RTA_PREF", "RTA_TTL_PROPAGATE", "RTA_IP_PROTO"), u8),
    **dict.fromkeys(("RTA_SPORT", "RTA_DPORT"), u16),
    "RTA_EXPIRES": u64,
    "RTA_METRICS": _metrics,
    "RTA_MULTIPATH": _multipath,
    "RTA_CACHEINFO": struct_attr("<8I", (fld("rta_clntref", u), fld("rta_lastuse", u), fld("rta_expires", u),
                                         fld("rta_error", u), fld("rta_used", u), fld("rta_id", x),
                                         fld("rta_ts", u), fld("rta_tsage", u))),
    "RTA_TABLE": rt_class,
    "RTA_MFC_STATS": struct_attr("<3Q", (fld("mfcs_packets", u), fld("mfcs_bytes", u), fld("mfcs_wrong_if", u))),
    "RTA_VIA": _via,
    "RTA_ENCAP_TYPE": lwt_encap_type,
}  # fmt: skip
_ROUTE_ATTRS: list[AttrSet] = []


def route_attrs() -> AttrSet:
    """RTA_* (built once; RTA_MULTIPATH's next hops hold RTA_* again)."""
    if not _ROUTE_ATTRS:
        _ROUTE_ATTRS.append(attr_set("rtnl_route_attrs", "RTA_???", _ROUTE_DECODERS))
    return _ROUTE_ATTRS[0]


def hwaddr(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """A hardware address of any length, as colon-separated hex bytes."""
    if length > 32:
        return None
    raw = mem.get(off, length)
    if raw is None:
        return mem.addr(off)
    return styled(quote(raw, len(raw), 2), ":".join(f"{byte:02x}" for byte in raw))


_RANGE32 = (fld("start", u), fld("end", u))
RULE_ATTRS = attr_set("rtnl_rule_attrs", "FRA_???", {
    **dict.fromkeys(("FRA_DST", "FRA_SRC"), nla_family_addr),
    **dict.fromkeys(("FRA_IIFNAME", "FRA_OIFNAME"), nla_str),
    **dict.fromkeys(("FRA_GOTO", "FRA_PRIORITY", "FRA_FWMARK", "FRA_FLOW", "FRA_SUPPRESS_IFGROUP",
                     "FRA_SUPPRESS_PREFIXLEN", "FRA_FWMASK"), u32),
    "FRA_TUN_ID": be64,
    "FRA_TABLE": rt_class,
    "FRA_L3MDEV": u8,
    "FRA_UID_RANGE": struct_attr("<II", _RANGE32),
    "FRA_PROTOCOL": rt_proto,
    "FRA_IP_PROTO": ip_proto,
    **dict.fromkeys(("FRA_SPORT_RANGE", "FRA_DPORT_RANGE"), struct_attr("<HH", _RANGE32)),
})  # fmt: skip

_NH_GRP = (fld("id", u), fld("weight", u), fld("resvd1", x, True), fld("resvd2", x, True))
NEXTHOP_ATTRS = attr_set("rtnl_nexthop_attrs", "NHA_???", {
    **dict.fromkeys(("NHA_ID", "NHA_BLACKHOLE", "NHA_GROUPS", "NHA_FDB"), u32),
    **dict.fromkeys(("NHA_OIF", "NHA_MASTER"), nla_ifindex),
    "NHA_GROUP": array_attr("<IBBH", lambda values: struct_text(_NH_GRP, values)),
    "NHA_GROUP_TYPE": nla_value("rtnl_nexthop_grp_types", "NEXTHOP_GRP_TYPE_???", size=2),
    "NHA_GATEWAY": nla_family_addr,
    "NHA_ENCAP_TYPE": lwt_encap_type,
    "NHA_RES_GROUP": nested(attr_set("rtnl_nha_res_group_attrs", "NHA_RES_GROUP_???", {
        "NHA_RES_GROUP_BUCKETS": u16, "NHA_RES_GROUP_IDLE_TIMER": nla_clock_t,
        "NHA_RES_GROUP_UNBALANCED_TIMER": nla_clock_t, "NHA_RES_GROUP_UNBALANCED_TIME": nla_clock_t})),
    "NHA_RES_BUCKET": nested(attr_set("rtnl_nha_res_bucket_attrs", "NHA_RES_BUCKET_???", {
        "NHA_RES_BUCKET_INDEX": u16, "NHA_RES_BUCKET_IDLE_TIME": nla_clock_t, "NHA_RES_BUCKET_NH_ID": u32})),
})  # fmt: skip

NEIGH_ATTRS = attr_set("rtnl_neigh_attrs", "NDA_???", {
    "NDA_DST": nla_family_addr,
    "NDA_LLADDR": hwaddr,
    "NDA_CACHEINFO": struct_attr("<4I", tuple(fld(name, u) for name in ("ndm_confirmed", "ndm_used", "ndm_updated",
                                                                       "ndm_refcnt"))),
    **dict.fromkeys(("NDA_PROBES", "NDA_VNI", "NDA_LINK_NETNSID", "NDA_SRC_VNI", "NDA_NH_ID"), u32),
    "NDA_VLAN": u16,
    "NDA_PORT": be16,
    **dict.fromkeys(("NDA_IFINDEX", "NDA_MASTER"), nla_ifindex),
    "NDA_PROTOCOL": ip_proto,
    "NDA_FDB_EXT_ATTRS": nested(attr_set("rtnl_neigh_fdb_ext_attrs", "NFEA_???", {
        "NFEA_ACTIVITY_NOTIFY": nla_flags(("fdb_notify_flags",), "FDB_NOTIFY_???", size=1)})),
    "NDA_FLAGS_EXT": nla_flags(("neighbor_cache_entry_ext_flags",), "NTF_EXT_???", size=4),
    "NDA_NDM_STATE_MASK": nla_flags(("neighbor_cache_entry_states",), "NUD_???", size=2),
    "NDA_NDM_FLAGS_MASK": nla_flags(("neighbor_cache_entry_flags",), "NTF_???", size=1),
})  # fmt: skip


_NDT_STATS_FIELDS = tuple(fld(name, u) for name in (
    "ndts_allocs", "ndts_destroys", "ndts_hash_grows", "ndts_res_failed", "ndts_lookups", "ndts_hits",
    "ndts_rcv_probes_mcast", "ndts_rcv_probes_ucast", "ndts_periodic_gc_runs", "ndts_forced_gc_runs",
    "ndts_table_fulls"))  # fmt: skip
_NDT_STATS_FULL, _NDT_STATS_OLD = struct_attr("<11Q", _NDT_STATS_FIELDS), struct_attr("<10Q", _NDT_STATS_FIELDS)


def _ndt_stats(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """struct ndt_stats, or its older form without ndts_table_fulls."""
    if length >= 88:
        return _NDT_STATS_FULL(mem, off, length, opaque)
    return _NDT_STATS_OLD(mem, off, length, opaque) if length == 80 else None


NEIGHTBL_ATTRS = attr_set("rtnl_neightbl_attrs", "NDTA_???", {
    "NDTA_NAME": nla_str,
    **dict.fromkeys(("NDTA_THRESH1", "NDTA_THRESH2", "NDTA_THRESH3"), u32),
    "NDTA_CONFIG": struct_attr("<HHIIIIIII", (
        fld("ndtc_key_len", u), fld("ndtc_entry_size", u), fld("ndtc_entries", u), fld("ndtc_last_flush", u),
        fld("ndtc_last_rand", u), fld("ndtc_hash_rnd", u), fld("ndtc_hash_mask", zero_x(8)),
        fld("ndtc_hash_chain_gc", u), fld("ndtc_proxy_qlen", u))),
    "NDTA_PARMS": nested(attr_set("rtnl_neightbl_parms_attrs", "NDTPA_???", {
        "NDTPA_IFINDEX": nla_ifindex,
        **dict.fromkeys(("NDTPA_REFCNT", "NDTPA_QUEUE_LEN", "NDTPA_APP_PROBES", "NDTPA_UCAST_PROBES",
                         "NDTPA_MCAST_PROBES", "NDTPA_PROXY_QLEN", "NDTPA_QUEUE_LENBYTES", "NDTPA_MCAST_REPROBES"),
                        u32),
        **dict.fromkeys(("NDTPA_REACHABLE_TIME", "NDTPA_BASE_REACHABLE_TIME", "NDTPA_RETRANS_TIME",
                         "NDTPA_GC_STALETIME", "NDTPA_DELAY_PROBE_TIME", "NDTPA_ANYCAST_DELAY", "NDTPA_PROXY_DELAY",
                         "NDTPA_LOCKTIME", "NDTPA_INTERVAL_PROBE_TIME_MS"), u64),
    })),
    "NDTA_STATS": _ndt_stats,
    "NDTA_GC_INTERVAL": u64,
})  # fmt: skip


_MDB_ENTRY = struct.Struct("<IBBH16sHxx")
_MDB_EATTRS = attr_set("rtnl_mdba_mdb_eattr_attrs", "MDBA_MDB_EATTR_???", {"MDBA_MDB_EATTR_TIMER": nla_clock_t})


def _mdb_entry(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """struct br_mdb_entry (the group address by its protocol), then its attributes."""
    if length < _MDB_ENTRY.size:
        return None
    values = mem.unpack(_MDB_ENTRY, off)
    if values is None:
        return mem.addr(off)
    index, state, flags_, vid, group, proto = values
    family = int.from_bytes(proto.to_bytes(2, "little"), "big")
    text = (f"{{ifindex={ifindex(index)}, state={const('mdb_states', 'MDB_???')(state)}, "
            f"flags={bits('mdb_flags', 'MDB_FLAGS_???')(flags_)}, vid={vid}, "
            f"addr={{{inet_addr('u', group, family)}, proto=htons({const('addrfams', 'AF_???')(family)})}}}}")
    start = (_MDB_ENTRY.size + 3) & ~3
    if length > start:
        text += ", " + nlattrs(mem, off + start, length - start, _MDB_EATTRS)
    return text


def _router_port(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """A router port's ifindex, then its attributes."""
    if length < 4:
        return None
    value = mem.unpack("<I", off)
    if value is None:
        return mem.addr(off)
    text = ifindex(value[0])
    if length > 4:
        text += ", " + nlattrs(mem, off + 4, length - 4, _ROUTER_PATTRS)
    return text


_ROUTER_PATTRS = attr_set("rtnl_mdba_router_pattr_attrs", "MDBA_ROUTER_PATTR_???", {
    **dict.fromkeys(("MDBA_ROUTER_PATTR_TIMER", "MDBA_ROUTER_PATTR_INET_TIMER", "MDBA_ROUTER_PATTR_INET6_TIMER"),
                    nla_clock_t),
    "MDBA_ROUTER_PATTR_TYPE": number_attr("<B", const("multicast_router_types", "MDB_RTR_TYPE_???")),
})  # fmt: skip
MDB_ATTRS = attr_set("rtnl_mdb_attrs", "MDBA_???", {
    "MDBA_MDB": nested(attr_set("rtnl_mdba_mdb_attrs", "MDBA_MDB_???", {
        "MDBA_MDB_ENTRY": nested(attr_set("rtnl_mdba_mdb_entry_attrs", "MDBA_MDB_ENTRY_???", {
            "MDBA_MDB_ENTRY_INFO": _mdb_entry}))})),
    "MDBA_ROUTER": nested(attr_set("rtnl_mdba_router_attrs", "MDBA_ROUTER_???", {
        "MDBA_ROUTER_PORT": _router_port})),
})  # fmt: skip


__all__ = ["attr_set", "be16", "be64", "ip_proto", "lwt_encap_type", "route_attrs", "rt_class", "rt_proto", "s32"]
