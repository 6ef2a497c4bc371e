"""Socket option values that are structs or masks: multicast requests
(ip_mreq, ipv6_mreq, group_req), the ICMP filter.  A table of (level,
option) to the value's size and formatter; atrace.render.decode.net asks it
before its generic int and buffer cases.

strace shows such a value decoded when the length passed is at least the
struct's size (only the struct is read), and its address when the length is
shorter or the memory unreadable.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from collections.abc import Callable

from ...syscalls import ARCH_I386
from .. import structs
from ..call import Call
from ..flags import const_style, format_constant
from ..options import TextOptions
from ..quoting import quote
from ..sockaddr import format_sockaddr

SOL_IP, SOL_IPV6, SOL_RAW, SOL_PACKET = 0, 41, 255, 263
PACKET_ADD_MEMBERSHIP, PACKET_DROP_MEMBERSHIP, PACKET_RX_RING, PACKET_STATISTICS, PACKET_TX_RING = 1, 2, 5, 6, 13
IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP, MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP = 35, 36, 42, 45
IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP, IPV6_JOIN_ANYCAST, IPV6_LEAVE_ANYCAST = 20, 21, 27, 28
ICMP_FILTER = 1

_ICMP_TYPES = {0: "ICMP_ECHOREPLY", 3: "ICMP_DEST_UNREACH", 4: "ICMP_SOURCE_QUENCH", 5: "ICMP_REDIRECT",
               8: "ICMP_ECHO", 11: "ICMP_TIME_EXCEEDED", 12: "ICMP_PARAMETERPROB", 13: "ICMP_TIMESTAMP",
               14: "ICMP_TIMESTAMPREPLY", 15: "ICMP_INFO_REQUEST", 16: "ICMP_INFO_REPLY", 17: "ICMP_ADDRESS",
               18: "ICMP_ADDRESSREPLY"}  # fmt: skip


def interface_name(index: int) -> str:
    """An interface index, by name when this machine has it."""
    try:
        return f'if_nametoindex("{socket.if_indextoname(index)}")'
    except OSError:
        return str(index)


def _ip_mreq(raw: bytes, options: TextOptions, wide: bool) -> str:
    group, interface = ipaddress.IPv4Address(raw[:4]), ipaddress.IPv4Address(raw[4:8])
    return f'{{imr_multiaddr=inet_addr("{group}"), imr_interface=inet_addr("{interface}")}}'


def _ipv6_mreq(raw: bytes, options: TextOptions, wide: bool) -> str:
    group = ipaddress.IPv6Address(raw[:16])
    index = struct.unpack_from("<I", raw, 16)[0]
    return f'{{inet_pton(AF_INET6, "{group}", &ipv6mr_multiaddr), ipv6mr_interface={interface_name(index)}}}'


def _group_req(raw: bytes, options: TextOptions, wide: bool) -> str:
    # The sockaddr_storage is aligned to the ABI's long: at 8, or 4 on i386.
    index = struct.unpack_from("<I", raw)[0]
    start = 8 if wide else 4
    return f"{{gr_interface={interface_name(index)}, gr_group={format_sockaddr(raw[start : start + 128], options)}}}"


def _icmp_filter(raw: bytes, options: TextOptions, wide: bool) -> str:
    """The types whose bits are set; with more than half set, the complement (~[...])."""
    mask = struct.unpack_from("<I", raw)[0]
    inverted = bin(mask).count("1") > 16
    if inverted:
        mask = ~mask & 0xFFFFFFFF
    names = [_ICMP_TYPES.get(bit, str(bit)) for bit in range(32) if mask >> bit & 1]
    return ("~[" if inverted else "[") + " ".join(names) + "]"


def _packet_mreq(raw: bytes, options: TextOptions, wide: bool) -> str:
    """struct packet_mreq: the address's first mr_alen bytes (at most its 8)."""
    index, kind, alen = struct.unpack_from("<iHH", raw)
    address = raw[8 : 8 + min(alen, 8)]
    return (f"{{mr_ifindex={interface_name(index)}, mr_type={format_constant(kind, 'packet_mr')}, "
            f"mr_alen={alen}, mr_address={hardware_address(address, options)}}}")  # fmt: skip


