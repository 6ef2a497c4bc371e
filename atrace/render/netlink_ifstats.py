"""RTM_GETSTATS attributes (IFLA_STATS_*): 64-bit link statistics, the
extended statistics of bridges and bonds, offload and per-family (MPLS)
statistics."""

from __future__ import annotations

import struct
from typing import Any

from .netlink_core import AttrDecoder, AttrSet, Mem, hexstr, nested, nlattrs, xval
from .netlink_link import LINK_DECODERS
from .netlink_rtattr import attr_set
from .netlink_values import Field, bits, fld, struct_text, u, u64, x

AF_MPLS = 28


def _struct_then_hex(layout: str, fields_: tuple[Field | None, ...]) -> AttrDecoder:
    """A statistics struct; bytes after it (a newer kernel's) in hex."""
    size = struct.calcsize(layout)

    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        if length < size:
            return None
        values = mem.unpack(layout, off)
        if values is None:
            return mem.addr(off)
        text = struct_text(fields_, values)
        return f"{text}, {hexstr(mem, off + size, length - size)}" if length > size else text

    return decode


def _per_direction(values: tuple[int, ...]) -> str:
    """A u64[2] indexed by BR_MCAST_DIR_*."""
    return "[" + ", ".join(f"[{xval(index, 'ifstats_xstats_bridge_mcast_indices', None, dec=True)}]={value}"
                           for index, value in enumerate(values)) + "]"  # fmt: skip


# struct br_mcast_stats: pairs of counters (RX, TX) and two single ones.
_MCAST_NAMES = ("igmp_v1queries", "igmp_v2queries", "igmp_v3queries", "igmp_leaves", "igmp_v1reports",
                "igmp_v2reports", "igmp_v3reports", "igmp_parse_errors", "mld_v1queries", "mld_v2queries",
                "mld_leaves", "mld_v1reports", "mld_v2reports", "mld_parse_errors", "mcast_bytes",
                "mcast_packets")  # fmt: skip
_MCAST_SINGLE = frozenset({"igmp_parse_errors", "mld_parse_errors"})
_MCAST_SIZE = 8 * (2 * len(_MCAST_NAMES) - len(_MCAST_SINGLE))


def _mcast(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    if length < _MCAST_SIZE:
        return None
    raw = mem.get(off, _MCAST_SIZE)
    if raw is None:
        return mem.addr(off)
    words = struct.unpack(f"<{_MCAST_SIZE // 8}Q", raw)
    parts, at = [], 0
    for name in _MCAST_NAMES:
        if name in _MCAST_SINGLE:
            parts.append(f"{name}={words[at]}")
            at += 1
        else:
            parts.append(f"{name}={_per_direction(words[at : at + 2])}")
            at += 2
    text = "{" + ", ".join(parts) + "}"
    return f"{text}, {hexstr(mem, off + _MCAST_SIZE, length - _MCAST_SIZE)}" if length > _MCAST_SIZE else text


_BRIDGE_XSTATS = attr_set("ifstats_xstats_bridge_attrs", "BRIDGE_XSTATS_???", {
    "BRIDGE_XSTATS_VLAN": _struct_then_hex("<4QHHI", (
        fld("rx_bytes", u), fld("rx_packets", u), fld("tx_bytes", u), fld("tx_packets", u), fld("vid", u),
        fld("flags", bits("nl_bridge_vlan_flags", "BRIDGE_VLAN_INFO_???")), fld("pad2", x, True))),
    "BRIDGE_XSTATS_MCAST": _mcast,
    "BRIDGE_XSTATS_STP": _struct_then_hex("<6Q", tuple(fld(name, u) for name in (
        "transition_blk", "transition_fwd", "rx_bpdu", "tx_bpdu", "rx_tcn", "tx_tcn"))),
})  # fmt: skip
_BOND_3AD = attr_set("ifstats_xstats_bond_3ad_attrs", "BOND_XSTATS_???", dict.fromkeys((
    "BOND_3AD_STAT_LACPDU_RX", "BOND_3AD_STAT_LACPDU_TX", "BOND_3AD_STAT_LACPDU_UNKNOWN_RX",
    "BOND_3AD_STAT_LACPDU_ILLEGAL_RX", "BOND_3AD_STAT_MARKER_RX", "BOND_3AD_STAT_MARKER_TX",
    "BOND_3AD_STAT_MARKER_RESP_RX", "BOND_3AD_STAT_MARKER_RESP_TX", "BOND_3AD_STAT_MARKER_UNKNOWN_RX"), u64))
_BOND_XSTATS = attr_set("ifstats_xstats_bond_attrs", "BOND_XSTATS_???", {"BOND_XSTATS_3AD": nested(_BOND_3AD)})
_XSTATS = nested(attr_set("ifstats_xstats_type_attrs", "LINK_XSTATS_TYPE_???", {
    "LINK_XSTATS_TYPE_BRIDGE": nested(_BRIDGE_XSTATS), "LINK_XSTATS_TYPE_BOND": nested(_BOND_XSTATS)}))
_MPLS = attr_set("ifstats_af_spec_mpls_attrs", "MPLS_STATS_???", {
    "MPLS_STATS_LINK": _struct_then_hex("<9Q", tuple(fld(name, u) for name in (
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
        "rx_noroute")))})  # fmt: skip


def _af(mem: Mem, off: int, length: int, nla_type: Any) -> str | None:
    """An IFLA_STATS_AF_SPEC entry: its type is an address family."""
    if nla_type != AF_MPLS:
        return hexstr(mem, off, length)
    return nlattrs(mem, off, length, _MPLS)


IFSTATS_ATTRS = attr_set("ifstats_attrs", "IFLA_STATS_???", {
    "IFLA_STATS_LINK_64": LINK_DECODERS["IFLA_STATS64"],
    "IFLA_STATS_LINK_XSTATS": _XSTATS,
    "IFLA_STATS_LINK_XSTATS_SLAVE": _XSTATS,
    "IFLA_STATS_LINK_OFFLOAD_XSTATS": nested(attr_set("ifstats_offload_attrs", "IFLA_OFFLOAD_XSTATS_???", {
        "IFLA_OFFLOAD_XSTATS_CPU_HIT": LINK_DECODERS["IFLA_STATS64"]})),
    "IFLA_STATS_AF_SPEC": nested(AttrSet("addrfams", "AF_???", any_type=_af)),
})  # fmt: skip
