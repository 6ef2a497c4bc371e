"""Syscall tables: for each number, the call's name, trace classes and arguments.

The rows live in the generated modules ``_x86_64`` and ``_i386`` (made by
scripts/gen_syscall_tables.py); this module turns them into typed, cached
tables.  x32 has no table of its own: its calls are the x86_64 rows of the same
name, under x32's numbers.

Classes are strace's trace classes (``strace -e trace=%file`` etc.), as strace
6.1 assigns them: file, process, network, signal, ipc, desc, memory, creds,
stat, lstat, fstat, stat_like, statfs, fstatfs, statfs_like, clock, pure.

Arguments are listed in register order, one per register the kernel reads, each
named as in the kernel's include/linux/syscalls.h; calls that Linux never
implemented (a number reserved in the table) have none.  The kind of an
argument tells the tracer what to copy and the renderer how to print it; each
kind is declared once, in atrace.syscalls.kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from atrace.syscalls import _i386, _x86_64
from atrace.syscalls.abi import ARCH_I386, ARCH_NAMES, ARCH_X32, ARCH_X86_64, X32_SYSCALL_BIT
from atrace.syscalls.kinds import KINDS

__all__ = ["ARCH_I386", "ARCH_NAMES", "ARCH_X32", "ARCH_X86_64", "CLASSES", "KINDS", "SOCKETCALLS", "X32_SYSCALL_BIT",
           "Arg", "Syscall", "by_name", "lookup", "names", "table"]  # fmt: skip

# i386 socketcall's call numbers (linux/net.h) and the calls they stand for
# (send and recv have no syscall of their own and are left out).
SOCKETCALLS: dict[int, str] = {
    1: "socket", 2: "bind", 3: "connect", 4: "listen", 5: "accept", 6: "getsockname", 7: "getpeername",
    8: "socketpair", 11: "sendto", 12: "recvfrom", 13: "shutdown", 14: "setsockopt", 15: "getsockopt",
    16: "sendmsg", 17: "recvmsg", 18: "accept4", 19: "recvmmsg", 20: "sendmmsg",
}  # fmt: skip

CLASSES: frozenset[str] = frozenset(
    {
        "file", "process", "network", "signal", "ipc", "desc", "memory",
        "creds", "stat", "lstat", "fstat", "stat_like", "statfs", "fstatfs",
        "statfs_like", "clock", "pure",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Arg:
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Syscall:
    nr: int  # the number in its arch's table; for x32 without X32_SYSCALL_BIT
    name: str
    classes: frozenset[str]
    args: tuple[Arg, ...]


def _syscall(nr: int, name: str, classes: str, args: tuple[str, ...]) -> Syscall:
    return Syscall(nr, name, _classes(classes), _args(args))


# Rows repeat the same class lists and arguments ("fd:fd" in hundreds of
# calls, x32 every x86_64 row again): each is parsed and built once. Every
# atrace start builds the tables (~1,200 calls), strace's qual_fault test
# starts atrace 1,200 times. Arg and Syscall are frozen: sharing is safe.
@cache
def _classes(text: str) -> frozenset[str]:
    return frozenset(filter(None, text.split(",")))


@cache
def _args(args: tuple[str, ...]) -> tuple[Arg, ...]:
    return tuple(_arg(arg) for arg in args)


@cache
def _arg(text: str) -> Arg:
    name, kind = text.split(":")
    return Arg(name, kind)


def _index(calls: list[Syscall]) -> tuple[Syscall | None, ...]:
    """Lay calls out by number, None in the holes."""
    slots: list[Syscall | None] = [None] * (max(c.nr for c in calls) + 1)
    for call in calls:
        slots[call.nr] = call
    return tuple(slots)


@cache
def table(arch: int) -> tuple[Syscall | None, ...]:
    """All calls of an ABI, indexed by number; numbers without a call are None."""
    if arch == ARCH_X86_64:
        return _index([_syscall(*row) for row in _x86_64.ROWS])
    if arch == ARCH_I386:
        return _index([_syscall(*row) for row in _i386.ROWS])
    if arch == ARCH_X32:
        native = {row[1]: row for row in _x86_64.ROWS}
        return _index([_syscall(nr, *native[name][1:]) for nr, name in _x86_64.X32_NUMBERS])
    raise ValueError(f"unknown arch {arch!r}")


def lookup(arch: int, nr: int) -> Syscall | None:
    """The call with that number, or None.

    For x32, nr is the number as the tracee passed it, X32_SYSCALL_BIT set;
    the bit is ignored, so a number without it is also accepted.  Numbers
    outside the table (-1 for a call skipped by seccomp or a tracer) give None.
    """
    if arch == ARCH_X32:
        nr &= ~X32_SYSCALL_BIT
    calls = table(arch)
    return calls[nr] if 0 <= nr < len(calls) else None


@cache
def _by_name(arch: int) -> dict[str, Syscall]:
    return {call.name: call for call in table(arch) if call is not None}


def by_name(arch: int, name: str) -> Syscall | None:
    """The call with that name, or None."""
    return _by_name(arch).get(name)


@cache
def names(arch: int) -> frozenset[str]:
    """The names of all calls of an ABI."""
    return frozenset(_by_name(arch))
