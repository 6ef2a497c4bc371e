"""Formatting argument and return values the way strace prints them.

Formatters are looked up by the argument kind the syscall tables declare;
adding a kind is one small function and one row in `_FORMATTERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..syscalls import Syscall
from .flags import format_flags, format_mode, format_open_flags
from .names import RESTART_CODES, errno_message, errno_name, signal_name

if TYPE_CHECKING:
    from .text import TextOptions

AT_FDCWD = -100
_ESCAPES = {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r", ord("\v"): "\\v", ord("\f"): "\\f",
            ord('"'): '\\"', ord("\\"): "\\\\"}


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


def _as_bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    return value.encode() if isinstance(value, str) else bytes(value)


def _signed(value: int, bits: int = 64) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _pointer(value: int) -> str:
    return "NULL" if value == 0 else hex(value)


Context = tuple[Sequence[int], int, str, "dict[str, Any] | None", "dict[str, Any] | None", "int | None", "TextOptions"]


def format_arg(kind: str, name: str, args: Sequence[int], index: int, entry_data: dict[str, Any] | None,
               exit_data: dict[str, Any] | None, ret: int | None, options: TextOptions) -> str:
    formatter = _FORMATTERS.get(kind, _format_default)
    return formatter((args, index, name, entry_data, exit_data, ret, options))


def _format_default(ctx: Context) -> str:
    value = ctx[0][ctx[1]]
    return str(_signed(value)) if value >> 63 else str(value)


def _format_int(ctx: Context) -> str:
    return str(_signed(ctx[0][ctx[1]], 32))


def _format_hex(ctx: Context) -> str:
    return hex(ctx[0][ctx[1]])


def _format_ptr(ctx: Context) -> str:
    return _pointer(ctx[0][ctx[1]])


def _format_dirfd(ctx: Context) -> str:
    fd = _signed(ctx[0][ctx[1]], 32)
    return "AT_FDCWD" if fd == AT_FDCWD else str(fd)


def _format_string(ctx: Context, data: dict[str, Any] | None, limit: int | None) -> str:
    args, index, name = ctx[0], ctx[1], ctx[2]
    raw = _as_bytes((data or {}).get(name))
    if raw is None:
        return _pointer(args[index])
    options = ctx[6]
    return quote(raw, limit if limit is not None else len(raw), options.hex_strings)


def _format_path(ctx: Context) -> str:
    return _format_string(ctx, ctx[3], None)


def _format_str(ctx: Context) -> str:
    return _format_string(ctx, ctx[3], ctx[6].string_limit)


def _format_buf_in(ctx: Context) -> str:
    args, index, name, data = ctx[0], ctx[1], ctx[2], ctx[3]
    raw = _as_bytes((data or {}).get(name))
    if raw is None:
        return _pointer(args[index])
    full = args[index + 1] if index + 1 < len(args) else len(raw)
    return _quote_buffer(raw, full, ctx[6])


def _format_buf_out(ctx: Context) -> str:
    args, index, name, data, ret = ctx[0], ctx[1], ctx[2], ctx[4], ctx[5]
    raw = _as_bytes((data or {}).get(name))
    if raw is None or ret is None or ret < 0:
        return _pointer(args[index])
    return _quote_buffer(raw, ret, ctx[6])


def _quote_buffer(raw: bytes, full_length: int, options: TextOptions) -> str:
    text = quote(raw, options.string_limit, options.hex_strings)
    if full_length > len(raw) and not text.endswith("..."):
        text += "..."
    return text


def _format_argv(ctx: Context) -> str:
    args, index, name, data, options = ctx[0], ctx[1], ctx[2], ctx[3], ctx[6]
    items = (data or {}).get(name)
    if items is None:
        return _pointer(args[index])
    shown = [quote(_as_bytes(item) or b"", options.string_limit, options.hex_strings) for item in items[: options.string_limit]]
    if len(items) > options.string_limit:
        shown.append("...")
    return "[" + ", ".join(shown) + "]"


def _format_envp(ctx: Context) -> str:
    args, index, data = ctx[0], ctx[1], ctx[3]
    count = (data or {}).get("envc")
    if count is None:
        return _pointer(args[index])
    return f"{_pointer(args[index])} /* {count} vars */"


def _format_open_flags(ctx: Context) -> str:
    return format_open_flags(ctx[0][ctx[1]])


def _format_mode(ctx: Context) -> str:
    return format_mode(ctx[0][ctx[1]])


def _format_signo(ctx: Context) -> str:
    number = _signed(ctx[0][ctx[1]], 32)
    return signal_name(number) if number > 0 else str(number)


def _format_at_flags(ctx: Context) -> str:
    return format_flags(ctx[0][ctx[1]], "at")


def _format_clone_flags(ctx: Context) -> str:
    return format_flags(ctx[0][ctx[1]], "clone")


def _format_prot(ctx: Context) -> str:
    return format_flags(ctx[0][ctx[1]], "prot")


def _format_mmap_flags(ctx: Context) -> str:
    return format_flags(ctx[0][ctx[1]], "mmap")


_FORMATTERS: dict[str, Callable[[Context], str]] = {
    "int": _format_int,
    "fd": _format_int,
    "pid": _format_int,
    "uint": _format_default,
    "size": _format_default,
    "off": _format_default,
    "hex": _format_hex,
    "ptr": _format_ptr,
    "dirfd": _format_dirfd,
    "path": _format_path,
    "str": _format_str,
    "buf_in": _format_buf_in,
    "buf_out": _format_buf_out,
    "argv": _format_argv,
    "envp": _format_envp,
    "open_flags": _format_open_flags,
    "mode": _format_mode,
    "signo": _format_signo,
    "at_flags": _format_at_flags,
    "clone_flags": _format_clone_flags,
    "prot": _format_prot,
    "mmap_flags": _format_mmap_flags,
}

# Calls whose return value is an address, printed in hex like strace.
_POINTER_RETURNS = frozenset({"mmap", "mmap2", "brk", "mremap", "shmat"})


def format_return(syscall: Syscall | None, ret: int) -> str:
    if -4095 <= ret < 0:
        number = -ret
        if number in RESTART_CODES:
            return f"? {errno_name(number)} ({errno_message(number)})"
        return f"-1 {errno_name(number)} ({errno_message(number)})"
    if syscall is not None and syscall.name in _POINTER_RETURNS:
        return hex(ret)
    return str(ret)
