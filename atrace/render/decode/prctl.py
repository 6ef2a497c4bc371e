"""prctl: each option's arguments, as strace 6.1 prints them.

Most options are one row of `_ARGS`: how to show each argument the option
uses (the rest are left out).  An option not in the table prints its four
arguments in hex, as strace does for the options it does not decode.  The
memory an option reads is in atrace.syscalls.prctls (shared with the
tracer): an option that reads at exit is cut after the option at entry.
"""

from __future__ import annotations

from collections.abc import Callable

from ...syscalls import prctls as P
from ..call import Call, hex0, pointer
from ..flags import (
    CONSTANTS,
    TABLES,
    composite,
    const_style,
    format_constant,
    format_flags,
    format_signal,
    named_bits,
    number,
    raw_style,
    set_const_style,
    styled,
)
from ..pid_texts import pid_text
from ..quoting import as_bytes, quote
from .common import bounded_string, c_string, flags_or_unknown

ArgFormatter = Callable[[Call, int], str]
SPEC_NAMES = CONSTANTS["pr_spec"]


def _flags(table: str, prefix: str, bits: int = 64) -> ArgFormatter:
    """Flags; with no known flag set, the value in hex and a `PREFIX???` comment."""

    def show(call: Call, index: int) -> str:
        return flags_or_unknown(call.ulong(index) & ((1 << bits) - 1), table, prefix)

    return show


def _const(table: str, bits: int = 64) -> ArgFormatter:
    def show(call: Call, index: int) -> str:
        return format_constant(call.ulong(index) & ((1 << bits) - 1), table)

    return show


def _unsigned(call: Call, index: int) -> str:
    return str(call.ulong(index))


def _signed(call: Call, index: int) -> str:
    return str(call.long(index))


def _int(call: Call, index: int) -> str:
    return str(call.c_int(index))


def _hex(call: Call, index: int) -> str:
    return hex0(call.ulong(index))


def _ptr(call: Call, index: int) -> str:
    return pointer(call.ulong(index))


def _pdeathsig(call: Call, index: int) -> str:
    value = call.ulong(index)
    return format_signal(value) if value <= 128 else str(value)


def _written(show: Callable[[bytes, Call], str]) -> ArgFormatter:
    """What the kernel wrote (read at exit): `[value]`, else the address."""

    def formatter(call: Call, index: int) -> str:
        raw = as_bytes((call.exit or {}).get("arg2")) if call.succeeded() else None
        return pointer(call.ulong(index)) if raw is None or not raw else show(raw, call)

    return formatter


def _int_value(raw: bytes) -> int:
    return int.from_bytes(raw[:4].ljust(4, b"\0"), "little", signed=True)


def _written_int(show: Callable[[int], str]) -> ArgFormatter:
    return _written(lambda raw, call: f"[{show(_int_value(raw))}]")


def _name_out(raw: bytes, call: Call) -> str:
    return quote(raw.split(b"\0", 1)[0], P.TASK_COMM_LEN, call.options.hex_strings)


def _name_in(call: Call, index: int) -> str:
    """PR_SET_NAME: at most 15 bytes are used; no NUL among them means the
    name was cut (`"..."...`); a shorter unterminated one is its address."""
    shown = bounded_string(as_bytes(call.entry.get("arg2")), P.TASK_COMM_LEN - 1, call.options.hex_strings)
    return shown if shown is not None else pointer(call.ulong(index))


def _vma_name(call: Call, index: int) -> str:
    shown = c_string(as_bytes(call.entry.get("arg2")), call.options.string_limit, call.options.hex_strings)
    return pointer(call.ulong(index)) if shown is None else shown


def _pid(call: Call, index: int) -> str:
    """The pid an option takes, with --pidns-translation's number."""
    return pid_text(call.c_int(index), None, call.entry.get("pid_pidns"))


def _ptracer(call: Call, index: int) -> str:
    return styled("-1", "PR_SET_PTRACER_ANY") if call.c_int(index) == -1 else _pid(call, index)


def _sched_core_cookie(call: Call, index: int) -> str:
    if call.ulong(1) & 0xFFFFFFFF != P.PR_SCHED_CORE_GET:
        return pointer(call.ulong(index))
    return _written(lambda raw, _: f"[{int.from_bytes(raw[:8], 'little'):#x}]")(call, index)


