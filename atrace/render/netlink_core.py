"""The common ground of netlink decoding: the recorded bytes of a buffer
(`Mem`), named constants in the -X style, hex strings, and the walk over
length-prefixed records (messages, attributes) that every decoder shares.

The tracer records a buffer sent or received on a netlink socket whole,
with the socket's protocol (atrace.tracer.netlink_probe).  Decoding works
on that copy as strace works on the tracee's memory: a field past the
bytes the tracer could read (the buffer ran into an unmapped page) is
"unfetchable" and printed as its address, as strace prints it.

Named constants come from netlink_tables (strace's tables, generated) and
print through `xval`/`xflags`/`named`, which follow the -X style of
atrace.render.flags.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import flags
from .netlink_tables import XLAT
from .quoting import quote

NLMSG_HDRLEN = 16
NLA_HDRLEN = 4
NLMSG_MIN_TYPE = 0x10
NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE = 1, 2, 3
NLM_F_REQUEST, NLM_F_CAPPED = 1, 0x100
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
NLA_TYPE_MASK = 0x3FFF


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


def current_style() -> str:
    """The -X style of this run: "abbrev", "raw" or "verbose", as
    atrace.render.flags keeps it (its const_style; "abbrev" where that
    module has no styles)."""
    style = getattr(flags, "const_style", None)
    return style() if callable(style) else "abbrev"


def xval(value: int, table: str | None, dflt: str | None, dec: bool = False) -> str:
    """A constant by its name (strace's printxval): unknown ones as the number
    with `dflt` as a comment (None: the bare number).  -X raw: the number;
    -X verbose: both."""
    shown = str(value) if dec else (hex(value) if value else "0")
    name = names(table).get(value) if table else None
    style = current_style()
    if style == "raw":
        return shown
    if name is None:
        return f"{shown} /* {dflt} */" if dflt else shown
    return name if style == "abbrev" else f"{shown} /* {name} */"


def xflags(value: int, tables: tuple[str, ...], dflt: str) -> str:
    """A flag word (strace's printflags): the names of its bits in table
    order, the rest in hex; with no name at all, the number and `dflt`."""
    style = current_style()
    if style == "raw":
        return hex(value) if value else "0"
    if not value:
        # Only a table's first name can stand for no bits at all (NUD_NONE).
        zero = next((table_[0][1] for table_ in map(XLAT.__getitem__, tables) if table_ and not table_[0][0]), None)
        return "0" if zero is None else zero if style == "abbrev" else f"0 /* {zero} */"
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
        return f"{hex(rest)} /* {dflt} */"
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
    hex_mode: int = 0  # -x / -xx for strings that are not forced to hex
    abbrev: bool = True  # lists of messages, attributes and elements cut at -s (not under -v)

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


def _fetch(mem: Mem, off: int, length: int) -> bytes | None:
    """What strace's printstr fetches: one byte past -s (so it knows whether
    a string goes on), or the whole string when shorter."""
    return mem.get(off, min(max(length, 0), mem.limit + 1))


def hexstr(mem: Mem, off: int, length: int) -> str:
    """Bytes as a string of \\x escapes, cut at -s (strace's QUOTE_FORCE_HEX)."""
    if mem.base + off == 0:
        return "NULL"
    raw = _fetch(mem, off, length)
    if raw is None:
        return mem.addr(off)
    size = min(length, mem.limit)
    return quote(raw[:size], size, 2, cut=False) + ("..." if length > mem.limit else "")


def text(mem: Mem, off: int, length: int) -> str:
    """A string attribute (strace's decode_nla_str): every byte, the trailing
    NUL left out; a string that does not end with one shows `...`."""
    if mem.base + off == 0:
        return "NULL"
    raw = _fetch(mem, off, length)
    if raw is None:
        return mem.addr(off)
    shown = raw[: min(length, mem.limit)]
    if shown.endswith(b"\0"):
        return quote(shown[:-1], len(shown), mem.hex_mode, cut=False)
    return quote(shown, len(shown), mem.hex_mode, cut=False) + ("..." if length else "")


def cstring(mem: Mem, off: int, length: int) -> str:
    """A NUL-terminated string of at most `length` bytes (strace's
    QUOTE_0_TERMINATED): up to its NUL; `...` when none ends it in time."""
    want = min(max(length, 0), mem.limit + 1)
    raw = mem.data[off : off + want] if off >= 0 else b""
    size = min(length, mem.limit)
    head, nul, _ = raw[:size].partition(b"\0")
    if not nul and len(raw) < want:
        return mem.addr(off)  # unreadable before its end
    if nul:
        return quote(head, len(head), mem.hex_mode, cut=False)
    ends = len(raw) > size and raw[size] == 0
    return quote(head, len(head), mem.hex_mode, cut=False) + ("" if ends or not length else "...")


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


def styled(raw: str, abbrev: str) -> str:
    """A value strace prints as `raw` under -X raw, `abbrev` by default, and
    both (the second as a comment) under -X verbose."""
    style = current_style()
    return abbrev if style == "abbrev" else raw if style == "raw" else f"{raw} /* {abbrev} */"


def named(value: int, name: str) -> str:
    """A value printed by its macro name (strace's print_xlat), in the -X style."""
    return styled(hex(value), name)


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
        if mem.abbrev and len(items) == mem.limit:
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



# -- messages ----------------------------------------------------------

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
