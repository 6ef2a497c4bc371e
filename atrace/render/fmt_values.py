"""Formatters of plain values, strings, buffers and flags, by formatter name."""

from __future__ import annotations

import os

from ..syscalls import ARCH_I386
from ..syscalls.abi import signed
from ..syscalls.numa import nodemask_words
from .call import AT_FDCWD, ArgFormatter, Call, array_limit, format_array, hex0, pointer, when_written
from .fds import fd_text
from .flags import (
    CONSTANTS,
    LONG_FLAGS,
    composite,
    format_constant,
    format_dev,
    format_flags,
    format_ioctl_request,
    format_mode,
    format_open_flags,
    format_signal,
    format_socket_type,
    number,
    styled,
)
from .pid_texts import pid_text
from .quoting import as_bytes, quote, quote_buffer

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _format_default(call: Call, index: int) -> str:
    return str(call.ulong(index))


def _format_int(call: Call, index: int) -> str:
    return str(call.c_int(index))


def _format_fd(call: Call, index: int) -> str:
    """An fd, with its path when -y read it: 3</etc/hosts>."""
    fd = call.c_int(index)
    name = call.syscall.args[index].name
    entry = call.entry
    return fd_text(str(fd), entry.get(name + "_path"), entry.get(name + "_fd"), call.options.decode_fds)


def _format_pid(call: Call, index: int) -> str:
    """A pid, with -Y's command name and --pidns-translation's number."""
    name = call.syscall.args[index].name
    return pid_text(call.c_int(index), call.entry.get(name + "_comm"), call.entry.get(name + "_pidns"))


def _format_id(call: Call, index: int) -> str:
    value = call.args[index] & 0xFFFFFFFF
    return "-1" if value == 0xFFFFFFFF else str(value)


def _format_off(call: Call, index: int) -> str:
    return str(call.long(index))


def _format_hex(call: Call, index: int) -> str:
    return hex0(call.ulong(index))


def _format_ptr(call: Call, index: int) -> str:
    return pointer(call.ulong(index))


def _format_dirfd(call: Call, index: int) -> str:
    fd = call.c_int(index)
    if fd == AT_FDCWD:
        # -y: the working directory the call resolves against.
        cwd = call.entry.get(call.syscall.args[index].name + "_path")
        shown = styled(str(AT_FDCWD), "AT_FDCWD")
        return fd_text(shown, cwd, None, call.options.decode_fds, cwd=True)
    return _format_fd(call, index)


def _format_split_hi(call: Call, index: int) -> str | None:
    """The high half is printed with the low half (i386), or unused (x86_64)."""
    return None


def _format_split_lo(call: Call, index: int) -> str:
    value = call.args[index]
    if call.arch == ARCH_I386:
        kinds = [arg.kind for arg in call.syscall.args]
        if index + 1 < len(kinds) and kinds[index + 1] == "split_hi":
            value = (call.args[index] & 0xFFFFFFFF) | (call.args[index + 1] & 0xFFFFFFFF) << 32
        elif index > 0 and kinds[index - 1] == "split_hi":
            value = (call.args[index] & 0xFFFFFFFF) | (call.args[index - 1] & 0xFFFFFFFF) << 32
    return str(signed(value))


def _string(call: Call, index: int, limit: int | None) -> str:
    raw = as_bytes(call.entry.get(call.syscall.args[index].name))
    if raw is None:
        return pointer(call.ulong(index))
    return quote(raw, limit if limit is not None else len(raw), call.options.hex_strings)


# A path is shown up to PATH_MAX - 1 bytes; a longer one (the kernel fails
# it with ENAMETOOLONG; the tracer copies one byte more) ends with `...`.
PATH_SHOWN = 4095


def _format_path(call: Call, index: int) -> str:
    return _string(call, index, PATH_SHOWN)


def _format_path_out(call: Call, index: int) -> str:
    raw = as_bytes((call.exit or {}).get(call.syscall.args[index].name))
    if raw is None or call.ret is None or call.ret < 0:
        return pointer(call.ulong(index))
    return quote(raw, len(raw), call.options.hex_strings)


def _format_str(call: Call, index: int) -> str:
    return _string(call, index, call.options.string_limit)


def _format_buf_in(call: Call, index: int) -> str:
    raw = as_bytes(call.entry.get(call.syscall.args[index].name))
    address = call.ulong(index)
    if not address:
        return "NULL"
    full = call.ulong(index + 1) if index + 1 < len(call.args) else len(raw or b"")
    if raw is None or len(raw) < min(full, call.options.string_limit):
        # Not readable as far as shown: strace's umove fails, and it shows the address.
        return hex(address)
    return quote_buffer(raw, full, call.options)