def _pidtype(call: Call, index: int) -> str:
    """strace shows a pid type as its number and its name as a comment."""
    value = call.ulong(index) & 0xFFFFFFFF
    name = format_constant(value, "pidtype")
    return name if "/*" in name or raw_style() else f"{hex0(value)} /* {name} */"


def _vector_length(table: str) -> ArgFormatter:
    """PR_SVE_SET_VL/PR_SME_SET_VL: flags, then the length (low 16 bits)."""

    def show(call: Call, index: int) -> str:
        value = call.ulong(index)
        return composite(number(value), lambda: _vl_text(value, table)) if value >> 16 else hex0(value)

    return show


def _vl_text(value: int, table: str) -> str:
    length, flags = hex0(value & 0xFFFF), value & ~0xFFFF
    return f"{format_flags(flags, table)}|{length}" if flags else length


_MTE_TCF_NAMES = ("PR_MTE_TCF_NONE", "PR_MTE_TCF_SYNC", "PR_MTE_TCF_ASYNC", "PR_MTE_TCF_MASK")
_MTE_TAG_SHIFT, _MTE_TAG_MASK = 3, 0xFFFF << 3


def _tagged_addr(call: Call, index: int) -> str:
    value = call.ulong(index)
    return composite(number(value), lambda: _tagged_addr_text(value))


def _tagged_addr_text(value: int) -> str:
    parts = ["PR_TAGGED_ADDR_ENABLE" if value & 1 else "!PR_TAGGED_ADDR_ENABLE", _MTE_TCF_NAMES[value >> 1 & 3]]
    if value & _MTE_TAG_MASK:
        parts.append(f"{(value & _MTE_TAG_MASK) >> _MTE_TAG_SHIFT:#x}<<PR_MTE_TAG_SHIFT")
    rest = value & ~(_MTE_TAG_MASK | 7)
    if rest:
        parts.append(hex(rest))
    return "|".join(parts)


_CAP = _const("capability")
# Options printed as the option alone.
_BARE = (P.PR_GET_KEEPCAPS, P.PR_GET_SECCOMP, P.PR_GET_TIMERSLACK, P.PR_GET_TIMING, P.PR_TASK_PERF_EVENTS_DISABLE,
         P.PR_TASK_PERF_EVENTS_ENABLE, P.PR_GET_DUMPABLE, P.PR_GET_SECUREBITS, P.PR_GET_FP_MODE,
         P.PR_SVE_GET_VL, P.PR_SME_GET_VL)  # fmt: skip

