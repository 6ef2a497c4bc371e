"""bpf: the command, and its union bpf_attr as far as the size argument
covers it (strace's rule: a group of fields is shown when the size reaches
its first one).  BPF_PROG_LOAD's part is decoded; the other commands' attr
is shown as its address.  Layout from linux/bpf.h."""

from __future__ import annotations

import struct
from collections.abc import Callable

from ...syscalls.cmds import BPF_ATTR_MAX, BPF_PROG_LOAD, BPF_PROG_LOAD_SIZE
from ..call import Call, pointer
from ..flags import format_constant, format_flags, number, styled
from ..quoting import as_bytes, quote
from ..sockaddr import interface

# BPF_PROG_LOAD's fields: (name, offset, struct format, how shown).
_PROG_LOAD: tuple[tuple[str, int, str, str], ...] = (
    ("prog_type", 0, "I", "prog_type"), ("insn_cnt", 4, "I", "u"), ("insns", 8, "Q", "ptr"),
    ("license", 16, "Q", "ptr"), ("log_level", 24, "I", "u"), ("log_size", 28, "I", "u"), ("log_buf", 32, "Q", "ptr"),
    ("kern_version", 40, "I", "kernel_version"), ("prog_flags", 44, "I", "prog_flags"),
    ("prog_name", 48, "16s", "name"), ("prog_ifindex", 64, "I", "ifindex"),
    ("expected_attach_type", 68, "I", "attach_type"), ("prog_btf_fd", 72, "I", "fd"),
    ("func_info_rec_size", 76, "I", "u"), ("func_info", 80, "Q", "ptr"), ("func_info_cnt", 88, "I", "u"),
    ("line_info_rec_size", 92, "I", "u"), ("line_info", 96, "Q", "ptr"), ("line_info_cnt", 104, "I", "u"),
    ("attach_btf_id", 108, "I", "u"), ("attach_prog_fd", 112, "I", "fd"), ("fd_array", 120, "Q", "ptr"),
)  # fmt: skip
# The fields strace shows together: the group starting at each of these
# offsets is shown when the size reaches past it (the first always).
_GROUP_STARTS = frozenset({24, 40, 44, 48, 64, 68, 72, 108, 112, 120})


def _kernel_version(value: int) -> str:
    """KERNEL_VERSION(major, minor, patch), in the -X style."""
    return styled(number(value), f"KERNEL_VERSION({value >> 16}, {value >> 8 & 0xFF}, {value & 0xFF})")


_SHOWN: dict[str, Callable[[int], str]] = {
    "u": str,
    "ptr": pointer,
    "prog_type": lambda value: format_constant(value, "bpf_prog_type"),
    "attach_type": lambda value: format_constant(value, "bpf_attach_type"),
    "prog_flags": lambda value: format_flags(value, "bpf_prog_flags"),
    "kernel_version": _kernel_version,
    "ifindex": interface,
    "fd": lambda value: str(value - (1 << 32) if value >> 31 else value),
}


def _name(raw: bytes, hex_mode: int) -> str:
    """A NUL-terminated name in a fixed array: without a NUL, all but the
    last byte (the NUL's place) and `...`."""
    text = raw.split(b"\0", 1)[0]
    if len(text) < len(raw):
        return quote(text, len(raw), hex_mode)
    return quote(text[:-1], len(raw), hex_mode) + "..."


def _prog_load(raw: bytes, size: int, hex_mode: int) -> str:
    raw = raw[:size] + bytes(max(0, BPF_PROG_LOAD_SIZE - size))
    shown = []
    for name, offset, fmt, how in _PROG_LOAD:
        if offset in _GROUP_STARTS and size <= offset:
            break
        (value,) = struct.unpack_from("<" + fmt, raw, offset)
        if how == "name":
            shown.append(f"{name}={_name(value, hex_mode)}")
        else:
            shown.append(f"{name}={_SHOWN[how](value)}")
    return "{" + ", ".join(shown) + "}"


def _attr(call: Call) -> str:
    """The attr when the whole size is readable (the kernel takes no more
    than a page: beyond, the address), with `...` for non-zero bytes past
    what strace knows."""
    addr, size = call.ulong(1), call.ulong(2)
    raw = as_bytes(call.entry.get("attr")) if call.ulong(0) == BPF_PROG_LOAD else None
    if raw is None or not size or size > BPF_ATTR_MAX or len(raw) < size:
        return pointer(addr)
    shown = _prog_load(raw, min(size, BPF_PROG_LOAD_SIZE), call.options.hex_strings)
    return shown[:-1] + ", ...}" if any(raw[BPF_PROG_LOAD_SIZE:size]) else shown


def _bpf(call: Call) -> list[str | None]:
    return [format_constant(call.ulong(0), "bpf_cmd"), _attr(call), str(call.ulong(2))]


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"bpf": _bpf}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {}
