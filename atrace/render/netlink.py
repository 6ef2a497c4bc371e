"""Netlink messages as strace prints them: the message list, struct nlmsghdr,
NLMSG_ERROR's struct nlmsgerr, and the walk over nlattr lists that the
protocol decoders (netlink_route.py, netlink_diag.py) share.

The tracer records a buffer sent or received on a netlink socket whole,
with the socket's protocol (atrace.tracer.netlink_probe).  Decoding works
on that copy as strace works on the tracee's memory: a field past the
bytes the tracer could read (the buffer ran into an unmapped page) is
"unfetchable" and printed as its address, as strace prints it.

Named constants come from netlink_tables (strace's tables, generated) and
print through `xval`/`xflags`, which follow the -X style of
atrace.render.flags.
"""

from __future__ import annotations

import errno
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import flags
from .names import errno_name
from .netlink_tables import XLAT
from .quoting import quote

NLMSG_HDRLEN = 16
NLA_HDRLEN = 4
NLMSG_MIN_TYPE = 0x10
NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE = 1, 2, 3
NLM_F_REQUEST, NLM_F_CAPPED = 1, 0x100
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
NLA_TYPE_MASK = 0x3FFF
_HDR = struct.Struct("<IHHII")


def align4(value: int) -> int:
    return (value + 3) & ~3


# -- named constants ---------------------------------------------------


@cache
def names(table: str) -> dict[int, str]:
    """value -> name; a value with two names prints as the first."""
    out: dict[int, str] = {}
    for value, name in XLAT[table]:
        out.setdefault(value, name)
    return out


def _style() -> str:
    style = getattr(flags, "const_style", None)
    return style() if callable(style) else "abbrev"


def xval(value: int, table: str | None, dflt: str | None, dec: bool = False) -> str:
    """A constant by its name (strace's printxval): unknown ones as the number
    with `dflt` as a comment (None: the bare number).  -X raw: the number;
    -X verbose: both."""
    shown = str(value) if dec else (hex(value) if value else "0")
    name = names(table).get(value) if table else None
    style = _style()
    if style == "raw":
        return shown
    if name is None:
        return f"{shown} /* {dflt} */" if dflt else shown
    return name if style == "abbrev" else f"{shown} /* {name} */"


def xflags(value: int, tables: tuple[str, ...], dflt: str) -> str:
    """A flag word (strace's printflags): the names of its bits in table
    order, the rest in hex; with no name at all, the number and `dflt`."""
    style = _style()
    if style == "raw" or not value:
        return hex(value) if value else "0"
    parts: list[str] = []
    rest = value
    for table in tables:
        for bits, name in XLAT[table]:
            if not rest:
                break
            if bits and rest & bits == bits:
                parts.append(name)
                rest &= ~bits
    if not parts:
        text = f"{hex(rest)} /* {dflt} */"
        return text
    if rest:
        parts.append(hex(rest))
    text = "|".join(parts)
    return text if style == "abbrev" else f"{hex(value)} /* {text} */"


# -- the copied memory -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mem:
    """The recorded bytes of a buffer at address `base`, and what -s allows
    (`limit`: string bytes, and elements of message and attribute lists)."""

    data: bytes
    base: int
    limit: int
    protocol: int
    verbose: bool = False

    def get(self, off: int, size: int) -> bytes | None:
        """`size` bytes at `off`, or None when they were not all readable."""
        if off < 0 or size < 0 or off + size > len(self.data):
            return None
        return self.data[off : off + size]

    def addr(self, off: int) -> str:
        value = self.base + off
        return hex(value) if value else "NULL"

    def unpack(self, fmt: str | struct.Struct, off: int) -> tuple[Any, ...] | None:
        layout = fmt if isinstance(fmt, struct.Struct) else struct.Struct(fmt)
        raw = self.get(off, layout.size)
        return None if raw is None else layout.unpack(raw)


