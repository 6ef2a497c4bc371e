"""C string literals as strace prints them: quoting, escaping, cutting at -s."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import escapes

if TYPE_CHECKING:
    from .options import TextOptions


def quote(raw: bytes, limit: int, hex_mode: int = 0, *, cut: bool = True) -> str:
    """A C string literal as strace prints it, cut at `limit` bytes with `...`.

    C-level passes over the bytes as latin-1 text, not a Python loop per
    byte (with 4 KiB strings that loop was the text path's cost): see
    atrace.render.escapes.
    """
    shown = raw[:limit] if cut else raw
    text = shown.decode("latin-1")
    if hex_mode == 2:
        body = text.translate(escapes.HEX_ALL)
    elif hex_mode == 1:
        # -x: a string with any non-ASCII or control byte is hexed whole.
        body = text.translate(escapes.HEX_ALL if shown.translate(None, escapes.TEXTUAL) else escapes.HEX_UNPRINTABLE)
    elif not shown.translate(None, escapes.PLAIN):
        body = text
    elif hex_mode == 3:
        # --strings-in-hex=non-ascii-chars: \xNN for each such byte only.
        body = text.translate(escapes.HEX_UNPRINTABLE)
    else:
        body = text.translate(escapes.OCTAL_MARKED)
        for pattern, replacement in escapes.SHORTEN:
            body = pattern.sub(replacement, body)
    quoted = f'"{body}"'
    if cut and len(raw) > limit:
        return quoted + "..."
    return quoted


def as_bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    return value.encode() if isinstance(value, str) else bytes(value)


def fd_path_text(path: Any) -> str:
    """-y's path, as shown between < and >: unprintable bytes escaped as in
    a string, and < and > too (in octal, as strace does), so that the path
    cannot close the brackets early."""
    raw = as_bytes(path) or b""
    text = quote(raw, len(raw))[1:-1]
    if "<" not in text and ">" not in text:
        return text
    return _BRACKET.sub(lambda m: _octal(m.group(), text[m.end() : m.end() + 1]), text)


_BRACKET = re.compile("[<>]")
_DELETED = " (deleted)"


def fd_with_path(shown: str, path: Any) -> str:
    """`3</etc/hosts>`; a deleted file's mark (the " (deleted)" /proc
    appends) goes after the brackets, as strace prints it: `3</tmp/x>(deleted)`."""
    text = fd_path_text(path)
    if text.endswith(_DELETED):
        return f"{shown}<{text[: -len(_DELETED)]}>(deleted)"
    return f"{shown}<{text}>"


def _octal(char: str, following: str) -> str:
    # Three digits when an octal digit follows, so it cannot join the escape.
    return f"\\{ord(char):03o}" if following and following in "01234567" else f"\\{ord(char):o}"


def quote_buffer(raw: bytes, full_length: int, options: TextOptions) -> str:
    text = quote(raw, options.string_limit, options.hex_strings)
    if full_length > len(raw) and not text.endswith("..."):
        text += "..."
    return text