def _format_buf_out(call: Call, index: int) -> str:
    raw = as_bytes((call.exit or {}).get(call.syscall.args[index].name))
    ret = call.ret
    if ret == 0 and call.exit is not None:
        return '""' if call.ulong(index) else "NULL"  # nothing was written: no memory to read
    if raw is None or ret is None or ret < 0:
        return pointer(call.ulong(index))
    return quote_buffer(raw, ret, call.options)


def _format_argv(call: Call, index: int) -> str:
    """["cc", "-c", 0xffffffffffffffff, ... /* 0x7f0000001000 */]: the strings
    (an unreadable one as its address), `...` past -s of them, and where
    readable memory ends for an array without its NULL."""
    options = call.options
    items = call.entry.get(call.syscall.args[index].name)
    if items is None:
        return pointer(call.ulong(index))
    unterminated = bool(items) and items[-1] is None
    if unterminated:
        items = items[:-1]
    limit = array_limit(call)
    shown = [pointer(item) if isinstance(item, int) else quote(as_bytes(item) or b"", options.string_limit,
             options.hex_strings) for item in items[: None if limit is None else limit + 1]]  # fmt: skip
    return format_array(call.ulong(index), len(items) + unterminated, shown, call.long_bits // 8, limit)


def _format_envp(call: Call, index: int) -> str:
    """0x7ffd... /* 5 vars */, and `, unterminated` for an array without its
    NULL; with -v, when the tracer recorded them, the strings as argv's."""
    if isinstance(call.entry.get(call.syscall.args[index].name), list):
        return _format_argv(call, index)
    count = call.entry.get("envc")
    if count is None:
        return pointer(call.ulong(index))
    unterminated = isinstance(count, list)
    number = count[0] if unterminated else count
    noun = "var" if number == 1 else "vars"
    return f"{pointer(call.ulong(index))} /* {number} {noun}{', unterminated' if unterminated else ''} */"


def _format_signo(call: Call, index: int) -> str:
    return format_signal(call.c_int(index))


def _flags(table: str) -> ArgFormatter:
    mask = -1 if table in LONG_FLAGS else 0xFFFFFFFF  # an int's upper bits are not the call's

    def formatter(call: Call, index: int) -> str:
        return format_flags(call.ulong(index) & mask, table)

    return formatter


def _constant(table: str, unknown: str = "hex") -> ArgFormatter:
    names = CONSTANTS[table]

    def formatter(call: Call, index: int) -> str:
        value = call.c_int(index)
        if value < 0 and unknown == "hex" and value not in names:
            value = call.ulong(index)  # an unknown one in hex as unsigned: 0xfacefeed
        return format_constant(value, table, unknown)

    return formatter


def _format_open_flags(call: Call, index: int) -> str:
    return format_open_flags(call.args[index])


def _format_mode(call: Call, index: int) -> str:
    return format_mode(call.args[index])


def _format_socket_type(call: Call, index: int) -> str:
    return format_socket_type(call.args[index])


def _format_ioctl_req(call: Call, index: int) -> str:
    return format_ioctl_request(call.args[index])


# The mode flags or-ed into a memory policy mode (linux/mempolicy.h).
_MPOL_MODE_FLAGS = 0xE000


def format_mpol_mode(value: int) -> str:
    """MPOL_BIND|MPOL_F_STATIC_NODES (a C long); an unknown mode alone as
    `0x63 /* MPOL_??? */`, with mode flags as a flag word
    (`MPOL_F_STATIC_NODES|0xffff1fff`)."""
    flags = value & _MPOL_MODE_FLAGS
    if not flags:
        return format_constant(value, "mpol")
    mode = CONSTANTS["mpol"].get(value & ~_MPOL_MODE_FLAGS)
    if mode is None:
        return format_flags(value, "mpol_mode_flags")
    return composite(number(value), lambda: f"{mode}|{format_flags(flags, 'mpol_mode_flags')}")


# Calls whose policy mode is an int (mbind's is an unsigned long).
_INT_MODE = frozenset({"set_mempolicy"})


def _format_mpol_mode(call: Call, index: int) -> str:
    value = call.args[index]  # the whole register: mbind's mode is an unsigned long
    return format_mpol_mode(value & 0xFFFFFFFF if call.name in _INT_MODE else value)


def _format_mpol_mode_out(call: Call, index: int) -> str:
    mode = call.parsed(index)
    return pointer(call.ulong(index)) if mode is None else f"[{format_mpol_mode(mode)}]"


def _nodemask_word(word: int, size: int) -> str:
    """A word as strace prints it (C's %#0*lx of twice its size in bytes: the
    0x counts in the width, and 0 has none)."""
    return f"{word:#0{2 * size}x}" if word else "0" * (2 * size)


def _format_nodemask(call: Call, index: int) -> str:
    """[0x00000000000001]: the node mask, maxnode (the next argument) - 1 bits."""
    maxnode, address = call.ulong(index + 1), call.ulong(index)
    if address and maxnode == 0:
        return "[]"
    words = nodemask_words(maxnode, call.long_bits)
    parsed = call.parsed(index)
    if not words or not parsed or (call.syscall.args[index].kind == "nodemask_out" and not call.succeeded()):
        return pointer(address)
    size = call.long_bits // 8
    # Where readable memory ends inside the mask, strace shows that address.
    return format_array(address, words, [_nodemask_word(word, size) for word in parsed], size, array_limit(call))


def _format_id_out(call: Call, index: int) -> str:
    """[1000], or [-1] for the all-ones id (of 16 or 32 bits)."""
    value = call.parsed(index)
    if value is None:
        return pointer(call.ulong(index))
    return "[-1]" if value in (0xFFFF, 0xFFFFFFFF) else f"[{value}]"


def _format_boxed(call: Call, index: int) -> str:
    """[N]: a number the argument points to (getcpu's cpu, struct sched_param's one int)."""
    value = call.parsed(index)
    return pointer(call.ulong(index)) if value is None else f"[{value}]"


def _format_ptr_out(call: Call, index: int) -> str:
    value = call.parsed(index)
    return pointer(call.ulong(index)) if value is None else f"[{pointer(value)}]"


def _format_mincore_vec(call: Call, index: int) -> str:
    """[1, 0, ...]: each page's residency bit, at most -s of them."""
    raw = as_bytes((call.exit or {}).get(call.syscall.args[index].name))
    if raw is None:
        return pointer(call.ulong(index))
    pages = -(-call.ulong(index - 1) // PAGE_SIZE)
    shown = [str(byte & 1) for byte in raw]
    if pages > len(shown):
        shown.append("...")
    return "[" + ", ".join(shown) + "]"


_SWAP_PRIO_MASK = 0x7FFF


def _format_swap_flags(call: Call, index: int) -> str:
    """swapon's flags: SWAP_FLAG_* above the priority (its low 15 bits, in
    decimal): `SWAP_FLAG_PREFER|42`."""
    value = call.ulong(index)
    flags, prio = value & ~_SWAP_PRIO_MASK, value & _SWAP_PRIO_MASK
    return composite(number(value), lambda: f"{format_flags(flags, 'swap')}|{prio}" if flags else str(prio))


def _format_dev(call: Call, index: int) -> str:
    return format_dev(call.ulong(index))


FORMATTERS: dict[str, ArgFormatter] = {
    "int": _format_int,
    "uint": _format_default,
    "fd": _format_fd,
    "pid": _format_pid,
    "id": _format_id,
    "off": _format_off,
    "hex": _format_hex,
    "ptr": _format_ptr,
    "dirfd": _format_dirfd,
    "split_lo": _format_split_lo,
    "split_hi": _format_split_hi,
    "path": _format_path,
    "path_out": _format_path_out,
    "str": _format_str,
    "buf_in": _format_buf_in,
    "buf_out": _format_buf_out,
    "argv": _format_argv,
    "envp": _format_envp,
    "open_flags": _format_open_flags,
    "mode": _format_mode,
    "signo": _format_signo,
    "ioctl_req": _format_ioctl_req,
    "socket_type": _format_socket_type,
    "mpol_mode": _format_mpol_mode,
    "mpol_mode_out": when_written(_format_mpol_mode_out),
    "nodemask": _format_nodemask,
    "id_out": when_written(_format_id_out),
    "ptr_out": when_written(_format_ptr_out),
    "boxed": _format_boxed,
    "boxed_out": when_written(_format_boxed),
    "mincore_vec": when_written(_format_mincore_vec),
    "swap_flags": _format_swap_flags,
    "dev": _format_dev,
}


def table_formatter(name: str) -> ArgFormatter | None:
    """`flags:TABLE`, `constant:TABLE` and `constant_dec:TABLE` (an unknown
    value in decimal): a value named by a table of atrace.render.flag_tables;
    None for another name."""
    style, _, table = name.partition(":")
    if style == "flags":
        return _flags(table)
    if style == "constant":
        return _constant(table)
    if style == "constant_dec":
        return _constant(table, "dec")
    return None