def hexstr(mem: Mem, off: int, length: int) -> str:
    """Bytes as a string of \\x escapes, cut at -s (strace's QUOTE_FORCE_HEX)."""
    if mem.base + off == 0:
        return "NULL"
    want = min(max(length, 0), mem.limit)
    raw = mem.get(off, want)
    if raw is None:
        return mem.addr(off)
    return quote(raw, want, 2) + ("..." if length > mem.limit else "")


def text(mem: Mem, off: int, length: int, nul_expected: bool = True) -> str:
    """A string attribute: up to its first NUL (a missing NUL shows `...`)."""
    want = min(length, mem.limit + 1)
    raw = mem.get(off, want)
    if raw is None:
        return mem.addr(off)
    head, nul, _ = raw.partition(b"\0")
    if nul and len(head) <= mem.limit:
        return quote(head, len(head))
    if len(head) > mem.limit:
        return quote(head[: mem.limit], mem.limit) + "..."
    return quote(head, len(head)) + ("..." if nul_expected else "")


def fields(values: Mapping[str, str] | list[tuple[str, str]]) -> str:
    items = values.items() if isinstance(values, Mapping) else values
    return "{" + ", ".join(f"{key}={value}" for key, value in items) + "}"


# -- nlattr ------------------------------------------------------------

# An attribute decoder: (mem, offset of the data, its length, opaque value)
# -> the text, or None to print the data as a hex string.
AttrDecoder = Callable[[Mem, int, int, Any], "str | None"]


@dataclass(frozen=True, slots=True)
class AttrSet:
    """One family of attributes: the table naming their types, the default
    for unknown ones, and the decoder of each type."""

    table: str | None
    dflt: str
    decoders: Mapping[int, AttrDecoder] | None = None
    # A decoder for every type (gets the type as its opaque value).
    any_type: AttrDecoder | None = None


def named(value: int, name: str) -> str:
    """A value printed by its macro name (strace's print_xlat), in the -X style."""
    style = _style()
    return name if style == "abbrev" else hex(value) if style == "raw" else f"{hex(value)} /* {name} */"


def _nlattr_header(nla_len: int, nla_type: int, attrs: AttrSet) -> str:
    prefix = ""
    if nla_type & NLA_F_NESTED:
        prefix += named(NLA_F_NESTED, "NLA_F_NESTED") + "|"
    if nla_type & NLA_F_NET_BYTEORDER:
        prefix += named(NLA_F_NET_BYTEORDER, "NLA_F_NET_BYTEORDER") + "|"
    kind = xval(nla_type & NLA_TYPE_MASK, attrs.table, attrs.dflt)
    return f"{{nla_len={nla_len}, nla_type={prefix}{kind}}}"


def tlv_list(mem: Mem, off: int, length: int, head: struct.Struct,
             render: Callable[[tuple[Any, ...], int, int], str]) -> str:  # fmt: skip
    """A list of length-prefixed records, each 4-aligned (netlink messages,
    attributes), as strace walks one: a tail too short for a header in hex,
    an unreadable header as its address, at most -s records."""
    items: list[str] = []
    is_array = False
    while True:
        if length < head.size:
            items.append(hexstr(mem, off, length))
            break
        fields_ = mem.unpack(head, off)
        if fields_ is None:
            items.append(f"... /* {mem.addr(off)} */" if is_array else mem.addr(off))
            break
        if len(items) == mem.limit:
            items.append("...")
            break
        size = fields_[0]
        step = align4(size)
        next_len = length - step if size >= head.size and length >= step else 0
        is_array = is_array or bool(next_len)
        items.append(render(fields_, off, length))
        if not next_len:
            break
        off += step
        length = next_len
    return "[" + ", ".join(items) + "]" if is_array else items[0]


_NLA = struct.Struct("<HH")


def nlattrs(mem: Mem, off: int, length: int, attrs: AttrSet, opaque: Any = None) -> str:
    """A list of netlink attributes (strace's decode_nlattr)."""

    def one(head: tuple[Any, ...], at: int, left: int) -> str:
        return _nlattr_with_data(mem, at, left, head[0], head[1], attrs, opaque)

    return tlv_list(mem, off, length, _NLA, one)


