"""seccomp, and the classic BPF programs it and prctl(PR_SET_SECCOMP) and
SO_ATTACH_FILTER take: `{len=N, filter=[BPF_STMT(...), BPF_JUMP(...)]}`.

A program is shown instruction by instruction only with -v (strace prints
the filter's address otherwise), each as the BPF_STMT/BPF_JUMP macro that
builds it.  The tracer copies the struct sock_fprog and the program
(atrace.tracer.call_readers.fprog) as [len, filter address, bytes].
Opcode values from linux/bpf_common.h and linux/filter.h.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ...syscalls.cmds import SECCOMP_GET_ACTION_AVAIL, SECCOMP_GET_NOTIF_SIZES, SECCOMP_SET_MODE_FILTER
from ..bpf_filter import BPF_MAXINSNS, format_insns, seccomp_return
from ..call import Call, hex0, pointer
from ..flags import format_constant
from ..quoting import as_bytes
from .common import flags_or_unknown


def format_program(value: Any, verbose: bool, seccomp: bool, addr: int) -> str:
    """A struct sock_fprog as copied ([len, filter, bytes]); its address when unread."""
    if not isinstance(value, list) or len(value) != 3:
        return pointer(addr)
    count, filt, code = value
    head = f"{{len={count}, filter="
    if not verbose or not filt:
        return head + pointer(filt) + "}"
    raw = as_bytes(code) or b""
    shown = min(count, BPF_MAXINSNS)
    if shown and len(raw) < 8:
        return head + pointer(filt) + "}"
    insns = format_insns(raw, shown, seccomp)
    if len(insns) < shown:
        # The program ends in memory the tracer could not read: where.
        insns.append(f"... /* {pointer(filt + 8 * len(insns))} */")
    elif count > shown:
        insns.append("...")
    return head + "[" + ", ".join(insns) + "]}"


def format_fprog(call: Call, value: Any, index: int) -> str:
    """A seccomp filter argument (seccomp, prctl)."""
    return format_program(value, call.options.verbose, True, call.ulong(index))


def _uargs(call: Call) -> str:
    op = call.ulong(0) & 0xFFFFFFFF
    value = call.value(2)
    raw = as_bytes(value) if not isinstance(value, list) else None
    if op == SECCOMP_SET_MODE_FILTER:
        return format_fprog(call, value, 2)
    if op == SECCOMP_GET_ACTION_AVAIL and raw is not None and len(raw) >= 4:
        return f"[{seccomp_return(int.from_bytes(raw[:4], 'little'))}]"
    if op == SECCOMP_GET_NOTIF_SIZES and raw is not None and len(raw) >= 6 and call.succeeded():
        notif, resp, data = struct.unpack_from("<HHH", raw)
        return f"{{seccomp_notif={notif}, seccomp_notif_resp={resp}, seccomp_data={data}}}"
    return pointer(call.ulong(2))


def _seccomp(call: Call) -> list[str | None]:
    op = call.ulong(0) & 0xFFFFFFFF
    flags = call.ulong(1) & 0xFFFFFFFF
    if op == SECCOMP_SET_MODE_FILTER:
        shown_flags = flags_or_unknown(flags, "seccomp_filter_flags", "SECCOMP_FILTER_FLAG_")
    else:
        shown_flags = hex0(flags)
    return [format_constant(op, "seccomp_op"), shown_flags, _uargs(call)]


def _seccomp_split(call: Call) -> int:
    """SECCOMP_GET_NOTIF_SIZES's struct is written by the kernel: cut before it."""
    return 2 if call.ulong(0) & 0xFFFFFFFF == SECCOMP_GET_NOTIF_SIZES else 3


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"seccomp": _seccomp}
RETURNS: dict[str, Callable[[Call], str | None]] = {}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"seccomp": _seccomp_split}
