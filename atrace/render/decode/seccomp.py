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
from ..call import Call, hex0, pointer
from ..flags import CONSTANTS, format_constant, number, styled
from ..quoting import as_bytes
from .common import flags_or_unknown

# A program has at most BPF_MAXINSNS instructions; a longer len is cut with "...".
BPF_MAXINSNS = 4096

_CLASSES = ("BPF_LD", "BPF_LDX", "BPF_ST", "BPF_STX", "BPF_ALU", "BPF_JMP", "BPF_RET", "BPF_MISC")
_LD, _ALU, _JMP, _RET, _MISC = 0, 4, 5, 6, 7
_SIZES = {0x00: "BPF_W", 0x08: "BPF_H", 0x10: "BPF_B", 0x18: "BPF_DW"}
_MODES = {0x00: "BPF_IMM", 0x20: "BPF_ABS", 0x40: "BPF_IND", 0x60: "BPF_MEM", 0x80: "BPF_LEN", 0xA0: "BPF_MSH"}
_SOURCES = {0x00: "BPF_K", 0x08: "BPF_X"}
_ALU_OPS = {0x00: "BPF_ADD", 0x10: "BPF_SUB", 0x20: "BPF_MUL", 0x30: "BPF_DIV", 0x40: "BPF_OR", 0x50: "BPF_AND",
            0x60: "BPF_LSH", 0x70: "BPF_RSH", 0x80: "BPF_NEG", 0x90: "BPF_MOD", 0xA0: "BPF_XOR"}  # fmt: skip
_JMP_OPS = {0x00: "BPF_JA", 0x10: "BPF_JEQ", 0x20: "BPF_JGT", 0x30: "BPF_JGE", 0x40: "BPF_JSET"}
_RVALS = {0x00: "BPF_K", 0x08: "BPF_X", 0x10: "BPF_A"}
_MISC_OPS = {0x00: "BPF_TAX", 0x80: "BPF_TXA"}


def _part(value: int, names: dict[int, str]) -> str:
    """One field of an opcode, each in the -X style (`0x10 /* BPF_B */`)."""
    name = names.get(value)
    return f"{value:#x} /* BPF_??? */" if name is None else styled(number(value), name)


def _code(code: int) -> str:
    """The opcode as the or-ed BPF_* names its class uses."""
    cls = code & 7
    parts = [styled(number(cls), _CLASSES[cls])]
    if cls in (_LD, 1):
        parts += [_part(code & 0x18, _SIZES), _part(code & 0xE0, _MODES)]
    elif cls in (_ALU, _JMP):
        parts += [_part(code & 0x08, _SOURCES), _part(code & 0xF0, _ALU_OPS if cls == _ALU else _JMP_OPS)]
    elif cls == _RET:
        parts.append(_part(code & 0x18, _RVALS))
        if code & ~0x1F & 0xFFFF:
            parts.append(f"{code & ~0x1F & 0xFFFF:#x} /* BPF_??? */")
    elif cls == _MISC:
        parts.append(_part(code & 0xF8, _MISC_OPS))
    elif code & ~7:
        parts.append(f"{code & ~7:#x} /* BPF_??? */")
    return "|".join(parts)


def seccomp_return(k: int) -> str:
    """A seccomp filter's return value: its action, then its data."""
    action, data = k & 0xFFFF0000, k & 0xFFFF
    name = CONSTANTS["seccomp_ret"].get(action)
    if name is None:
        return f"{k:#x} /* SECCOMP_RET_??? */"
    return f"{name}|{data:#x}" if data else name


# A socket filter loads from negative offsets for the link layer, network
# layer and ancillary data (linux/filter.h: SKF_*).
_SKF_AD_OFF, _SKF_NET_OFF, _SKF_LL_OFF = -0x1000, -0x100000, -0x200000
_SKF_AD = ("SKF_AD_PROTOCOL", "SKF_AD_PKTTYPE", "SKF_AD_IFINDEX", "SKF_AD_NLATTR", "SKF_AD_NLATTR_NEST",
           "SKF_AD_MARK", "SKF_AD_QUEUE", "SKF_AD_HATYPE", "SKF_AD_RXHASH", "SKF_AD_CPU", "SKF_AD_ALU_XOR_X",
           "SKF_AD_VLAN_TAG", "SKF_AD_VLAN_TAG_PRESENT", "SKF_AD_PAY_OFFSET", "SKF_AD_RANDOM",
           "SKF_AD_VLAN_TPID")  # fmt: skip
_ABS_IND = (0x20, 0x40)


def _socket_offset(k: int) -> str:
    """A load offset of a socket filter: SKF_LL_OFF+4, SKF_AD_OFF+SKF_AD_PROTOCOL..."""
    offset = k - (1 << 32) if k & 0x80000000 else k
    if offset >= 0 or offset < _SKF_LL_OFF:
        return hex0(k)
    if offset >= _SKF_AD_OFF:
        extra = offset - _SKF_AD_OFF
        known = extra % 4 == 0 and extra // 4 < len(_SKF_AD)
        name = styled(number(extra), _SKF_AD[extra // 4]) if known else hex0(extra)
        return f"{_offset_base(_SKF_AD_OFF, 'SKF_AD_OFF')}+{name}"
    base, name = (_SKF_NET_OFF, "SKF_NET_OFF") if offset >= _SKF_NET_OFF else (_SKF_LL_OFF, "SKF_LL_OFF")
    return f"{_offset_base(base, name)}+{offset - base}"


def _offset_base(base: int, name: str) -> str:
    return styled(number(base & 0xFFFFFFFF), name)


def format_insn(code: int, jt: int, jf: int, k: int, seccomp: bool) -> str:
    cls = code & 7
    if cls == _JMP and code & 0xF0:
        return f"BPF_JUMP({_code(code)}, {hex0(k)}, {hex0(jt)}, {hex0(jf)})"
    if seccomp and cls == _RET and code & 0x18 == 0:
        shown = seccomp_return(k)
    elif not seccomp and cls in (_LD, 1) and code & 0xE0 in _ABS_IND:
        shown = _socket_offset(k)
    else:
        shown = hex0(k)
    return f"BPF_STMT({_code(code)}, {shown})"


def format_insns(raw: bytes, count: int, seccomp: bool) -> list[str]:
    """The first `count` instructions of a program (as far as raw goes)."""
    insns = []
    for offset in range(0, 8 * min(count, len(raw) // 8), 8):
        code, jt, jf, k = struct.unpack_from("<HBBI", raw, offset)
        insns.append(format_insn(code, jt, jf, k, seccomp))
    return insns


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