def hardware_address(address: bytes, options: TextOptions) -> str:
    """A link-layer address: ff:ff:..., under -X raw its bytes in hex, -X
    verbose both."""
    colons = ":".join(f"{byte:02x}" for byte in address)
    style = const_style()
    if style == "abbrev":
        return colons
    escaped = '"' + "".join(f"\\x{byte:02x}" for byte in address) + '"'
    return escaped if style == "raw" else f"{escaped} /* {colons} */"


def _tpacket_req(raw: bytes, options: TextOptions, wide: bool) -> str:
    names = ("tp_block_size", "tp_block_nr", "tp_frame_size", "tp_frame_nr")
    return "{" + ", ".join(f"{n}={v}" for n, v in zip(names, struct.unpack_from("<4I", raw), strict=True)) + "}"


def format_tpacket_stats(raw: bytes) -> str:
    """struct tpacket_stats(_v3), as far as the bytes go (a cut field in hex)."""
    names = ("tp_packets", "tp_drops", "tp_freeze_q_cnt")
    fields, rest = structs.int_fields(raw, names)
    shown = [f"{key}={value & 0xFFFFFFFF}" for key, value in fields]
    if rest:
        shown.append(f"{names[len(fields)]}={quote(rest, len(rest), 2)}")
    return "{" + ", ".join(shown) + "}"


# (level, option) -> (bytes the value needs in a 64-bit ABI and in i386, its formatter)
SOCKOPT_STRUCTS: dict[tuple[int, int], tuple[int, int, Callable[[bytes, TextOptions, bool], str]]] = {
    (SOL_IP, IP_ADD_MEMBERSHIP): (8, 8, _ip_mreq),
    (SOL_IP, IP_DROP_MEMBERSHIP): (8, 8, _ip_mreq),
    **{(level, name): (136, 132, _group_req)
       for level in (SOL_IP, SOL_IPV6) for name in (MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP)},
    **{(SOL_IPV6, name): (20, 20, _ipv6_mreq)
       for name in (IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP, IPV6_JOIN_ANYCAST, IPV6_LEAVE_ANYCAST)},
    (SOL_RAW, ICMP_FILTER): (4, 4, _icmp_filter),
    (SOL_PACKET, PACKET_ADD_MEMBERSHIP): (16, 16, _packet_mreq),
    (SOL_PACKET, PACKET_DROP_MEMBERSHIP): (16, 16, _packet_mreq),
    (SOL_PACKET, PACKET_RX_RING): (16, 16, _tpacket_req),
    (SOL_PACKET, PACKET_TX_RING): (16, 16, _tpacket_req),
}  # fmt: skip
# The options strace decodes only when the length is the struct's own.
_EXACT = frozenset({(SOL_PACKET, PACKET_ADD_MEMBERSHIP), (SOL_PACKET, PACKET_DROP_MEMBERSHIP),
                    (SOL_PACKET, PACKET_RX_RING), (SOL_PACKET, PACKET_TX_RING)})  # fmt: skip


def format_struct_option(level: int, name: int, raw: bytes | None, length: int, call: Call) -> str | None:
    """The value of a struct option, or None (show the address) when it
    is too short or was not read; not a struct option: None too."""
    found = SOCKOPT_STRUCTS.get((level, name))
    if found is None:
        return None
    wide = call.arch != ARCH_I386
    size = found[0] if wide else found[1]
    if raw is None or length < size or len(raw) < size or (length != size and (level, name) in _EXACT):
        return None
    return found[2](raw, call.options, wide)


def is_struct_option(level: int, name: int) -> bool:
    return (level, name) in SOCKOPT_STRUCTS
