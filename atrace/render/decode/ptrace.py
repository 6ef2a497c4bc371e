"""ptrace: the request, and addr and data as the request means them (a
signal to deliver, PTRACE_O_* options, a size, a word or struct the kernel
writes), with struct ptrace_syscall_info shown field by field as far as the
caller's size and the kernel's return value both cover it.

What each request's addr and data are is data (_SHAPES); the requests whose
data points to memory the tracer copies are atrace.syscalls.cmds' rows.
Values from linux/ptrace.h.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from ...syscalls import ARCH_I386, ARCH_X86_64, lookup
from ...syscalls.abi import signed
from ...syscalls.cmds import PTRACE_SYSCALL_INFO_SIZE
from .. import structs
from ..call import Call, hex0, pointer
from ..flags import format_constant, format_signal, format_table_value, styled
from ..fmt_signal import format_siginfo, format_sigset
from ..names import errno_name
from ..quoting import as_bytes
from .audit_arches import AUDIT_ARCHES
from .common import flags_or_unknown

# How addr and data print, by request: "ptr" an address, "udec" an unsigned
# number (a size or index), "hex" a word in hex, "signal" a signal to
# deliver, "options" PTRACE_O_* flags, "word" the word the kernel stores at
# data, "sigset" a signal mask, "metadata" struct seccomp_metadata,
# "syscall_info" struct ptrace_syscall_info, "siginfo" a siginfo_t passed
# in, "siginfo_out" one the kernel writes.  None: not printed (strace
# prints only the request and pid of the requests that take nothing else).
_SIGNAL = ("ptr", "signal")
_PEEK = ("ptr", "word")
_POKE = ("ptr", "hex")
_ALONE = (None, None)
_SHAPES: dict[int, tuple[str | None, str | None]] = {
    1: _PEEK, 2: _PEEK, 3: _PEEK, 4: _POKE, 5: _POKE, 6: _POKE,
    7: _SIGNAL, 8: _ALONE, 9: _SIGNAL, 16: _ALONE, 17: _SIGNAL, 24: _SIGNAL, 31: _SIGNAL, 32: _SIGNAL, 33: _SIGNAL,
    0x4200: ("ptr", "options"), 0x4201: ("ptr", "word"), 0x4206: ("ptr", "options"), 0x4207: _ALONE,
    0x4208: _ALONE, 0x420A: ("udec", "sigset"), 0x420B: ("udec", "sigset"), 0x420C: ("udec", "ptr"),
    0x420D: ("udec", "metadata"), 0x420E: ("udec", "syscall_info"), 0x4202: ("ptr", "siginfo_out"),
    0x4203: ("ptr", "siginfo"),
}  # fmt: skip
_TRACEME = 0
# The shapes the kernel writes (shown at exit, after the call returns).
_WRITTEN = frozenset({"word", "syscall_info", "siginfo_out"})
_GETSIGMASK = 0x420A


def _request(call: Call) -> int:
    return call.args[0] & ((1 << call.long_bits) - 1)


def _data(call: Call, shape: str, request: int) -> str:
    addr = call.args[3] & ((1 << call.long_bits) - 1)
    if shape == "signal":
        return format_signal(addr) if addr else "0"
    if shape == "options":
        return flags_or_unknown(addr, "ptrace_options", "PTRACE_O_")
    if shape == "hex":
        return hex0(addr)
    raw = as_bytes(call.value(3))
    written = shape in _WRITTEN or request == _GETSIGMASK
    if raw is None or (written and not call.succeeded()):
        return pointer(addr)
    if shape == "word" and len(raw) == call.long_bits // 8:
        return f"[{hex0(int.from_bytes(raw, 'little'))}]"
    if shape == "sigset" and len(raw) == 8 and call.args[2] & 0xFFFFFFFF == 8:
        return format_sigset(int.from_bytes(raw, "little"))
    if shape == "metadata" and len(raw) == 8 and call.args[2] >= 8:
        return f"{{filter_off={int.from_bytes(raw, 'little')}}}"
    if shape in ("siginfo", "siginfo_out"):
        f = structs.siginfo(raw, call.arch, call.name)
        return pointer(addr) if f is None else format_siginfo(f)
    if shape == "syscall_info" and call.ret is not None:
        return _syscall_info(call, raw[: min(call.args[2], call.ret, PTRACE_SYSCALL_INFO_SIZE)]) or pointer(addr)
    return pointer(addr)


def _ptrace(call: Call) -> list[str | None]:
    request = _request(call)
    parts: list[str | None] = [format_constant(request, "ptrace")]
    if request == _TRACEME:
        return parts
    parts.append(call.fmt(1))
    addr_shape, data_shape = _SHAPES.get(request, ("ptr", "ptr"))
    if addr_shape is None or data_shape is None:
        return parts
    addr = call.args[2] & ((1 << call.long_bits) - 1)
    parts.append(str(addr) if addr_shape == "udec" else pointer(addr))
    return [*parts, _data(call, data_shape, request)]


def _ptrace_split(call: Call) -> int:
    """What the kernel writes through data is shown at exit: cut before it."""
    shape = _SHAPES.get(_request(call), ("ptr", "ptr"))[1]
    return 3 if shape in _WRITTEN or _request(call) == _GETSIGMASK else 4


# -- struct ptrace_syscall_info ----------------------------------------------

_HEAD = struct.Struct("<B3xIQQ")  # op, arch, instruction_pointer, stack_pointer
_UNION = _HEAD.size
_ARGS = 6
_OP_ENTRY, _OP_EXIT, _OP_SECCOMP = 1, 2, 3
_AUDIT_ARCH_ABI = {0xC000003E: ARCH_X86_64, 0x40000003: ARCH_I386}


def _syscall_nr(nr: int, audit_arch: int) -> str:
    """__NR_name in the -X style; the number alone when the arch's table lacks it."""
    abi = _AUDIT_ARCH_ABI.get(audit_arch)
    found = lookup(abi, nr) if abi is not None and nr < 1 << 31 else None
    return styled(str(nr), None if found is None else f"__NR_{found.name}")