_ARGS: dict[int, tuple[ArgFormatter, ...]] = {
    **{option: () for option in _BARE},
    P.PR_SET_PDEATHSIG: (_pdeathsig,),
    P.PR_GET_PDEATHSIG: (_written_int(format_signal),),
    P.PR_SET_DUMPABLE: (_const("dumpable"),),
    P.PR_GET_UNALIGN: (_written_int(lambda v: format_flags(v & 0xFFFFFFFF, "pr_unalign")),),
    P.PR_SET_UNALIGN: (_flags("pr_unalign", "PR_UNALIGN_", 32),),
    P.PR_SET_KEEPCAPS: (_unsigned,),
    P.PR_GET_FPEMU: (_written_int(str),),
    P.PR_SET_FPEMU: (_unsigned,),
    P.PR_GET_FPEXC: (_written_int(str),),
    P.PR_SET_FPEXC: (_unsigned,),
    P.PR_SET_TIMING: (_unsigned,),
    P.PR_SET_NAME: (_name_in,),
    P.PR_GET_NAME: (_written(_name_out),),
    P.PR_GET_ENDIAN: (_written_int(str),),
    P.PR_SET_ENDIAN: (_unsigned,),
    P.PR_CAPBSET_READ: (_const("capability", 32),),
    P.PR_CAPBSET_DROP: (_const("capability", 32),),
    P.PR_GET_TSC: (_written_int(lambda v: format_constant(v & 0xFFFFFFFF, "pr_tsc")),),
    P.PR_SET_TSC: (_const("pr_tsc", 32),),
    P.PR_SET_SECUREBITS: (_flags("secbits", "SECBIT_"),),
    P.PR_SET_TIMERSLACK: (_signed,),
    P.PR_SET_CHILD_SUBREAPER: (_unsigned,),
    P.PR_GET_CHILD_SUBREAPER: (_written_int(lambda v: str(v & 0xFFFFFFFF)),),
    P.PR_SET_NO_NEW_PRIVS: (_unsigned, _hex, _hex, _hex),
    P.PR_SET_THP_DISABLE: (_unsigned, _hex, _hex, _hex),
    P.PR_SET_IO_FLUSHER: (_unsigned, _hex, _hex, _hex),
    P.PR_GET_TID_ADDRESS: (_written(lambda raw, call: f"[{pointer(int.from_bytes(raw, 'little'))}]"),),
    P.PR_SET_FP_MODE: (_flags("pr_fp_mode", "PR_FP_MODE_", 32),),
    P.PR_SVE_SET_VL: (_vector_length("pr_sve_vl"),),
    P.PR_SME_SET_VL: (_vector_length("pr_sme_vl"),),
    P.PR_GET_SPECULATION_CTRL: (_const("pr_spec"),),
    P.PR_SET_SPECULATION_CTRL: (_const("pr_spec"), lambda call, i: _const("pr_spec_set")(call, i)
                                if call.ulong(1) in SPEC_NAMES else _hex(call, i)),
    P.PR_PAC_RESET_KEYS: (_flags("pr_pac_keys", "PR_PAC_"), _hex, _hex, _hex),
    P.PR_PAC_SET_ENABLED_KEYS: (_flags("pr_pac_enabled_keys", "PR_PAC_"), _flags("pr_pac_enabled_keys", "PR_PAC_"),
                                _hex, _hex),
    P.PR_SET_TAGGED_ADDR_CTRL: (_tagged_addr, _hex, _hex, _hex),
    P.PR_SCHED_CORE: (_const("pr_sched_core", 32), _pid, _pidtype, _sched_core_cookie),
    # The selector's address last, whatever the mode.
    P.PR_SET_SYSCALL_USER_DISPATCH: (_const("pr_sys_dispatch"), _hex, _hex, _ptr),
    P.PR_SET_PTRACER: (_ptracer,),
}  # fmt: skip


def _cap_ambient(call: Call) -> list[ArgFormatter]:
    with_cap = call.ulong(1) in (1, 2, 3)  # IS_SET, RAISE, LOWER name a capability
    return [_const("pr_cap_ambient"), _CAP if with_cap else _hex, _hex, _hex]


def _mce_kill(call: Call) -> list[ArgFormatter]:
    policy = _const("pr_mce_kill_policy") if call.ulong(1) == 1 else _hex  # PR_MCE_KILL_SET
    return [_const("pr_mce_kill"), policy, _hex, _hex]


def _seccomp(call: Call) -> list[ArgFormatter]:
    mode = call.ulong(1)
    if mode == 1:  # SECCOMP_MODE_STRICT
        return [_const("seccomp_mode")]
    if mode == P.SECCOMP_MODE_FILTER:
        return [_const("seccomp_mode"), _fprog]
    return [_const("seccomp_mode"), _hex, _hex, _hex]


def _fprog(call: Call, index: int) -> str:
    from .seccomp import format_fprog  # the seccomp family's: prctl and seccomp share it

    return format_fprog(call, call.entry.get("arg2"), index)


def _set_vma(call: Call) -> list[ArgFormatter]:
    if call.ulong(1) == P.PR_SET_VMA_ANON_NAME:
        return [_const("pr_set_vma"), _ptr, _unsigned, _vma_name]
    return [_const("pr_set_vma"), _ptr, _hex, _ptr]


_BY_SUBCOMMAND: dict[int, Callable[[Call], list[ArgFormatter]]] = {
    P.PR_CAP_AMBIENT: _cap_ambient,
    P.PR_MCE_KILL: _mce_kill,
    P.PR_SET_SECCOMP: _seccomp,
    P.PR_SET_VMA: _set_vma,
}


def _formatters(call: Call) -> list[ArgFormatter]:
    option = call.ulong(0) & 0xFFFFFFFF
    chooser = _BY_SUBCOMMAND.get(option)
    if chooser is not None:
        return chooser(call)
    return list(_ARGS.get(option, (_hex, _hex, _hex, _hex)))


