"""Syscall tables for x86_64, i386 and x32; see atrace.syscalls.model."""

from atrace.syscalls.model import (
    ARCH_I386,
    ARCH_NAMES,
    ARCH_X32,
    ARCH_X86_64,
    CLASSES,
    KINDS,
    SOCKETCALLS,
    X32_SYSCALL_BIT,
    Arg,
    Syscall,
    by_name,
    lookup,
    names,
    table,
)

__all__ = [
    "ARCH_I386",
    "ARCH_NAMES",
    "ARCH_X32",
    "ARCH_X86_64",
    "CLASSES",
    "KINDS",
    "SOCKETCALLS",
    "X32_SYSCALL_BIT",
    "Arg",
    "Syscall",
    "by_name",
    "lookup",
    "names",
    "table",
]
