"""ptrace's decoder: each request's addr and data, and struct
ptrace_syscall_info as far as the size asked and the kernel's return
value both cover it (copied from a real process by the tracer's plan)."""

from __future__ import annotations

import struct

from decoding_support import TraceeMemory, render, trace

ESRCH, EIO, EPERM = -3, -5, -1
PTRACE_GET_SYSCALL_INFO, PTRACE_SETOPTIONS, PTRACE_PEEKDATA = 0x420E, 0x4200, 2
X86_64, I386 = 0xC000003E, 0x40000003


def _info(op: int, arch: int, tail: bytes) -> bytes:
    return struct.pack("<B3xIQQ", op, arch, 0x7F0012345678, 0x7FFF00001000) + tail


ENTRY = _info(1, X86_64, struct.pack("<7Q", 80, 1, 2, 3, 4, 5, 6) + bytes(8))
EXIT = _info(2, X86_64, struct.pack("<qB", -2, 1) + bytes(55))


def test_requests_by_shape() -> None:
    assert render("ptrace", [0xDEADBEEFFFFFFEED, 42, 0, 0], ESRCH, None, None) == (
        "ptrace(0xdeadbeeffffffeed /* PTRACE_??? */, 42, NULL, NULL) = -1 ESRCH (No such process)"
    )
    assert (
        render("ptrace", [0, 0, 0, 0], EPERM, None, None)
        == "ptrace(PTRACE_TRACEME) = -1 EPERM (Operation not permitted)"
    )
    assert render("ptrace", [16, 42, 7, 9], EPERM, None, None).startswith("ptrace(PTRACE_ATTACH, 42) = -1")
    assert render("ptrace", [7, 42, 0, 10], ESRCH, None, None).startswith("ptrace(PTRACE_CONT, 42, NULL, SIGUSR1) =")
    assert render("ptrace", [24, 42, 0, 0], 0, None, None) == "ptrace(PTRACE_SYSCALL, 42, NULL, 0) = 0"
    assert render("ptrace", [5, 42, 0x1000, 0xDEAD], ESRCH, None, None).startswith(
        "ptrace(PTRACE_POKEDATA, 42, 0x1000, 0xdead) ="
    )
    assert render("ptrace", [PTRACE_SETOPTIONS, 42, 0, 0xA], ESRCH, None, None).startswith(
        "ptrace(PTRACE_SETOPTIONS, 42, NULL, PTRACE_O_TRACEFORK|PTRACE_O_TRACECLONE) ="
    )
    assert render("ptrace", [PTRACE_SETOPTIONS, 42, 0, 0x400], ESRCH, None, None).startswith(
        "ptrace(PTRACE_SETOPTIONS, 42, NULL, 0x400 /* PTRACE_O_??? */) ="
    )


def test_request_styles() -> None:
    args = [PTRACE_SETOPTIONS, 42, 0, 1]
    assert render("ptrace", args, 0, None, None, const_style="raw") == "ptrace(0x4200, 42, NULL, 0x1) = 0"
    assert render("ptrace", args, 0, None, None, const_style="verbose") == (
        "ptrace(0x4200 /* PTRACE_SETOPTIONS */, 42, NULL, 0x1 /* PTRACE_O_TRACESYSGOOD */) = 0"
    )


def test_peeked_word_and_signal_mask() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<Q", 0xFEEDFACE), 0x2000: struct.pack("<Q", 1 << 9)})
    assert trace("ptrace", memory, [PTRACE_PEEKDATA, 42, 0x5000, 0x1000], 0) == (
        "ptrace(PTRACE_PEEKDATA, 42, 0x5000, [0xfeedface]) = 0"
    )
    assert trace("ptrace", memory, [PTRACE_PEEKDATA, 42, 0x5000, 0x1000], ESRCH).startswith(
        "ptrace(PTRACE_PEEKDATA, 42, 0x5000, 0x1000) = -1"
    )
    assert trace("ptrace", memory, [0x420B, 42, 8, 0x2000], ESRCH).startswith(
        "ptrace(PTRACE_SETSIGMASK, 42, 8, [USR1]) = -1"
    )


