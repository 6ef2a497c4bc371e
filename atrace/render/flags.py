"""Formatting flags and constants the way strace prints them, with the tables
of atrace.render.flag_tables."""

from __future__ import annotations

from .flag_tables import CONSTANTS, O_CREAT, O_LARGEFILE, O_TMPFILE, OPEN_ACCESS, OPEN_FLAGS, TABLES, FlagTable
from .names import signal_name

__all__ = [
    "CONSTANTS",
    "OPEN_ACCESS",
    "OPEN_FLAGS",
    "O_CREAT",
    "O_LARGEFILE",
    "O_TMPFILE",
    "TABLES",
    "FlagTable",
    "format_constant",
    "format_file_mode",
    "format_flags",
    "format_ioctl_request",
    "format_mode",
    "format_open_flags",
    "format_socket_type",
    "named_bits",
]  # fmt: skip

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
    zero name, else `0`) when nothing is set."""
    table = TABLES[table_name]
    signal_part = ""
    if table_name == "clone" and value & 0xFF:
        signal_part = signal_name(value & 0xFF)
        value &= ~0xFF
    names, rest = named_bits(value, table)
    if signal_part:
        names.append(signal_part)
    if rest and not names and table_name in _UNKNOWN_FLAGS:
        return f"{rest:#x} /* {_UNKNOWN_FLAGS[table_name]} */"
    if rest:
        names.append(hex(rest))
    if not names:
        return zero if zero is not None else _ZERO_NAMES.get(table_name, "0")
    return "|".join(names)


def format_constant(value: int, table_name: str, unknown: str = "hex") -> str:
    """A constant's name; an unknown value as strace shows it: a hex number
    with the table's prefix as a comment (`0x99 /* F_??? */`) or a plain
    decimal when unknown is 'dec'."""
    name = CONSTANTS[table_name].get(value)
    if name is not None:
        return name
    if unknown == "dec":
        return str(value)
    prefix = _UNKNOWN_PREFIX.get(table_name)
    return f"{value:#x} /* {prefix}??? */" if prefix else hex(value)


# What strace says of a flag word none of whose bits it knows: `0x2 /* FSOPEN_??? */`.
_UNKNOWN_FLAGS = {"wait": "W???", "o_flags": "O_???", "pidfd_open": "PIDFD_???", "fsopen": "FSOPEN_???",
                  "uffd": "UFFD_???", "close_range": "CLOSE_RANGE_???"}  # fmt: skip

_UNKNOWN_PREFIX = {
    "fcntl": "F_", "flock_type": "F_", "rlimit": "RLIMIT_", "family": "AF_", "sock_type": "SOCK_", "sol": "SOL_",
    "so": "SO_", "madv": "MADV_", "arch_prctl": "ARCH_", "prctl": "PR_", "clock": "CLOCK_",
    "futex": "FUTEX_", "epoll_ctl": "EPOLL_CTL_", "whence": "SEEK_", "sigmask_how": "SIG_",
    "ipproto": "IPPROTO_", "tcp": "TCP_", "ip": "IP_", "ipv6": "IPV6_", "itimer": "ITIMER_", "mpol": "MPOL_",
    "capability": "CAP_", "sched_policy": "SCHED_", "sigev_notify": "SIGEV_",
}  # fmt: skip


def format_open_flags(value: int) -> str:
    value &= 0xFFFFFFFF
    names = [OPEN_ACCESS[value & 3]]
    more, rest = named_bits(value & ~3, OPEN_FLAGS)
    names += more
    if rest:
        names.append(hex(rest))
    return "|".join(names)


def format_mode(value: int) -> str:
    """Permission bits (and set-id bits) as strace shows a creation mode."""
    value &= 0o7777
    special, rest = named_bits(value, _MODE_BITS)
    # C's "%#03o": a leading 0, at least three digits (022, 0644, 000).
    perms = f"0{rest:o}".rjust(3, "0") if rest else "000"
    return "|".join([*special, perms]) if special else perms


def format_file_mode(value: int) -> str:
    """st_mode: the file type, then the permissions (`S_IFREG|0644`)."""
    kind = FILE_TYPES.get(value & 0o170000)
    perms = format_mode(value)
    if kind is None:
        return f"{value & 0o170000:#o}|{perms}" if value & 0o170000 else perms
    return f"{kind}|{perms}"


def format_socket_type(value: int) -> str:
    names = [format_constant(value & 0xF, "sock_type")]
    more, rest = named_bits(value & ~0xF & 0xFFFFFFFF, TABLES["sock_type"])
    names += more
    if rest:
        names.append(hex(rest))
    return "|".join(names)


def format_ioctl_request(value: int) -> str:
    """An ioctl request: its name, else the _IOC(dir, type, nr, size) parts."""
    value &= 0xFFFFFFFF
    name = CONSTANTS["ioctl"].get(value)
    if name is not None:
        return name
    direction = value >> 30
    kind, number, size = (value >> 8) & 0xFF, value & 0xFF, (value >> 16) & 0x3FFF
    dirs = {0: "_IOC_NONE", 1: "_IOC_WRITE", 2: "_IOC_READ", 3: "_IOC_READ|_IOC_WRITE"}[direction]
    if direction == 0 and size == 0:
        return f"_IOC({dirs}, {kind:#x}, {number:#x}, 0)"
    return f"_IOC({dirs}, {kind:#x}, {number:#x}, {size:#x})"