def _nlattr_with_data(mem: Mem, off: int, length: int, nla_len: int, nla_type: int, attrs: AttrSet,
                      opaque: Any) -> str:  # fmt: skip
    size = min(nla_len, length)
    header = _nlattr_header(nla_len, nla_type, attrs)
    if size <= NLA_HDRLEN:
        return header
    data_off, data_len = off + NLA_HDRLEN, size - NLA_HDRLEN
    shown: str | None = None
    if attrs.any_type is not None:
        shown = attrs.any_type(mem, data_off, data_len, nla_type)
    elif attrs.decoders is not None:
        decoder = attrs.decoders.get(nla_type & NLA_TYPE_MASK)
        if decoder is not None:
            shown = decoder(mem, data_off, data_len, opaque)
    if shown is None:
        shown = hexstr(mem, data_off, data_len)
    return f"[{header}, {shown}]"


def nested(attrs: AttrSet) -> AttrDecoder:
    """A decoder of an attribute holding a list of attributes."""

    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        return nlattrs(mem, off, length, attrs)

    return decode


# -- scalar attribute decoders ----------------------------------------


def _number(fmt: str, show: Callable[[int], str] = str) -> AttrDecoder:
    layout = struct.Struct(fmt)

    def decode(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
        if length < layout.size:
            return None
        value = mem.unpack(layout, off)
        return mem.addr(off) if value is None else show(value[0])

    return decode


u8, u16, u32, u64 = _number("<B"), _number("<H"), _number("<I"), _number("<Q")
s8, s16, s32, s64 = _number("<b"), _number("<h"), _number("<i"), _number("<q")


def hex0(value: int) -> str:
    return hex(value) if value else "0"


x8, x16, x32, x64 = (_number(fmt, hex0) for fmt in ("<B", "<H", "<I", "<Q"))


def nla_str(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    return text(mem, off, length)


def nla_strn(mem: Mem, off: int, length: int, opaque: Any) -> str | None:
    """A string of exactly `length` bytes (strace's printstrn)."""
    want = min(length, mem.limit)
    raw = mem.get(off, want)
    if raw is None:
        return mem.addr(off)
    return quote(raw, want) + ("..." if length > mem.limit else "")


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
        if index == mem.limit:
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


# -- nlmsghdr and the message list ------------------------------------

# A payload decoder: (mem, the header's fields, payload offset, length) ->
# the text, or None when the protocol does not decode that message.
PayloadDecoder = Callable[[Mem, "Header", int, int], "str | None"]


@dataclass(frozen=True, slots=True)
class Header:
    length: int
    type: int
    flags: int
    seq: int
    pid: int


@dataclass(frozen=True, slots=True)
class Protocol:
    """What a netlink protocol adds: its message types' names, the table
    of its type-specific NLM_F_* flags, and its payload decoder."""

    types: str | None
    type_dflt: str
    flags_table: Callable[[int], str | None] = lambda _type: None
    payload: PayloadDecoder | None = None
    type_text: Callable[[int], str] | None = None


PROTOCOLS: dict[int, Protocol] = {}


def _type_text(mem: Mem, kind: int) -> str:
    protocol = PROTOCOLS.get(mem.protocol)
    if kind < NLMSG_MIN_TYPE or protocol is None:
        return xval(kind, "netlink_types", "NLMSG_???")
    if protocol.type_text is not None:
        return protocol.type_text(kind)
    return xval(kind, protocol.types, protocol.type_dflt)


def _flags_text(mem: Mem, kind: int, value: int) -> str:
    table: str | None = None
    if kind < NLMSG_MIN_TYPE:
        table = "netlink_ack_flags" if kind == NLMSG_ERROR else None
    else:
        protocol = PROTOCOLS.get(mem.protocol)
        table = protocol.flags_table(kind) if protocol is not None else None
    return xflags(value, ("netlink_flags", table) if table else ("netlink_flags",), "NLM_F_???")


def _signed32(value: int) -> int:
    return value - (1 << 32) if value & 0x80000000 else value


def header_text(mem: Mem, hdr: Header) -> str:
    return (f"{{nlmsg_len={hdr.length}, nlmsg_type={_type_text(mem, hdr.type)}, "
            f"nlmsg_flags={_flags_text(mem, hdr.type, hdr.flags)}, nlmsg_seq={hdr.seq}, "
            f"nlmsg_pid={_signed32(hdr.pid)}}}")  # fmt: skip


NLMSGERR_ATTRS = AttrSet("nlmsgerr_attrs", "NLMSGERR_ATTR_???", {
    1: nla_str,
    2: u32,
    3: lambda mem, off, length, _o: array(1, lambda raw: str(raw[0]), mem, off, length),
})  # fmt: skip


def _nlmsgerr(mem: Mem, off: int, length: int, capped: bool) -> str:
    if length < 20:
        return hexstr(mem, off, length)
    raw = mem.unpack("<i", off)
    inner = mem.unpack(_HDR, off + 4)
    if raw is None or inner is None:
        return mem.addr(off)
    error = raw[0]
    off += 4
    length -= 4
    hdr = Header(*inner)
    inner_len = max(NLMSG_HDRLEN, hdr.length)
    payload = min(length, NLMSG_HDRLEN if capped else inner_len)
    err_text = _errno_text(error)
    body = f"{{error={err_text}, msg={_with_payload(mem, hdr, off, payload)}}}"
    if length > payload:
        return f"[{body}, {nlattrs(mem, off + payload, length - payload, NLMSGERR_ATTRS)}]"
    return body


def _errno_text(error: int) -> str:
    """A negated errno (strace's PRINT_FIELD_ERR_D): -EACCES."""
    if error < 0 and -error in errno.errorcode:
        style, name = _style(), "-" + errno_name(-error)
        return name if style == "abbrev" else str(error) if style == "raw" else f"{error} /* {name} */"
    return str(error)


def _payload(mem: Mem, hdr: Header, off: int, length: int) -> str:
    if hdr.type == NLMSG_ERROR:
        return _nlmsgerr(mem, off, length, bool(hdr.flags & NLM_F_CAPPED))
    protocol = PROTOCOLS.get(mem.protocol)
    if (hdr.type >= NLMSG_MIN_TYPE or hdr.type == NLMSG_DONE) and protocol is not None and protocol.payload:
        shown = protocol.payload(mem, hdr, off, length)
        if shown is not None:
            return shown
    if hdr.type == NLMSG_DONE and length == 4:
        value = mem.unpack("<i", off)
        return mem.addr(off) if value is None else str(value[0])
    return hexstr(mem, off, length)


def _with_payload(mem: Mem, hdr: Header, off: int, length: int) -> str:
    size = min(hdr.length, length)
    head = header_text(mem, hdr)
    if size <= NLMSG_HDRLEN:
        return head
    return f"[{head}, {_payload(mem, hdr, off + NLMSG_HDRLEN, size - NLMSG_HDRLEN)}]"


def messages(mem: Mem, off: int, length: int) -> str:
    """The netlink messages in a buffer (strace's decode_netlink)."""
    return tlv_list(mem, off, length, _HDR, lambda head, at, left: _with_payload(mem, Header(*head), at, left))


def decode_buffer(protocol: int, data: bytes | None, addr: int, length: int, limit: int) -> str:
    """What strace prints for a buffer sent or received on a netlink socket."""
    from . import netlink_families  # noqa: F401  (fills PROTOCOLS)
    from .netlink_misc import kobject_uevent

    mem = Mem(data or b"", addr, limit, protocol)
    if protocol == NETLINK_KOBJECT_UEVENT:
        return kobject_uevent(mem, length)
    return messages(mem, 0, length)


NETLINK_KOBJECT_UEVENT = 15
