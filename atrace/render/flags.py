"""Formatting flags and constants the way strace prints them, with the tables
of atrace.render.flag_tables."""

from __future__ import annotations

from collections.abc import Callable

from .decoder_tables import DECODER_UNKNOWN_PREFIX
from .flag_tables import (
    CONSTANTS,
    FLAG_UNKNOWN,
    LONG_FLAGS,
    O_CREAT,
    O_LARGEFILE,
    O_TMPFILE,
    OPEN_ACCESS,
    OPEN_FLAGS,
    TABLES,
    FlagTable,
)
from .names import signal_name
from .options import STYLES

__all__ = [
    "CONSTANTS",
    "LONG_FLAGS",
    "OPEN_ACCESS",
    "OPEN_FLAGS",
    "O_CREAT",
    "O_LARGEFILE",
    "O_TMPFILE",
    "STYLES",
    "TABLES",
    "FlagTable",
    "composite",
    "const_style",
    "format_constant",
    "format_dev",
    "format_file_mode",
    "format_flags",
    "format_ioctl_request",
    "format_mode",
    "format_open_flags",
    "format_personality",
    "format_signal",
    "format_socket_type",
    "named_bits",
    "number",
    "raw_style",
    "set_const_style",
    "styled",
]  # fmt: skip

# -X: how a named constant is printed. One style per run (strace's is
# global too), kept here so that every formatter that names a number follows
# it: "abbrev" the name (the default), "raw" the number alone, "verbose" the
# number then the name as a comment (`0x3 /* PROT_READ|PROT_WRITE */`). The
# renderer sets it before each batch it renders (TextRenderer.render), so
# renderers with different options can share a process.
_style = ["abbrev"]


def set_const_style(style: str) -> None:
    _style[0] = style


def const_style() -> str:
    """The run's -X style: "abbrev", "raw" or "verbose" (the netlink decoders
    print whole structs by it)."""
    return _style[0]


def raw_style() -> bool:
    """-X raw: numbers only, without the comments strace adds otherwise
    (a clock_t's seconds)."""
    return _style[0] == "raw"


def number(value: int, base: str = "hex") -> str:
    """A constant's number as strace prints it: C's %#llx (0 stays 0), or
    decimal for the kinds strace prints so ('dec')."""
    if base == "dec":
        return str(value)
    if value < 0:  # a C int as strace's %#x shows it: unsigned
        value &= 0xFFFFFFFF if value >= -(1 << 31) else (1 << 64) - 1
    return hex(value) if value else "0"


def styled(value: str, names: str | None) -> str:
    """A value whose abbreviated form is `names` (None: nothing names it),
    in the current style; `value` is its number as strace prints it."""
    style = _style[0]
    if names is None or style == "raw":
        return value
    return names if style == "abbrev" else f"{value} /* {names} */"


def composite(value: str, build: Callable[[], str]) -> str:
    """A value strace prints as a whole (open flags, a mode, an ioctl
    request...): -X raw the number, verbose the number and then the
    abbreviated text as a comment (its parts never commented again)."""
    style = _style[0]
    if style == "abbrev":
        return build()
    if style == "raw":
        return value
    _style[0] = "abbrev"
    try:
        text = build()
    finally:
        _style[0] = style
    return f"{value} /* {text} */"


_ZERO_NAMES = {"prot": "PROT_NONE", "access": "F_OK"}

FILE_TYPES = {
    0o140000: "S_IFSOCK",
    0o120000: "S_IFLNK",
    0o100000: "S_IFREG",
    0o060000: "S_IFBLK",
    0o040000: "S_IFDIR",
    0o020000: "S_IFCHR",
    0o010000: "S_IFIFO",
}
_MODE_BITS: FlagTable = [(0o4000, "S_ISUID"), (0o2000, "S_ISGID"), (0o1000, "S_ISVTX")]


def named_bits(value: int, table: FlagTable) -> tuple[list[str], int]:
    """Names of the flags set in value, and the bits no name covers."""
    names = []
    for bits, name in table:
        if bits and value & bits == bits:
            names.append(name)
            value &= ~bits
    return names, value


