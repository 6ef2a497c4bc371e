"""What the ioctl family modules (ioctl_<family>.py) share: the registry
atrace.render.decode.ioctl consults, the argument's copied bytes, and
constants, flags and struct fields printed the way strace prints them.

A family module has SHAPES (the shape names of its atrace.syscalls
ioctl_<family>.py mapped to formatters of the call and request; None shows
the argument's address) and may have NAME_REQUEST, which names the
requests that carry a code or size in their number (`EVIOCGNAME(64)`).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ...syscalls.ioctls import describe
from ..call import Call
from ..fds import fd_text
from ..flags import FlagTable, const_style, named_bits, number, styled
from ..quoting import as_bytes, quote

ShapeFormatter = Callable[[Call, int], "str | None"]
# (request, comments) -> the request's abbreviated name, or None; comments
# False: the name goes in a -X verbose comment, where strace leaves out the
# `/* PREFIX_??? */` of an unknown code.
RequestNamer = Callable[[int, bool], "str | None"]

# Filled by atrace.render.decode.ioctl as it imports each family's module.
FAMILY_SHAPES: dict[str, ShapeFormatter] = {}
REQUEST_NAMERS: list[RequestNamer] = []


def request_name(request: int) -> str | None:
    """A request a family names from its parts, in the -X style; None if none does."""
    for namer in REQUEST_NAMERS:
        text = namer(request, const_style() != "verbose")
        if text is not None:
            return styled(number(request), text)
    return None


def arg_data(call: Call, phase: str) -> bytes | None:
    """The argument's bytes the tracer copied at entry ("in") or exit ("out";
    only once the call succeeded)."""
    if phase == "in":
        source: dict[str, Any] = call.entry
    else:
        source = call.exit or {} if call.succeeded() else {}
    return as_bytes(source.get(call.syscall.args[2].name))


def phase_of(request: int) -> str:
    """Where the request's struct was copied: "in" (entry) or "out" (exit)."""
    arg = describe(request)
    return "out" if arg is not None and arg.when == "out" else "in"


def fields(layout: str, raw: bytes, offset: int = 0) -> tuple[Any, ...] | None:
    """struct.unpack_from of a little-endian layout, None when too short."""
    fmt = "<" + layout
    if len(raw) < offset + struct.calcsize(fmt):
        return None
    return struct.unpack_from(fmt, raw, offset)


def code_name(value: int, names: dict[int, str], unknown: str, comments: bool = True) -> str:
    """A named code in the -X style; an unknown one as hex with a
    `/* PREFIX_??? */` comment (unless comments is False, or -X raw)."""
    name = names.get(value)
    if name is not None:
        return styled(number(value), name)
    if comments and const_style() != "raw":
        return f"{number(value)} /* {unknown} */"
    return number(value)


def flag_names(value: int, table: FlagTable, unknown: str, zero: str = "0") -> str:
    """A flag word in the -X style: names joined by |, the rest in hex; no
    known flag set: the hex value and a `/* PREFIX_??? */` comment."""
    style = const_style()
    if style == "raw" or not value:
        return number(value) if style == "raw" or zero == "0" else styled("0", zero)
    names, rest = named_bits(value, table)
    if not names:
        return f"{value:#x} /* {unknown} */"
    if rest:
        names.append(hex(rest))
    text = "|".join(names)
    return text if style == "abbrev" else f"{value:#x} /* {text} */"


def struct_text(parts: list[str]) -> str:
    return "{" + ", ".join(parts) + "}"


def array_text(items: list[str], call: Call) -> str:
    """A local array as strace prints one: `...` after -s elements unless -v."""
    limit = call.options.string_limit
    if call.abbreviated and len(items) > limit:
        items = [*items[:limit], "..."]
    return "[" + ", ".join(items) + "]"


def cstring(raw: bytes, call: Call) -> str:
    """A char array field: up to its NUL; with none, all but its last byte
    and `...` (strace keeps room for the NUL it did not find)."""
    end = raw.find(b"\0")
    text = quote(raw[:-1] if end < 0 else raw[:end], len(raw), call.options.hex_strings, cut=False)
    return text + "..." if end < 0 else text


def both(call: Call, entry: Callable[[bytes], str], answer: Callable[[bytes], str], size: int) -> str | None:
    """An _IOWR request: what went in and, once the call succeeded,
    ` => ` what the kernel wrote back (its address if unreadable)."""
    sent = arg_data(call, "in")
    if sent is None or len(sent) < size:
        return None
    text = entry(sent)
    if call.exit is not None and call.succeeded():
        got = arg_data(call, "out")
        text += " => " + (answer(got) if got is not None and len(got) >= size else hex(call.ulong(2)))
    return text


def fd_argument(call: Call, request: int) -> str:
    """An fd passed as the argument itself, with its path when -y read it."""
    path = call.entry.get(call.syscall.args[2].name + "_path")
    return fd_text(str(call.c_int(2)), path, None, call.options.decode_fds)