def _nr_and_args(raw: bytes, audit_arch: int) -> list[str]:
    """nr and as many args as the bytes hold whole (none: no args=)."""
    if len(raw) < _UNION + 8:
        return []
    fields = [f"nr={_syscall_nr(int.from_bytes(raw[_UNION : _UNION + 8], 'little'), audit_arch)}"]
    start = _UNION + 8
    count = min(_ARGS, (len(raw) - start) // 8)
    if count:
        values = struct.unpack_from(f"<{count}Q", raw, start)
        fields.append("args=[" + ", ".join(hex0(v) for v in values) + "]")
    return fields


def _exit_fields(raw: bytes) -> list[str]:
    """rval (an error by name when is_error says so) and is_error."""
    if len(raw) < _UNION + 8:
        return []
    rval = signed(int.from_bytes(raw[_UNION : _UNION + 8], "little"), 64)
    if len(raw) < _UNION + 9:
        return [f"rval={rval}"]
    is_error = raw[_UNION + 8]
    shown = styled(str(rval), f"-{errno_name(-rval)}") if is_error and rval < 0 else str(rval)
    return [f"rval={shown}", f"is_error={is_error}"]


def _syscall_info(call: Call, raw: bytes) -> str | None:
    """The fields the bytes hold whole; None when there are none."""
    if not raw:
        return None
    fields = [f"op={format_constant(raw[0], 'ptrace_syscall_info_op')}"]
    head = raw + bytes(_HEAD.size - len(raw)) if len(raw) < _HEAD.size else raw
    _op, audit_arch, ip, sp = _HEAD.unpack_from(head)
    arch = format_table_value(audit_arch, AUDIT_ARCHES, "AUDIT_ARCH_")
    for end, text in ((8, f"arch={arch}"), (16, f"instruction_pointer={hex0(ip)}"), (24, f"stack_pointer={hex0(sp)}")):
        if len(raw) >= end:
            fields.append(text)
    op = raw[0]
    if op in (_OP_ENTRY, _OP_SECCOMP):
        inner = _nr_and_args(raw[: _UNION + 8 + 8 * _ARGS], audit_arch)
        if op == _OP_SECCOMP and len(raw) >= _UNION + 8 + 8 * _ARGS + 4:
            inner.append(f"ret_data={int.from_bytes(raw[_UNION + 56 : _UNION + 60], 'little')}")
        if inner:
            fields.append(("entry" if op == _OP_ENTRY else "seccomp") + "={" + ", ".join(inner) + "}")
    elif op == _OP_EXIT:
        inner = _exit_fields(raw)
        if inner:
            fields.append("exit={" + ", ".join(inner) + "}")
    return "{" + ", ".join(fields) + "}"


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"ptrace": _ptrace}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"ptrace": _ptrace_split}
