"""Classic BPF instructions as strace prints them: each as the BPF_STMT or
BPF_JUMP macro that builds it, its opcode's parts and a socket filter's
SKF_* load offsets in the -X style, a seccomp filter's return values by
action.  Used by seccomp, prctl(PR_SET_SECCOMP), SO_ATTACH_FILTER and
SO_GET_FILTER (render/decode/) and packet_diag's PACKET_DIAG_FILTER
(render/netlink_diag.py).  Opcode values from linux/bpf_common.h and
linux/filter.h."""

from __future__ import annotations

import struct

from .call import hex0
from .flags import CONSTANTS, number, styled

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
