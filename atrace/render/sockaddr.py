"""struct sockaddr of each address family, as strace prints it.

A decoder per family (`_FAMILIES`: the struct's size and its decoder); an
address shorter than its family's struct, or of a family without one, is
shown as sa_family and sa_data's bytes.  Numbers strace prints in network
byte order (ports, IPv4/IPv6 addresses) follow -X: `htons(80)`, under raw
the bytes in hex (`"\\x00\\x50"`), under verbose both.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from collections.abc import Callable
from typing import Any

from .fds import fd_text
from .flag_tables import TABLES
from .flags import const_style, format_constant, format_flags, named_bits, number, styled
from .options import TextOptions
from .quoting import quote

AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET = 1, 2, 10, 16, 17


def hex_bytes(data: bytes) -> str:
    return '"' + "".join(f"\\x{byte:02x}" for byte in data) + '"'


def in_network_order(data: bytes, readable: str) -> str:
    """Bytes strace explains as a macro call (htons(80), inet_addr(...)):
    the explanation, under -X raw the bytes, under verbose both."""
    style = const_style()
    if style == "abbrev":
        return readable
    return hex_bytes(data) if style == "raw" else f"{hex_bytes(data)} /* {readable} */"


def interface(index: int) -> str:
    """An interface index, by name when this machine has it (-X styled)."""
    try:
        name = socket.if_indextoname(index)
    except OSError:
        return str(index)
    return styled(str(index), f'if_nametoindex("{name}")')


def hardware_address(address: bytes) -> str:
    """A link-layer address: ff:ff:..., under -X raw its bytes in hex, -X
    verbose both."""
    return in_network_order(address, ":".join(f"{byte:02x}" for byte in address))


def commented(value: int, names: dict[int, str], unknown: str | None = None) -> str:
    """A value strace names in a comment in every style but raw
    (`0x2 /* IEEE802154_ADDR_SHORT */`); an unknown one with `unknown`."""
    name = names.get(value, unknown)
    shown = number(value)
    return shown if name is None or const_style() == "raw" else f"{shown} /* {name} */"


def commented_flags(value: int, table: list[tuple[int, str]], unknown: str) -> str:
    """A flag word strace comments in every style but raw."""
    if not value or const_style() == "raw":
        return number(value)
    names, rest = named_bits(value, table)
    if not names:
        return f"{value:#x} /* {unknown} */"
    return f"{value:#x} /* {'|'.join([*names, hex(rest)] if rest else names)} */"


def flags_with_unknown(value: int, table: str, unknown: str) -> str:
    """A flag word; with no known flag set, in hex with `unknown` as a
    comment (but under -X raw)."""
    if value and not named_bits(value, TABLES[table])[0] and const_style() != "raw":
        return f"{value:#x} /* {unknown} */"
    return format_flags(value, table)


def _cstring(data: bytes, options: TextOptions) -> str:
    """A char array: up to its NUL, at most one byte less than its size,
    `...` when it has no NUL."""
    end = data.find(b"\0")
    if end < 0:
        return quote(data[: max(len(data) - 1, 0)], len(data), options.hex_strings) + "..."
    return quote(data[:end], len(data), options.hex_strings)


def _family(value: int) -> str:
    return format_constant(value, "family")


# -- families --------------------------------------------------------------


def _unix(raw: bytes, options: TextOptions) -> list[str]:
    """sun_path, at most its 108 bytes: up to its NUL, or an abstract
    name (a NUL first) whole, NULs included."""
    path = raw[2 : 2 + 108]
    if not path:
        return []
    if path[:1] == b"\0":
        return ["sun_path=@" + quote(path[1:], 108, options.hex_strings)]
    return ["sun_path=" + quote(path.split(b"\0", 1)[0], 108, options.hex_strings)]


def _inet(raw: bytes, options: TextOptions, prefix: str = "sin") -> list[str]:
    port = struct.unpack_from(">H", raw, 2)[0]
    address = 'inet_addr("' + str(ipaddress.IPv4Address(raw[4:8])) + '")'
    return [f"{prefix}_port={in_network_order(raw[2:4], f'htons({port})')}",
            f"{prefix}_addr={in_network_order(raw[4:8], address)}"]  # fmt: skip


def _inet6(raw: bytes, options: TextOptions) -> list[str]:
    port, flowinfo = struct.unpack_from(">HI", raw, 2)
    address = ipaddress.IPv6Address(raw[8:24])
    pton = 'inet_pton(AF_INET6, "' + str(address) + '"'
    style = const_style()
    shown_address = f"{pton}, &sin6_addr)" if style == "abbrev" else (
        f"sin6_addr={in_network_order(raw[8:24], pton + ')')}")  # fmt: skip
    parts = [f"sin6_port={in_network_order(raw[2:4], f'htons({port})')}",
             f"sin6_flowinfo={in_network_order(raw[4:8], f'htonl({flowinfo})')}", shown_address]  # fmt: skip
    if len(raw) >= 28:
        scope = struct.unpack_from("<I", raw, 24)[0]
        # A scope names an interface for link-local and multicast addresses.
        named = address.is_link_local or address.is_multicast
        parts.append(f"sin6_scope_id={interface(scope) if named else scope}")
    return parts


def _netlink(raw: bytes, options: TextOptions) -> list[str]:
    pad, pid, groups = struct.unpack_from("<HII", raw, 2)
    # C's %#08x: 0 is 00000000.
    parts = [f"nl_pad={pad:#x}"] if pad else []
    return [*parts, f"nl_pid={pid}", f"nl_groups={groups:#08x}" if groups else "nl_groups=00000000"]


_ETH_P = {0x0003: "ETH_P_ALL", 0x0800: "ETH_P_IP", 0x0806: "ETH_P_ARP", 0x86DD: "ETH_P_IPV6",
          0x8100: "ETH_P_8021Q", 0x88CC: "ETH_P_LLDP"}  # fmt: skip


def _packet(raw: bytes, options: TextOptions) -> list[str]:
    protocol = struct.unpack_from(">H", raw, 2)[0]
    index, hatype, pkttype, halen = struct.unpack_from("<iHBB", raw, 4)
    name = _ETH_P.get(protocol)
    protocol_text = f"htons({name})" if name else f"htons({protocol:#x})"
    parts = [f"sll_protocol={in_network_order(raw[2:4], protocol_text)}",
             f"sll_ifindex={interface(index & 0xFFFFFFFF)}", f"sll_hatype={format_constant(hatype, 'arphrd')}",
             f"sll_pkttype={format_constant(pkttype, 'packet_type')}", f"sll_halen={halen}"]  # fmt: skip
    if halen:
        shown = [f"{byte:#x}" for byte in raw[12 : 12 + min(halen, 8)]]
        parts.append("sll_addr=[" + ", ".join(shown + (["..."] if halen > 8 else [])) + "]")
    return parts


_RXRPC_SERVICES = {1: "CM_SERVICE", 52: "VL_SERVICE", 2500: "YFS_FS_SERVICE", 2501: "YFS_CM_SERVICE",
                   2503: "YFS_VL_SERVICE"}  # fmt: skip


def _rxrpc(raw: bytes, options: TextOptions) -> list[str]:
    service, kind, length = struct.unpack_from("<HHH", raw, 2)
    transport = raw[8:36]
    family = struct.unpack_from("<H", transport)[0]
    have = min(length, len(transport))
    if family == AF_INET and length >= 16:
        inner = "sin={" + ", ".join([f"sin_family={_family(family)}", *_inet(transport, options)]) + "}"
    elif family == AF_INET6 and length >= 24:
        inner = "sin6={" + ", ".join([f"sin6_family={_family(family)}", *_inet6(transport[:length], options)]) + "}"
    else:
        data = ", " + quote(transport[2:have], len(transport), options.hex_strings) if have > 2 else ""
        name = {AF_INET: "sin", AF_INET6: "sin6"}.get(family)
        inner = f"{name}={{{name}_family={_family(family)}{data}}}" if name else f"family={_family(family)}{data}"
    return [f"srx_service={commented(service, _RXRPC_SERVICES, '???_SERVICE')}",
            f"transport_type={format_constant(kind, 'sock_kind')}", f"transport_len={length}",
            f"transport={{{inner}}}"]  # fmt: skip


_IEEE802154_TYPES = {0: "IEEE802154_ADDR_NONE", 2: "IEEE802154_ADDR_SHORT", 3: "IEEE802154_ADDR_LONG"}


def _ieee802154(raw: bytes, options: TextOptions) -> list[str]:
    kind, pan = struct.unpack_from("<iH", raw, 4)
    kind &= 0xFFFFFFFF
    parts = [f"addr_type={commented(kind, _IEEE802154_TYPES, 'IEEE802154_ADDR_???')}",
             f"pan_id={commented(pan, {0xFFFF: 'IEEE802154_PANID_BROADCAST'})}"]  # fmt: skip
    if kind == 2:
        short = struct.unpack_from("<H", raw, 10)[0]
        names = {0xFFFE: "IEEE802154_ADDR_UNDEF", 0xFFFF: "IEEE802154_ADDR_BROADCAST"}
        parts.append(f"short_addr={commented(short, names)}")
    elif kind != 0:
        parts.append(f"hwaddr={hardware_address(raw[10:18])}")
    return ["addr={" + ", ".join(parts) + "}"]


_CRYPTO_ALG = [(0x1000, "CRYPTO_ALG_KERN_DRIVER_ONLY")]


def _alg(raw: bytes, options: TextOptions) -> list[str]:
    feat, mask = struct.unpack_from("<II", raw, 16)
    return [f"salg_type={_cstring(raw[2:16], options)}",
            f"salg_feat={commented_flags(feat, _CRYPTO_ALG, 'CRYPTO_ALG_???')}",
            f"salg_mask={commented_flags(mask, _CRYPTO_ALG, 'CRYPTO_ALG_???')}",
            f"salg_name={_cstring(raw[24:88], options)}"]  # fmt: skip


_LLCP_SAP = {1: "LLCP_SAP_SDP", 0xFF: "LLCP_SAP_MAX"}


def _nfc(raw: bytes, options: TextOptions) -> list[str]:
    index, target, protocol = struct.unpack_from("<III", raw, 4)
    parts = [f"dev_idx={interface(index)}", f"target_idx={number(target)}",
             f"nfc_protocol={format_constant(protocol, 'nfc_proto')}"]  # fmt: skip
    if len(raw) >= 96:
        dsap, ssap = raw[16], raw[17]
        name_len = struct.unpack_from("<Q", raw, 88)[0]
        name = quote(raw[18 : 18 + min(name_len, 63)], 63, options.hex_strings)
        parts += [f"dsap={commented(dsap, _LLCP_SAP)}", f"ssap={commented(ssap, _LLCP_SAP)}",
                  f"service_name={name}", f"service_name_len={name_len}"]  # fmt: skip
    elif len(raw) > 16:
        parts.append("...")
    return parts


_VSOCK_CID = {0: "VMADDR_CID_HYPERVISOR", 1: "VMADDR_CID_LOCAL", 2: "VMADDR_CID_HOST", 0xFFFFFFFF: "VMADDR_CID_ANY"}


def _vsock(raw: bytes, options: TextOptions) -> list[str]:
    reserved, port, cid, flags = struct.unpack_from("<HIIB", raw, 2)
    parts = [f"svm_reserved1={reserved:#x}"] if reserved else []
    parts += [f"svm_cid={styled(number(cid), _VSOCK_CID.get(cid))}",
              f"svm_port={styled(number(port), 'VMADDR_PORT_ANY' if port == 0xFFFFFFFF else None)}",
              f"svm_flags={flags_with_unknown(flags, 'vmaddr_flag', 'VMADDR_FLAG_???')}"]  # fmt: skip
    if any(raw[13:16]):
        parts.append(f"svm_zero={hex_bytes(raw[13:16])}")
    return parts


def _qipcrtr(raw: bytes, options: TextOptions) -> list[str]:
    node, port = struct.unpack_from("<II", raw, 4)
    return [f"sq_node={styled(number(node), 'QRTR_NODE_BCAST' if node == 0xFFFFFFFF else None)}",
            f"sq_port={styled(number(port), 'QRTR_PORT_CTRL' if port == 0xFFFFFFFE else None)}"]  # fmt: skip


_XDP_SHARED_UMEM = 1


_AF_XDP = 44


def _xdp(raw: bytes, options: TextOptions, umem_fd_path: Any = None) -> list[str]:
    flags, index, queue, umem_fd = struct.unpack_from("<HIII", raw, 2)
    parts = [f"sxdp_flags={flags_with_unknown(flags, 'xdp_flags', 'XDP_???')}", f"sxdp_ifindex={interface(index)}",
             f"sxdp_queue_id={queue}"]  # fmt: skip
    # The fd means something with XDP_SHARED_UMEM; otherwise shown only when set.
    if flags & _XDP_SHARED_UMEM:
        fd = str(umem_fd - (1 << 32) if umem_fd >> 31 else umem_fd)
        parts.append(f"sxdp_shared_umem_fd={fd_text(fd, umem_fd_path, None, options.decode_fds)}")
    elif umem_fd:
        parts.append(f"sxdp_shared_umem_fd={umem_fd:#x}")
    return parts


def _mctp(raw: bytes, options: TextOptions) -> list[str]:
    pad0, network, address, kind, tag, pad1 = struct.unpack_from("<HIBBBB", raw, 2)
    addresses = {0: "MCTP_ADDR_NULL", 0xFF: "MCTP_ADDR_ANY"}
    parts = [f"__smctp_pad0={pad0:#x}"] if pad0 else []
    parts += [f"smctp_network={styled(number(network), 'MCTP_NET_ANY' if network == 0 else None)}",
              f"smctp_addr={{s_addr={styled(number(address), addresses.get(address))}}}",
              f"smctp_type={number(kind)}", f"smctp_tag={number(tag)}"]  # fmt: skip
    if pad1:
        parts.append(f"__smctp_pad1={pad1:#x}")
    return parts


_AX25_CALL_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _ax25_address(raw: bytes) -> str:
    """An AX.25 address (6 shifted characters and an SSID byte): CALL-SSID
    when it is a valid callsign, `*` for the null one, else its bytes with
    what they spell as a comment when that is printable."""
    chars = bytes(byte >> 1 for byte in raw[:6])
    ssid = raw[6] >> 1 & 0xF
    if raw == b"\x40" * 6 + b"\0":
        return "*"
    call = chars.rstrip(b" ")
    low_bits = any(byte & 1 for byte in raw[:6])
    if call and not low_bits and not raw[6] & ~0x1E and all(char in _AX25_CALL_CHARS for char in call):
        return f"{call.decode()}-{ssid}"
    text = hex_bytes(raw)
    spelled = call.decode("latin-1")
    if all(0x20 <= char < 0x7F for char in call) and "*/" not in spelled:
        return f"{{ax25_call={text}}} /* {spelled}-{ssid} */"
    return f"{{ax25_call={text}}}"


def _ax25(raw: bytes, options: TextOptions) -> list[str]:
    call = _ax25_address(raw[2:9])
    ndigis = struct.unpack_from("<i", raw, 12)[0]
    if len(raw) == 16 and ndigis == 0:
        return [f"sax25_call={call}", "sax25_ndigis=0"]
    wanted = min(max(ndigis, 0), 8)
    available = min((len(raw) - 16) // 7, 8)
    digis = [_ax25_address(raw[16 + 7 * index : 23 + 7 * index]) for index in range(min(wanted, available))]
    if wanted > available:
        digis.append("...")
    parts = [f"fsa_ax25={{sax25_call={call}, sax25_ndigis={ndigis}}}", "fsa_digipeater=[" + ", ".join(digis) + "]"]
    # Bytes past the digipeaters: a cut one, or more than the 8 there can be.
    return [*parts, "..."] if len(raw) > 72 or (len(raw) - 16) % 7 else parts


def _ipx(raw: bytes, options: TextOptions) -> list[str]:
    port, network = struct.unpack_from(">HI", raw, 2)
    node = ", ".join(f"{byte:#x}" for byte in raw[8:14])
    parts = [f"sipx_port={in_network_order(raw[2:4], f'htons({port})')}",
             f"sipx_network={in_network_order(raw[4:8], f'htonl({network:#x})')}",
             f"sipx_node=[{node}]", f"sipx_type={raw[14]:#x}"]  # fmt: skip
    if raw[15]:
        parts.append(f"sipx_zero={raw[15]:#x}")
    return parts


def _x25(raw: bytes, options: TextOptions) -> list[str]:
    return [f"sx25_addr={{x25_addr={_cstring(raw[2:18], options)}}}"]


# family -> (the size of its struct, its decoder)
_FAMILIES: dict[int, tuple[int, Callable[[bytes, TextOptions], list[str]]]] = {
    AF_UNIX: (2, _unix),
    AF_INET: (16, _inet),
    3: (16, _ax25),
    4: (16, _ipx),
    9: (18, _x25),
    AF_INET6: (24, _inet6),
    AF_NETLINK: (12, _netlink),
    AF_PACKET: (20, _packet),
    33: (36, _rxrpc),
    36: (20, _ieee802154),
    38: (25, _alg),  # from the first byte of salg_name
    39: (16, _nfc),
    40: (16, _vsock),
    42: (12, _qipcrtr),
    44: (16, _xdp),
    45: (12, _mctp),
}


def format_sockaddr(raw: bytes, options: TextOptions, umem_fd_path: Any = None) -> str:
    """A struct sockaddr of any family, as strace prints it (`umem_fd_path`:
    -y's path of an AF_XDP address's shared_umem_fd, when recorded)."""
    if len(raw) < 2:
        return "{}"
    family = struct.unpack_from("<H", raw)[0]
    head = f"sa_family={_family(family)}"
    found = _FAMILIES.get(family)
    if found is not None and len(raw) >= found[0]:
        parts = _xdp(raw, options, umem_fd_path) if family == _AF_XDP else found[1](raw, options)
    else:
        # Whole: strace does not cut sa_data at -s.
        parts = ["sa_data=" + quote(raw[2:], len(raw), options.hex_strings)]
    return "{" + ", ".join([head, *parts]) + "}"

