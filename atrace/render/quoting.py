"""C string literals as strace prints them: quoting, escaping, cutting at -s."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .options import TextOptions

_ESCAPES = {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r", ord("\v"): "\\v", ord("\f"): "\\f",
            ord('"'): '\\"', ord("\\"): "\\\\"}  # fmt: skip


def quote(raw: bytes, limit: int, hex_mode: int = 0, *, cut: bool = True) -> str:
    """A C string literal as strace prints it, cut at `limit` bytes with `...`."""
    shown = raw[:limit] if cut else raw
    out = ['"']
    for i, byte in enumerate(shown):
        if hex_mode == 2:
            out.append(f"\\x{byte:02x}")
        elif byte in _ESCAPES:
            out.append(_ESCAPES[byte])
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        elif hex_mode == 1:
            out.append(f"\\x{byte:02x}")
        else:
            following = shown[i + 1] if i + 1 < len(shown) else None
            # Octal escapes are as short as possible unless a digit follows.
            if following is not None and 0x30 <= following <= 0x37:
                out.append(f"\\{byte:03o}")
            else:
                out.append(f"\\{byte:o}")
    out.append('"')
    if cut and len(raw) > limit:
        out.append("...")
    return "".join(out)


def as_bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    return value.encode() if isinstance(value, str) else bytes(value)


def fd_path_text(path: Any) -> str:
    raw = as_bytes(path) or b""
    # Paths are shown as they are, only unprintable bytes escaped.
    return quote(raw, len(raw))[1:-1]


def quote_buffer(raw: bytes, full_length: int, options: TextOptions) -> str:
    text = quote(raw, options.string_limit, options.hex_strings)
    if full_length > len(raw) and not text.endswith("..."):
        text += "..."
    return text