def format_flags(value: int, table_name: str, zero: str | None = None) -> str:
    """`A|B|0x40` as strace prints a flag word; `zero` (or the table's own
    zero name, else `0`) when nothing is set. -X raw: the number; -X
    verbose: the number, then the names as a comment."""
    whole = _WHOLE.get(table_name)
    if whole is not None:
        return whole(value)
    zero_name = zero if zero is not None else _ZERO_NAMES.get(table_name, "0")
    return _flag_word(value, TABLES[table_name], zero_name, FLAG_UNKNOWN.get(table_name))


def _flag_word(value: int, table: FlagTable, zero_name: str, unknown: str | None = None) -> str:
    style = _style[0]
    if style == "raw":
        return number(value)
    names, rest = named_bits(value, table)
    if not names:
        if value:
            return f"{value:#x} /* {unknown} */" if unknown else hex(value)
        return f"0 /* {zero_name} */" if style == "verbose" and zero_name[0].isalpha() else zero_name
    if rest:
        names.append(hex(rest))
    text = "|".join(names)
    return text if style == "abbrev" else f"{hex(value)} /* {text} */"


def _clone_flags(value: int) -> str:
    """clone's flags: the CLONE_* bits, then its exit signal as a signal."""
    signo, value = value & 0xFF, value & ~0xFF
    flags = _flag_word(value, TABLES["clone"], "0", "CLONE_???")
    if not signo:
        return flags
    return f"{flags}|{format_signal(signo)}" if value else format_signal(signo)


_MAP_TYPE = 0xF
_MAP_TYPES = {0: "MAP_FILE", 1: "MAP_SHARED", 2: "MAP_PRIVATE", 3: "MAP_SHARED_VALIDATE"}
_MAP_HUGE_SHIFT, _MAP_HUGE_MASK = 26, 0x3F


def _mmap_flags(value: int) -> str:
    """mmap's flags: the mapping type (MAP_FILE for 0), the MAP_* flags,
    then a huge page size as `21<<MAP_HUGE_SHIFT`; -X raw and verbose treat
    them as one number."""

    def names() -> str:
        kind = _MAP_TYPES.get(value & _MAP_TYPE, f"{value & _MAP_TYPE:#x} /* MAP_??? */")
        huge = value >> _MAP_HUGE_SHIFT & _MAP_HUGE_MASK
        rest = value & ~_MAP_TYPE & ~(_MAP_HUGE_MASK << _MAP_HUGE_SHIFT)
        parts = [kind, *([_flag_word(rest, TABLES["mmap"], "0")] if rest else [])]
        return "|".join([*parts, *([f"{huge}<<MAP_HUGE_SHIFT"] if huge else [])])

    return composite(number(value), names)


_MFD_HUGE_SHIFT = 26


def _memfd_flags(value: int) -> str:
    """memfd_create's flags: MFD_* then a huge page size as
    `30<<MFD_HUGE_SHIFT`; -X raw and verbose treat them as one number."""
    if not value:
        return "0"

    def names() -> str:
        huge = value >> _MFD_HUGE_SHIFT & _MAP_HUGE_MASK
        rest = value & ~(_MAP_HUGE_MASK << _MFD_HUGE_SHIFT)
        parts = [_flag_word(rest, TABLES["memfd"], "0", "MFD_???")] if rest or not huge else []
        return "|".join([*parts, *([f"{huge}<<MFD_HUGE_SHIFT"] if huge else [])])

    return composite(number(value), names)


_WHOLE: dict[str, Callable[[int], str]] = {"clone": _clone_flags, "mmap": _mmap_flags, "memfd": _memfd_flags}


def format_constant(value: int, table_name: str, unknown: str = "hex") -> str:
    """A constant's name; an unknown value as strace shows it: a hex number
    with the table's prefix as a comment (`0x99 /* F_??? */`) or a plain
    decimal when unknown is 'dec' (then -X raw and verbose print the known
    ones in decimal too)."""
    name = CONSTANTS[table_name].get(value)
    shown = number(value, unknown)
    if name is None:
        prefix = _UNKNOWN_PREFIX.get(table_name) if unknown != "dec" else None
        return f"{shown} /* {prefix}??? */" if prefix and _style[0] != "raw" else shown
    return styled(shown, name)


def format_signal(signo: int) -> str:
    """A signal number as an argument or field: its name, in the -X style
    (strace prints the number in decimal)."""
    name = signal_name(signo) if 0 < signo <= 64 else None
    return styled(str(signo), name)