def _prctl(call: Call) -> list[str | None]:
    # The option is an unsigned int to strace: 0xffffffff /* PR_??? */.
    parts: list[str | None] = [format_constant(call.ulong(0) & 0xFFFFFFFF, "prctl")]
    return parts + [show(call, index) for index, show in enumerate(_formatters(call), start=1)]


def _prctl_split(call: Call) -> int:
    """An option whose argument the kernel writes is cut before that argument."""
    found = P.exit_read(call.args, 8)
    return found[0] if found is not None else len(_formatters(call)) + 1


def _known_flags(table: str) -> Callable[[int], str | None]:
    """A returned flag word's names (with the unknown rest), None when no
    flag is known (strace then shows the value alone)."""
    return lambda ret: format_flags(ret, table) if named_bits(ret, TABLES[table])[0] else None


def _spec_state(ret: int) -> str | None:
    return "PR_SPEC_NOT_AFFECTED" if ret == 0 else _known_flags("pr_spec_flags")(ret)


def _pac_keys(ret: int) -> str | None:
    return format_flags(ret, "pr_pac_enabled_keys") if ret & 0xF else None


# Options whose value strace shows in hex, explained in parentheses (never
# with -X raw; always abbreviated): option -> explanation (None: none).
_HEX_RETURNS: dict[int, Callable[[int], str | None]] = {
    P.PR_GET_SECUREBITS: lambda ret: format_flags(ret, "secbits") if ret & 0xFF else None,
    P.PR_GET_FP_MODE: _known_flags("pr_fp_mode"),
    P.PR_PAC_GET_ENABLED_KEYS: _pac_keys,
    P.PR_GET_TAGGED_ADDR_CTRL: _tagged_addr_text,
    P.PR_SVE_SET_VL: lambda ret: _vl_text(ret, "pr_sve_vl") if ret >> 16 else None,
    P.PR_SVE_GET_VL: lambda ret: _vl_text(ret, "pr_sve_vl") if ret >> 16 else None,
    P.PR_SME_SET_VL: lambda ret: _vl_text(ret, "pr_sme_vl") if ret >> 16 else None,
    P.PR_SME_GET_VL: lambda ret: _vl_text(ret, "pr_sme_vl") if ret >> 16 else None,
}
# Options whose zero is explained too.
_ZERO_EXPLAINED = frozenset({P.PR_GET_TAGGED_ADDR_CTRL})


def _abbreviated(build: Callable[[], str | None]) -> str | None:
    """An explanation of a value: abbreviated whatever -X says (strace
    builds it in its default style)."""
    style = const_style()
    set_const_style("abbrev")
    try:
        return build()
    finally:
        set_const_style(style)


def _hex_return(option: int, ret: int) -> str | None:
    explain = _HEX_RETURNS.get(option)
    if explain is None or (ret == 0 and option not in _ZERO_EXPLAINED):
        return None
    if raw_style():
        return hex0(ret)
    with_style = _abbreviated(lambda: explain(ret))
    return hex0(ret) if with_style is None else f"{hex0(ret)} ({with_style})"


def _prctl_return(call: Call) -> str | None:
    option, ret = call.ulong(0) & 0xFFFFFFFF, call.ret
    if ret is None or not call.succeeded():
        return None
    if option in _HEX_RETURNS:
        return _hex_return(option, ret)
    if option == P.PR_GET_DUMPABLE:
        return f"{ret} ({format_constant(ret, 'dumpable', 'dec')})"
    if option == P.PR_MCE_KILL_GET:
        return f"{ret} ({format_constant(ret, 'pr_mce_kill_policy', 'dec')})"
    if option == P.PR_GET_SPECULATION_CTRL and call.ulong(1) in SPEC_NAMES:
        state = _spec_state(ret)
        return hex0(ret) if state is None or raw_style() else f"{hex0(ret)} ({_abbreviated(lambda: state)})"
    return None


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"prctl": _prctl}
RETURNS: dict[str, Callable[[Call], str | None]] = {"prctl": _prctl_return}
SPLITS: dict[str, int] = {}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"prctl": _prctl_split}
