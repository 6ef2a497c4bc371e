"""The three x86 personalities a tracee can make syscalls in."""

from __future__ import annotations

ARCH_X86_64 = 0
ARCH_I386 = 1
ARCH_X32 = 2
ARCH_NAMES = {ARCH_X86_64: "x86_64", ARCH_I386: "i386", ARCH_X32: "x32"}
ARCHES = (ARCH_X86_64, ARCH_I386, ARCH_X32)

# The bit an x32 program sets in the syscall number (rax) to select its ABI.
X32_SYSCALL_BIT = 0x40000000

# A return value in -4095..-1 is an error: -ret is the errno (the kernel's
# MAX_ERRNO; the restart codes 512-516 are in that range too).
MAX_ERRNO = 4095


# The kernel's restart codes (ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND,
# ERESTART_RESTARTBLOCK) as a call returns them: a signal interrupted it.
RESTART_RETURNS = frozenset({-512, -513, -514, -516})


def is_error(ret: int) -> bool:
    """The signed return value of a call is an error."""
    return -MAX_ERRNO <= ret < 0


def signed(value: int, bits: int = 64) -> int:
    """The low `bits` bits of a register as a signed number (bits=32: a C int)."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value
