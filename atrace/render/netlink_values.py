"""Attribute and field decoders of netlink payloads: numbers, strings,
constants and flags of up to 8 bytes, arrays, interface indexes, and the
fixed structs that open most payloads (`MsgStruct`, rows of data)."""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .netlink_core import AttrDecoder, AttrSet, Mem, align4, current_style, hexstr, nlattrs, styled, text, xflags, xval
from .quoting import quote

# -- scalar attribute decoders ----------------------------------------


def number_attr(fmt: str, show: Callable[[int], str] = str) -> AttrDecoder:
    """A number of the struct-module format `fmt`: in hex when shorter."""
    layout = struct.Struct(fmt)

    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        if length < layout.size:
            return None
        value = mem.unpack(layout, off)
        return mem.addr(off) if value is None else show(value[0])

    return decode


u8, u16, u32, u64 = number_attr("<B"), number_attr("<H"), number_attr("<I"), number_attr("<Q")
s8, s16, s32, s64 = number_attr("<b"), number_attr("<h"), number_attr("<i"), number_attr("<q")


def hex0(value: int) -> str:
    return hex(value) if value else "0"


x8, x16, x32, x64 = (number_attr(fmt, hex0) for fmt in ("<B", "<H", "<I", "<Q"))


def nla_str(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    return text(mem, off, length)


def nla_strn(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """A string of exactly `length` bytes (strace's printstrn)."""
    if mem.base + off == 0:
        return "NULL"
    raw = mem.get(off, min(length, mem.limit + 1))
    if raw is None:
        return mem.addr(off)
    size = min(length, mem.limit)
    return quote(raw[:size], size, mem.hex_mode, cut=False) + ("..." if length > mem.limit else "")


def nla_xint(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    decoder = {1: x8, 2: x16, 4: x32, 8: x64}.get(length)
    return None if decoder is None else decoder(mem, off, length, opaque)


def read_uint(mem: Mem, off: int, length: int) -> int | None:
    raw = mem.get(off, length)
    return None if raw is None else int.from_bytes(raw, "little")


def nla_value(table: str, dflt: str, size: int = 0, dec: bool = False) -> AttrDecoder:
    """A constant of up to 8 bytes (strace's decode_nla_xval)."""

    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        if length > 8 or length < size:
            return None
        value = read_uint(mem, off, min(length, size) if size else length)
        return mem.addr(off) if value is None else xval(value, table, dflt, dec)

    return decode


def nla_flags(tables: tuple[str, ...], dflt: str, size: int = 0) -> AttrDecoder:
    """A flag word of up to 8 bytes (strace's decode_nla_flags)."""

    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        if length > 8 or length < size:
            return None
        value = read_uint(mem, off, min(length, size) if size else length)
        return mem.addr(off) if value is None else xflags(value, tables, dflt)

    return decode


def array(element: int, show: Callable[[bytes], str], mem: Mem, off: int, length: int) -> str:
    """An array of fixed-size elements (strace's print_array): cut at -s,
    an unreadable element ends it with its address."""
    count = length // element
    items: list[str] = []
    for index in range(count):
        if mem.abbrev and index == mem.limit:
            items.append("...")
            break
        raw = mem.get(off + index * element, element)
        if raw is None:
            if index == 0:
                return mem.addr(off)
            items.append(f"... /* {mem.addr(off + index * element)} */")
            break
        items.append(show(raw))
    return "[" + ", ".join(items) + "]"


# -- interface indexes and message structs ----------------------------


def ifindex(value: int) -> str:
    """An interface index by its name on this machine, as strace shows one."""
    try:
        name = socket.if_indextoname(value)
    except OSError:
        return str(value)
    return styled(str(value), f"if_nametoindex({quote(name.encode(), len(name))})")


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
class MsgStruct:
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


def fld(name: str, show: Printer, when_set: bool = False) -> Field:
    return (name, show, when_set)


def nla_ifindex(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    if length < 4:
        return None
    value = mem.unpack("<I", off)
    return mem.addr(off) if value is None else ifindex(value[0])


FAMILY: Printer = const("addrfams", "AF_???")


def family_struct(spec: MsgStruct, mem: Mem, off: int, length: int, family: int) -> str:
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
        # The attribute decoders get the family (addresses print by it).
        return f"{head}, {nlattrs(mem, off + start, length - start, spec.attrs, family)}"
    return head




def struct_text(fields_: tuple[Field | None, ...], values: tuple[Any, ...]) -> str:
    """`{name=value, ...}` of the printed fields (None: padding)."""
    shown = [f"{field[0]}={field[1](value)}" for field, value in zip(fields_, values, strict=False)
             if field is not None and not (field[2] and not value)]  # fmt: skip
    return "{" + ", ".join(shown) + "}"


def struct_attr(layout: str, fields_: tuple[Field | None, ...], order: tuple[int, ...] = ()) -> AttrDecoder:
    """An attribute holding one struct: in hex when shorter than the struct,
    its address when unreadable (strace's decoders of struct attributes).
    `order`: the layout's values in the order the fields print, when strace
    prints them in another order than the struct has them."""
    size = struct.calcsize(layout)

    def decode(mem: Mem, off: int, length: int, opaque: object) -> str | None:
        if length < size:
            return None
        values = mem.unpack(layout, off)
        if values is None:
            return mem.addr(off)
        return struct_text(fields_, tuple(values[i] for i in order) if order else values)

    return decode


def array_attr(layout: str, show: Callable[[tuple[Any, ...]], str]) -> AttrDecoder:
    """An attribute holding an array of fixed-size elements."""
    element = struct.Struct(layout)

    def decode(mem: Mem, off: int, length: int, opaque: object) -> str | None:
        if length < element.size:
            return None
        return array(element.size, lambda raw: show(element.unpack(raw)), mem, off, length)

    return decode


def cookie(value: int) -> str:
    """A socket cookie, two u32 (strace's PRINT_FIELD_COOKIE)."""
    return f"[{value & 0xFFFFFFFF}, {value >> 32}]"


def dev(value: int) -> str:
    """A dev_t as glibc's major() and minor() split it."""
    major = ((value >> 8) & 0xFFF) | ((value >> 32) & ~0xFFF)
    minor = (value & 0xFF) | ((value >> 12) & ~0xFF)
    return f"makedev({hex(major) if major else '0'}, {hex(minor) if minor else '0'})"


def uid(value: int) -> str:
    return "-1" if value == 0xFFFFFFFF else str(value)


def nla_uid(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    if length < 4:
        return None
    value = mem.unpack("<I", off)
    return mem.addr(off) if value is None else uid(value[0])


def nla_meminfo(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    """sk_meminfo: u32 counters, each with its SK_MEMINFO_* index."""
    if length < 4:
        return None
    index = iter(range(length // 4))
    return array(4, lambda raw: f"[{xval(next(index), 'netlink_sk_meminfo_indices', 'SK_MEMINFO_???', dec=True)}]"
                 f"={int.from_bytes(raw, 'little')}", mem, off, length)  # fmt: skip


AF_INET, AF_INET6 = 2, 10


def inet_addr(name: str | None, raw: bytes, family: int) -> str:
    """An address of an address family (strace's print_inet_addr), `name=`
    before it when it is a field: inet_addr("1.2.3.4"), inet_pton(AF_INET6,
    "::1", &name); other families, and -X raw, as the bytes in hex."""
    field = f"{name}=" if name else ""
    as_hex = field + quote(raw, len(raw), 2)
    if family == AF_INET and len(raw) >= 4:
        return field + styled(quote(raw, len(raw), 2), f'inet_addr("{ipaddress.IPv4Address(raw[:4])}")')
    if family == AF_INET6 and len(raw) >= 16:
        address = ipaddress.IPv6Address(raw[:16])
        mapped = address.ipv4_mapped
        # inet_ntop writes an IPv4-mapped address with its IPv4 part dotted.
        shown = f'inet_pton(AF_INET6, "{f"::ffff:{mapped}" if mapped is not None else address}"'
        if current_style() == "abbrev":
            return shown + (f", &{name})" if name else ")")
        return styled(as_hex, shown + ")")
    return as_hex


def net_port(raw: bytes) -> str:
    """A port in network order (strace's PRINT_FIELD_NET_PORT)."""
    return styled(quote(raw, len(raw), 2), f"htons({int.from_bytes(raw, 'big')})")


_SOCKID = struct.Struct("<2s2s16s16sIQ")


def inet_diag_sockid(family: int) -> Printer:
    """struct inet_diag_sockid (48 bytes, given raw): ports and addresses in
    network order, the interface, the cookie."""

    def show(raw: bytes) -> str:
        sport, dport, src, dst, index, value = _SOCKID.unpack(raw)
        return ("{" + f"idiag_sport={net_port(sport)}, "
                f"idiag_dport={net_port(dport)}, {inet_addr('idiag_src', src, family)}, "
                f"{inet_addr('idiag_dst', dst, family)}, idiag_if={ifindex(index)}, "
                f"idiag_cookie={cookie(value)}" + "}")  # fmt: skip

    return show  # type: ignore[return-value]


def nla_family_addr(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    """An address of the message's family (the opaque value): strace's
    decode_inet_addr without a field name."""
    family = opaque if isinstance(opaque, int) else -1
    size = {AF_INET: 4, AF_INET6: 16}.get(family, 0)
    if not size or length < size:
        return hexstr(mem, off, length)
    raw = mem.get(off, size)
    return mem.addr(off) if raw is None else inet_addr(None, raw, family)


_CLK_TCK = os.sysconf("SC_CLK_TCK")


def clock_t(value: int) -> str:
    """Clock ticks, with the seconds they make as a comment."""
    if value <= 0 or _CLK_TCK <= 0 or current_style() == "raw":
        return str(value)
    digits = min(len(str(_CLK_TCK)) - 1, 9)
    seconds = f"{value // _CLK_TCK}.{value % _CLK_TCK * 10**digits // _CLK_TCK:0{digits}d}" if digits else \
        str(value // _CLK_TCK)  # fmt: skip
    return f"{value} /* {seconds} s */"


def nla_clock_t(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    if length > 8:
        return None
    raw = mem.get(off, length)
    return mem.addr(off) if raw is None else clock_t(int.from_bytes(raw, "little"))


def zero_x(width: int) -> Printer:
    """C's %#0*x: hex padded to `width` characters (0 has no 0x)."""
    return lambda value: f"{value:#0{width}x}" if value else "0" * width


def d(value: int) -> str:
    """A signed field (its layout unpacks it signed)."""
    return str(value)


def nla_in_addr(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    return nla_family_addr(mem, off, length, AF_INET) if length >= 4 else None


def nla_in6_addr(mem: Mem, off: int, length: int, opaque: object) -> str | None:
    return nla_family_addr(mem, off, length, AF_INET6) if length >= 16 else None
