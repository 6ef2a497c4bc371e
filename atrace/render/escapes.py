"""Tables for quoting bytes as C string literals, the way strace prints them.

`quote` (atrace.render.quoting) escapes a string with C-level passes instead of
a Python loop per byte: a `bytes.translate` that tells whether anything
needs escaping at all, then the bytes decoded as latin-1 (one character per
byte) through `str.translate` with one of these 256-entry tables. Octal
escapes alone depend on their neighbour (as short as possible, but three
digits when an octal digit follows): three regex substitutions with
template replacements (C, no Python call per match) shorten them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Named escapes; every other unprintable byte is octal (or hex with -x).
ESCAPES = {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r", ord("\v"): "\\v", ord("\f"): "\\f",
           ord('"'): '\\"', ord("\\"): "\\\\"}  # fmt: skip


def _table(unprintable: Callable[[int], str]) -> dict[int, str]:
    table = {byte: unprintable(byte) for byte in range(256) if not 0x20 <= byte < 0x7F}
    table.update(ESCAPES)
    return table


HEX_UNPRINTABLE = _table(lambda byte: f"\\x{byte:02x}")  # -x
HEX_ALL = {byte: f"\\x{byte:02x}" for byte in range(256)}  # -xx
# -x hexes a string whole when it holds a byte outside these (printable
# ASCII and the whitespace \t\n\v\f\r), as strace does.
TEXTUAL = bytes([*range(9, 14), *range(0x20, 0x7F)])
# Bytes that print as themselves: `raw.translate(None, PLAIN)` leaves the rest.
PLAIN = bytes(byte for byte in range(0x20, 0x7F) if byte not in ESCAPES)
# Octal escapes, first all three digits long behind a marker (a character
# no byte decodes to as latin-1), so that the shortening below cannot take a
# printed backslash and digits for an escape.
_MARK = "\ue000"
OCTAL_MARKED = _table(lambda byte: f"{_MARK}{byte:03o}")
# Then, where no octal digit follows, leading zeros go: "\\001x" -> "\\1x".
SHORTEN = (
    (re.compile(f"{_MARK}00([0-7])(?![0-7])"), r"\\\1"),
    (re.compile(f"{_MARK}0([0-7]{{2}})(?![0-7])"), r"\\\1"),
    (re.compile(_MARK), r"\\"),
)