def test_syscall_info_entry_cut_by_size_and_return() -> None:
    memory = TraceeMemory({0x1000: ENTRY})
    head = "ptrace(PTRACE_GET_SYSCALL_INFO, 42, {}, {{op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64"
    ip_sp = ", instruction_pointer=0x7f0012345678, stack_pointer=0x7fff00001000"
    assert trace("ptrace", memory, [PTRACE_GET_SYSCALL_INFO, 42, 88, 0x1000], 80) == (
        head.format(88) + ip_sp + ", entry={nr=__NR_chdir, args=[0x1, 0x2, 0x3, 0x4, 0x5, 0x6]}}) = 80"
    )
    # Two whole args fit in 48 bytes; the third is cut.
    assert trace("ptrace", memory, [PTRACE_GET_SYSCALL_INFO, 42, 52, 0x1000], 80) == (
        head.format(52) + ip_sp + ", entry={nr=__NR_chdir, args=[0x1, 0x2]}}) = 80"
    )
    # No more than the kernel returned, whatever the size asked.
    assert trace("ptrace", memory, [PTRACE_GET_SYSCALL_INFO, 42, 88, 0x1000], 12) == head.format(88) + "}) = 12"
    assert trace("ptrace", memory, [PTRACE_GET_SYSCALL_INFO, 42, 0, 0x1000], 80).endswith(", 0, 0x1000) = 80")
    assert trace("ptrace", memory, [PTRACE_GET_SYSCALL_INFO, 42, 88, 0x1000], ESRCH).endswith(
        ", 88, 0x1000) = -1 ESRCH (No such process)"
    )


def test_syscall_info_exit_error_by_name() -> None:
    memory = TraceeMemory({0x1000: EXIT, 0x2000: _info(2, I386, struct.pack("<qB", 3, 0))})
    assert trace("ptrace", memory, [PTRACE_GET_SYSCALL_INFO, 42, 88, 0x1000], 33).endswith(
        ", exit={rval=-ENOENT, is_error=1}}) = 33"
    )
    # Without is_error, rval is a number.
    assert trace("ptrace", memory, [PTRACE_GET_SYSCALL_INFO, 42, 32, 0x1000], 33).endswith(", exit={rval=-2}}) = 33")
    assert trace("ptrace", memory, [PTRACE_GET_SYSCALL_INFO, 42, 88, 0x2000], 33).endswith(
        "arch=AUDIT_ARCH_I386, instruction_pointer=0x7f0012345678, stack_pointer=0x7fff00001000, "
        "exit={rval=3, is_error=0}}) = 33"
    )


def test_siginfo_in_and_out() -> None:
    # si_signo SIGUSR1, si_errno 0, si_code SI_USER; si_pid 42, si_uid 0.
    info = struct.pack("<iii4xii", 10, 0, 0, 42, 0) + bytes(104)  # the union at 16 (8-aligned)
    memory = TraceeMemory({0x1000: info})
    assert trace("ptrace", memory, [0x4203, 7, 0, 0x1000], ESRCH).startswith(
        "ptrace(PTRACE_SETSIGINFO, 7, NULL, {si_signo=SIGUSR1, si_code=SI_USER, si_pid=42, si_uid=0}) = -1"
    )
    # What the kernel writes: read at exit, only when the call succeeded.
    assert trace("ptrace", memory, [0x4202, 7, 0, 0x1000], 0) == (
        "ptrace(PTRACE_GETSIGINFO, 7, NULL, {si_signo=SIGUSR1, si_code=SI_USER, si_pid=42, si_uid=0}) = 0"
    )
    assert trace("ptrace", memory, [0x4202, 7, 0, 0x1000], ESRCH).startswith(
        "ptrace(PTRACE_GETSIGINFO, 7, NULL, 0x1000) = -1"
    )
