"""-i (--instruction-pointer): where each call and signal happened.

A syscall stop's instruction pointer is in the PTRACE_GET_SYSCALL_INFO
buffer the stop loop has just filled (_ptrace.SYSCALL_INFO_BUFFER), so a
call costs no extra ptrace request; a signal-delivery stop has no syscall
info, so its pointer comes from the registers (PTRACE_GETREGS).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence

from . import _ptrace as P

# struct ptrace_syscall_info: op (u8), 3 pad, arch (u32), instruction_pointer (u64)
_IP_OFFSET = 8
# struct user_regs_struct (x86_64): rip is its 17th register
_RIP = 16
_regs = (ctypes.c_uint64 * 27)()


def call_instruction_pointer(pid: int, arch: int, args: Sequence[int], index: int, /) -> int:
    """An entry reader (tracer/decoding.py's Step): the address after the
    instruction that made the call in progress, from the stop's syscall info."""
    return int.from_bytes(P.SYSCALL_INFO_BUFFER.raw[_IP_OFFSET : _IP_OFFSET + 8], "little")


def stopped_instruction_pointer(pid: int) -> int | None:
    """The instruction pointer of `pid`, stopped outside a syscall stop
    (signal delivery); None if the registers cannot be read (it died)."""
    if P.ptrace(P.PTRACE_GETREGS, pid, 0, ctypes.addressof(_regs)) < 0:
        return None
    return int(_regs[_RIP])
