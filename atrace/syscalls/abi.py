"""The three x86 personalities a tracee can make syscalls in."""

from __future__ import annotations

ARCH_X86_64 = 0
ARCH_I386 = 1
ARCH_X32 = 2
ARCH_NAMES = {ARCH_X86_64: "x86_64", ARCH_I386: "i386", ARCH_X32: "x32"}
ARCHES = (ARCH_X86_64, ARCH_I386, ARCH_X32)

# The bit an x32 program sets in the syscall number (rax) to select its ABI.
X32_SYSCALL_BIT = 0x40000000