_UNKNOWN_PREFIX = {
    "fcntl": "F_", "flock_type": "F_", "rlimit": "RLIMIT_", "family": "AF_", "sock_type": "SOCK_", "sol": "SOL_",
    "so": "SO_", "madv": "MADV_", "arch_prctl": "ARCH_", "prctl": "PR_", "clock": "CLOCK_",
    "futex": "FUTEX_", "epoll_ctl": "EPOLL_CTL_", "whence": "SEEK_", "sigmask_how": "SIG_",
    "ipproto": "IPPROTO_", "tcp": "TCP_", "ip": "IP_", "ipv6": "IPV6_", "itimer": "ITIMER_", "mpol": "MPOL_",
    "capability": "CAP_", "personality": "PER_", "sched_policy": "SCHED_", "sigev_notify": "SIGEV_",
}  # fmt: skip
_UNKNOWN_PREFIX.update(DECODER_UNKNOWN_PREFIX)


def format_open_flags(value: int) -> str:
    value &= 0xFFFFFFFF

    def names() -> str:
        more, rest = named_bits(value & ~3, OPEN_FLAGS)
        return "|".join([OPEN_ACCESS[value & 3], *more, *([hex(rest)] if rest else [])])

    return composite(number(value), names)


def octal(value: int) -> str:
    """C's "%#03o": a leading 0, at least three digits (022, 0644, 000)."""
    return f"0{value:o}".rjust(3, "0") if value else "000"


def format_mode(value: int) -> str:
    """A creation mode (open, mkdir, chmod, umask): strace prints the number
    in octal, in every -X style, set-id bits included (`umask(07777)`)."""
    return octal(value & 0xFFFF)


def format_file_mode(value: int) -> str:
    """st_mode or mknod's mode: the file type, the set-id bits, then the
    permissions (`S_IFREG|0644`); a type no name covers as the octal number."""
    kind = FILE_TYPES.get(value & 0o170000) if value & 0o170000 else ""
    if kind is None:
        return octal(value)

    def names() -> str:
        special, perms = named_bits(value & 0o7777, _MODE_BITS)
        return "|".join([*([kind] if kind else []), *special, octal(perms)])

    return composite(octal(value), names)


def format_personality(value: int) -> str:
    """A persona: its PER_* type, then its flags (`PER_LINUX|SHORT_INODE`)."""
    value &= 0xFFFFFFFF
    kind = format_constant(value & 0xFF, "personality")
    flags = value & ~0xFF
    return f"{kind}|{_flag_word(flags, TABLES['personality'], '0')}" if flags else kind


def format_dev(dev: int) -> str:
    """A device number: `makedev(0x1, 0x7)` (glibc's major/minor split)."""
    # glibc's major() and minor() are unsigned ints: the high bits of a
    # 64-bit number beyond them are dropped, as strace prints them.
    major = ((dev >> 8) & 0xFFF) | ((dev >> 32) & 0xFFFFF000)
    minor = (dev & 0xFF) | ((dev >> 12) & 0xFFFFFF00)
    return composite(number(dev), lambda: f"makedev({number(major)}, {number(minor)})")


def format_socket_type(value: int) -> str:
    """socket()'s type: SOCK_STREAM|SOCK_CLOEXEC, the type then the flags
    (each in the -X style)."""
    value &= 0xFFFFFFFF
    name = CONSTANTS["sock_type"].get(value & 0xF)
    if name is None:
        return format_flags(value, "sock_type")
    kind = styled(number(value & 0xF), name)
    return f"{kind}|{format_flags(value & ~0xF, 'sock_type')}" if value & ~0xF else kind


def format_ioctl_request(value: int) -> str:
    """An ioctl request: its name, else the _IOC(dir, type, nr, size) parts."""
    value &= 0xFFFFFFFF
    name = CONSTANTS["ioctl"].get(value)
    if name is not None:
        return styled(number(value), name)
    direction = value >> 30
    kind, nr, size = (value >> 8) & 0xFF, value & 0xFF, (value >> 16) & 0x3FFF
    dirs = {0: "_IOC_NONE", 1: "_IOC_WRITE", 2: "_IOC_READ", 3: "_IOC_READ|_IOC_WRITE"}[direction]
    return composite(number(value), lambda: f"_IOC({dirs}, {number(kind)}, {number(nr)}, {number(size)})")
