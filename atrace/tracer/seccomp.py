"""The seccomp-bpf filter that makes only the traced calls stop.

A classic BPF program, built from the same per-ABI number sets the tracer
records (`TracerConfig.recorded`), returns SECCOMP_RET_TRACE for a call in
the set and SECCOMP_RET_ALLOW for the rest. The launched child installs it
between its self-stop and its exec (`launch.fork_stopped`); every descendant
inherits it. With PTRACE_O_TRACESECCOMP a TRACE result is a
PTRACE_EVENT_SECCOMP stop, which on Linux >= 4.8 is the call's entry.

The program checks `seccomp_data.arch` first: x86_64 (where the x32 ABI is a
bit in the number), i386 (a 32-bit program, or `int $0x80` from a 64-bit
one). Any other arch is traced whatever its number: a call must never slip
through untraced because we did not know its ABI.

execve and execveat are traced in every ABI whatever the set: the exec
record carries their file name and argv (the process tree and the compile
database need them), and only the entry stop can read them.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterable
from dataclasses import dataclass

from ..syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64, X32_SYSCALL_BIT, by_name
from ._ptrace import AUDIT_ARCH_I386, AUDIT_ARCH_X86_64
from .become import PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER
from .decoding import recorded_numbers

# linux/filter.h and linux/bpf_common.h
_BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS: A = the 32-bit word at k
_BPF_JMP_JA = 0x05  # BPF_JMP | BPF_JA: skip k instructions
_BPF_JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_JGT = 0x25  # BPF_JMP | BPF_JGT | BPF_K (unsigned)
_BPF_JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K (unsigned)
_BPF_RET = 0x06  # BPF_RET | BPF_K
BPF_MAXINSNS = 4096

# linux/seccomp.h
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_TRACE = 0x7FF00000
# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; ...
_NR_OFFSET = 0
_ARCH_OFFSET = 4

CAP_SYS_ADMIN = 21

# Calls traced in every ABI whatever the set (see the module's docstring).
ALWAYS_TRACED = ("execve", "execveat")

# For tests only: when this variable is set in atrace's environment, the
# child is handed an empty program, which the kernel refuses (EINVAL), so the
# fallback to stopping on every call can be exercised on any machine.
FORCE_FAILURE_ENV = "ATRACE_TEST_SECCOMP_FAIL"

Insn = tuple[int, int, int, int]  # code, jt, jf, k


class FilterTooLarge(Exception):
    """The set needs more instructions than one filter may hold."""


def _ret(value: int) -> Insn:
    return (_BPF_RET, 0, 0, value)


def _number_checks(numbers: Iterable[int], offset: int = 0) -> list[Insn]:
    """Instructions that return TRACE when the number in A is in `numbers`
    (each plus `offset`), and fall through otherwise.

    Consecutive numbers are checked as one range. Every jump is short (at
    most two instructions), so the 8-bit jump fields of classic BPF never
    limit the size of the set.
    """
    insns: list[Insn] = []
    for first, last in _runs(sorted(set(numbers))):
        if first == last:
            insns += [(_BPF_JEQ, 0, 1, first + offset), _ret(SECCOMP_RET_TRACE)]
        else:
            # A < first: skip both; A > last: skip the return.
            insns += [(_BPF_JGE, 0, 2, first + offset), (_BPF_JGT, 1, 0, last + offset), _ret(SECCOMP_RET_TRACE)]
    return insns


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for nr in numbers:
        if runs and runs[-1][1] == nr - 1:
            runs[-1] = (runs[-1][0], nr)
        else:
            runs.append((nr, nr))
    return runs


def traced_numbers(recorded: dict[int, frozenset[int]]) -> dict[int, frozenset[int]]:
    """Per ABI, the numbers the filter must stop: those the plans record
    (decoding.recorded_numbers, the same decision) plus ALWAYS_TRACED."""
    traced: dict[int, frozenset[int]] = {}
    for arch in (ARCH_X86_64, ARCH_I386, ARCH_X32):
        always = {call.nr for call in (by_name(arch, name) for name in ALWAYS_TRACED) if call is not None}
        traced[arch] = recorded_numbers(arch, recorded) | always
    return traced


def build_program(recorded: dict[int, frozenset[int]]) -> list[Insn]:
    """The filter for a trace set (numbers per ABI, x32's without its bit).

    Raises FilterTooLarge when it would not fit in one filter.
    """
    traced = traced_numbers(recorded)
    x86_64 = _number_checks(traced[ARCH_X86_64])
    x32 = _number_checks(traced[ARCH_X32], X32_SYSCALL_BIT)
    i386 = _number_checks(traced[ARCH_I386])
    allow = _ret(SECCOMP_RET_ALLOW)
    # Layout: arch dispatch, x86_64 (with x32 split off by the bit), x32,
    # i386. Long-distance jumps are BPF_JA, whose offset is 32 bits.
    x86_64_block = [(_BPF_LD_W_ABS, 0, 0, _NR_OFFSET), (_BPF_JGE, 0, 1, X32_SYSCALL_BIT)]
    x86_64_tail = [*x86_64, allow]
    x32_block = [*x32, allow]
    # the JA after the x32 test skips the x86_64 checks to the x32 block
    x86_64_block.append((_BPF_JMP_JA, 0, 0, len(x86_64_tail)))
    x86_64_block += x86_64_tail
    i386_block = [(_BPF_LD_W_ABS, 0, 0, _NR_OFFSET), *i386, allow]
    dispatch: list[Insn] = [
        (_BPF_LD_W_ABS, 0, 0, _ARCH_OFFSET),
        (_BPF_JEQ, 0, 1, AUDIT_ARCH_X86_64),
        (_BPF_JMP_JA, 0, 0, 3),  # to the x86_64 block
        (_BPF_JEQ, 0, 1, AUDIT_ARCH_I386),
        (_BPF_JMP_JA, 0, 0, 1 + len(x86_64_block) + len(x32_block)),  # to the i386 block
        _ret(SECCOMP_RET_TRACE),  # an arch we do not know: trace it all
    ]
    program = dispatch + x86_64_block + x32_block + i386_block
    if len(program) > BPF_MAXINSNS:
        raise FilterTooLarge(f"the trace set needs {len(program)} BPF instructions (at most {BPF_MAXINSNS})")
    return program


class _SockFilter(ctypes.Structure):
    _fields_ = (("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32))


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter)))


@dataclass(slots=True)
class Installer:
    """A filter ready to install in a forked child.

    Everything is built and allocated in the parent: between fork and exec
    the child only makes the prctl calls (no allocation, no import).
    """

    program: ctypes.Array[_SockFilter]
    fprog: _SockFprog
    no_new_privs: bool

    @classmethod
    def for_set(cls, recorded: dict[int, frozenset[int]]) -> Installer:
        insns = [] if os.environ.get(FORCE_FAILURE_ENV) else build_program(recorded)
        program = (_SockFilter * max(1, len(insns)))(*(_SockFilter(*insn) for insn in insns))
        fprog = _SockFprog(len(insns), ctypes.cast(program, ctypes.POINTER(_SockFilter)))
        # Without CAP_SYS_ADMIN the kernel requires no_new_privs; as root we
        # leave it unset so that setuid programs keep their privileges.
        return cls(program, fprog, not has_sys_admin())

    def install(self) -> int:
        """In the child: install the filter; 0, or -1 (the tracer sees why)."""
        if self.no_new_privs and _prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return -1
        result: int = _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(self.fprog), 0, 0)
        return result

    def as_plan(self) -> tuple[bytes, int, bool]:
        """The filter for another process to install (become.install_filter):
        its instructions' bytes, their count, and whether no_new_privs is needed."""
        return bytes(self.program), self.fprog.len, self.no_new_privs


_prctl = ctypes.CDLL(None, use_errno=True).prctl
_prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)
_prctl.restype = ctypes.c_int


def has_sys_admin() -> bool:
    """Whether atrace holds CAP_SYS_ADMIN (in its effective set)."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"CapEff:"):
                    return bool(int(line.split()[1], 16) >> CAP_SYS_ADMIN & 1)
    except (OSError, ValueError):
        pass
    return False


def is_install_call(arch: int, nr: int, args: tuple[int, ...]) -> bool:
    """Whether a call is Installer.install's prctl(PR_SET_SECCOMP, FILTER)."""
    call = by_name(arch, "prctl")
    return call is not None and nr == call.nr and args[:2] == (PR_SET_SECCOMP, SECCOMP_MODE_FILTER)
