"""Flag tables (x86_64 values) and the formatter that names set bits."""

from __future__ import annotations

from .names import signal_name

OPEN_ACCESS = {0: "O_RDONLY", 1: "O_WRONLY", 2: "O_RDWR"}
# Multi-bit flags first, so O_SYNC is not shown as O_DSYNC|... .
OPEN_FLAGS: list[tuple[int, str]] = [
    (0o20200000, "O_TMPFILE"),
    (0o4010000, "O_SYNC"),
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o10000, "O_DSYNC"),
    (0o20000, "O_ASYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
]
O_CREAT = 0o100
O_TMPFILE = 0o20200000

TABLES: dict[str, list[tuple[int, str]]] = {
    "at": [
        (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_REMOVEDIR"),
        (0x400, "AT_SYMLINK_FOLLOW"),
        (0x800, "AT_NO_AUTOMOUNT"),
        (0x1000, "AT_EMPTY_PATH"),
        (0x2000, "AT_STATX_FORCE_SYNC"),
        (0x4000, "AT_STATX_DONT_SYNC"),
        (0x8000, "AT_RECURSIVE"),
    ],
    "prot": [
        (0x1, "PROT_READ"),
        (0x2, "PROT_WRITE"),
        (0x4, "PROT_EXEC"),
        (0x8, "PROT_SEM"),
        (0x01000000, "PROT_GROWSDOWN"),
        (0x02000000, "PROT_GROWSUP"),
    ],
    "mmap": [
        (0x3, "MAP_SHARED_VALIDATE"),
        (0x1, "MAP_SHARED"),
        (0x2, "MAP_PRIVATE"),
        (0x10, "MAP_FIXED"),
        (0x20, "MAP_ANONYMOUS"),
        (0x40, "MAP_32BIT"),
        (0x100, "MAP_GROWSDOWN"),
        (0x800, "MAP_DENYWRITE"),
        (0x1000, "MAP_EXECUTABLE"),
        (0x2000, "MAP_LOCKED"),
        (0x4000, "MAP_NORESERVE"),
        (0x8000, "MAP_POPULATE"),
        (0x10000, "MAP_NONBLOCK"),
        (0x20000, "MAP_STACK"),
        (0x40000, "MAP_HUGETLB"),
        (0x80000, "MAP_SYNC"),
        (0x100000, "MAP_FIXED_NOREPLACE"),
    ],
    "clone": [
        (0x100, "CLONE_VM"),
        (0x200, "CLONE_FS"),
        (0x400, "CLONE_FILES"),
        (0x800, "CLONE_SIGHAND"),
        (0x1000, "CLONE_PIDFD"),
        (0x2000, "CLONE_PTRACE"),
        (0x4000, "CLONE_VFORK"),
        (0x8000, "CLONE_PARENT"),
        (0x10000, "CLONE_THREAD"),
        (0x20000, "CLONE_NEWNS"),
        (0x40000, "CLONE_SYSVSEM"),
        (0x80000, "CLONE_SETTLS"),
        (0x100000, "CLONE_PARENT_SETTID"),
        (0x200000, "CLONE_CHILD_CLEARTID"),
        (0x400000, "CLONE_DETACHED"),
        (0x800000, "CLONE_UNTRACED"),
        (0x1000000, "CLONE_CHILD_SETTID"),
        (0x2000000, "CLONE_NEWCGROUP"),
        (0x4000000, "CLONE_NEWUTS"),
        (0x8000000, "CLONE_NEWIPC"),
        (0x10000000, "CLONE_NEWUSER"),
        (0x20000000, "CLONE_NEWPID"),
        (0x40000000, "CLONE_NEWNET"),
        (0x80000000, "CLONE_IO"),
    ],
}
# The value printed when no flag of the table is set.
_ZERO_NAMES = {"prot": "PROT_NONE"}


def _named_bits(value: int, table: list[tuple[int, str]]) -> tuple[list[str], int]:
    names = []
    for bits, name in table:
        if bits and value & bits == bits:
            names.append(name)
            value &= ~bits
    return names, value


def format_flags(value: int, table_name: str) -> str:
    table = TABLES[table_name]
    signal_part = ""
    if table_name == "clone" and value & 0xFF:
        signal_part = signal_name(value & 0xFF)
        value &= ~0xFF
    names, rest = _named_bits(value, table)
    if signal_part:
        names.append(signal_part)
    if rest:
        names.append(hex(rest))
    if not names:
        return _ZERO_NAMES.get(table_name, "0")
    return "|".join(names)


def format_open_flags(value: int) -> str:
    value &= 0xFFFFFFFF
    names = [OPEN_ACCESS.get(value & 3, hex(value & 3))]
    more, rest = _named_bits(value & ~3, OPEN_FLAGS)
    names += more
    if rest:
        names.append(hex(rest))
    return "|".join(names)


def format_mode(value: int) -> str:
    return f"0{value & 0o7777:o}" if value & 0o7777 else "000"
