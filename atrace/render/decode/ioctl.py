"""ioctl: the request's argument, shown by what the request says it is.

What the argument points to comes from atrace.syscalls.ioctls (shared with
the tracer, which copies the memory): a struct termios or termio, a struct winsize or
an int, passed in ("in", read at entry) or written back ("out", read at exit
and shown only when the call succeeded; strace prints its address
otherwise).  A few requests take a plain value, shown as such, and a few
take no argument at all.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from importlib import import_module
from typing import Any

from ...syscalls.abi import signed
from ...syscalls.ioctl_families import BY_TYPE, Family
from ...syscalls.ioctls import describe
from .. import structs
from ..call import Call, hex0, pointer
from ..flags import CONSTANTS, FlagTable, format_flags, format_table_value, number, styled
from ..quoting import as_bytes
from .common import flags_or_unknown
from .ioctl_common import FAMILY_SHAPES, REQUEST_NAMERS, request_name
from .kvm_exit import kvm_exit_note

# Requests strace shows without a third argument: TIOCEXCL/NXCL/CONS/NOTTY,
# TIOCVHANGUP, FIONCLEX, FIOCLEX.
_NO_ARG = frozenset({0x540C, 0x540D, 0x541D, 0x5422, 0x5437, 0x5450, 0x5451,
                     0x80045705,  # WDIOC_KEEPALIVE
                     0x5204, 0x5206, 0x5207,  # RNDZAPENTCNT, RNDCLEARPOOL, RNDRESEEDCRNG
                     0xB701, 0xB702, 0xB703})  # NS_GET_USERNS, NS_GET_PARENT, NS_GET_NSTYPE  # fmt: skip
# Requests whose argument is a value, not an address: how to show it.
_TCFLSH = {0: "TCIFLUSH", 1: "TCOFLUSH", 2: "TCIOFLUSH"}
_TCXONC = {0: "TCOOFF", 1: "TCOON", 2: "TCIOFF", 3: "TCION"}
# Requests whose argument is a decimal int: TCSBRK, TCSBRKP, TIOCSCTTY and
# FICLONE (the source file's fd).
_DECIMAL_ARG = frozenset({0x5409, 0x5425, 0x540E, 0x40049409, 0x40044900})  # ... INOTIFY_IOC_SETNEXTWD
# Named requests strace does not decode: their argument is a plain hex word
# (TIOCLINUX, TIOCGSERIAL, TIOCSERCONFIG, FIOQSIZE, TIOCGPTPEER, TIOCSIG,
# TIOCGPKT, TIOCGPTLCK, FIBMAP, FIGETBSZ, FS_IOC_GETVERSION, KCOV_INIT_TRACE).
# Unnamed requests are shown so too; the other named ones point to a struct
# strace decodes, so their argument is an address.
_HEX_ARG = frozenset({0x541C, 0x541E, 0x5453, 0x5460, 0x5441, 0x40045436, 0x80045438, 0x80045439, 0x1, 0x2,
                      0x80087601, 0x80086301})  # fmt: skip

# -- struct termios (asm-generic/termbits.h), in strace's order ----------

_IFLAGS: FlagTable = [(0x1, "IGNBRK"), (0x2, "BRKINT"), (0x4, "IGNPAR"), (0x8, "PARMRK"), (0x10, "INPCK"),
                      (0x20, "ISTRIP"), (0x40, "INLCR"), (0x80, "IGNCR"), (0x100, "ICRNL"), (0x200, "IUCLC"),
                      (0x400, "IXON"), (0x800, "IXANY"), (0x1000, "IXOFF"), (0x2000, "IMAXBEL"),
                      (0x4000, "IUTF8")]  # fmt: skip
_OFLAGS: FlagTable = [(0x1, "OPOST"), (0x2, "OLCUC"), (0x4, "ONLCR"), (0x8, "OCRNL"), (0x10, "ONOCR"),
                      (0x20, "ONLRET"), (0x40, "OFILL"), (0x80, "OFDEL")]  # fmt: skip
# The delay fields of c_oflag (NLDLY...FFDLY): name prefix, shift, mask.
_ODELAYS = (("NL", 8, 1), ("CR", 9, 3), ("TAB", 11, 3), ("BS", 13, 1), ("VT", 14, 1), ("FF", 15, 1))
_ODELAY_BITS = 0xFF00
_CFLAGS: FlagTable = [(0x40, "CSTOPB"), (0x80, "CREAD"), (0x100, "PARENB"), (0x200, "PARODD"), (0x400, "HUPCL"),
                      (0x800, "CLOCAL"), (0x40000000, "CMSPAR"), (0x80000000, "CRTSCTS")]  # fmt: skip
_CBAUD, _CSIZE, _IBSHIFT = 0x100F, 0x30, 16
_BAUDS = {0: "B0", 1: "B50", 2: "B75", 3: "B110", 4: "B134", 5: "B150", 6: "B200", 7: "B300", 8: "B600",
          9: "B1200", 10: "B1800", 11: "B2400", 12: "B4800", 13: "B9600", 14: "B19200", 15: "B38400",
          0x1000: "BOTHER", 0x1001: "B57600", 0x1002: "B115200", 0x1003: "B230400", 0x1004: "B460800",
          0x1005: "B500000", 0x1006: "B576000", 0x1007: "B921600", 0x1008: "B1000000", 0x1009: "B1152000",
          0x100A: "B1500000", 0x100B: "B2000000", 0x100C: "B2500000", 0x100D: "B3000000",
          0x100E: "B3500000", 0x100F: "B4000000"}  # fmt: skip
# strace lists IEXTEN (0x8000) and TOSTOP (0x100) out of bit order.
_LFLAGS: FlagTable = [(0x1, "ISIG"), (0x2, "ICANON"), (0x4, "XCASE"), (0x8, "ECHO"), (0x10, "ECHOE"),
                      (0x20, "ECHOK"), (0x40, "ECHONL"), (0x80, "NOFLSH"), (0x8000, "IEXTEN"), (0x200, "ECHOCTL"),
                      (0x400, "ECHOPRT"), (0x800, "ECHOKE"), (0x1000, "FLUSHO"), (0x4000, "PENDIN"),
                      (0x100, "TOSTOP"), (0x10000, "EXTPROC")]  # fmt: skip
_LINE_DISCIPLINES = ("N_TTY", "N_SLIP", "N_MOUSE", "N_PPP", "N_STRIP", "N_AX25", "N_X25", "N_6PACK", "N_MASC",
                     "N_R3964", "N_PROFIBUS_FDL", "N_IRDA", "N_SMSBLOCK", "N_HDLC", "N_SYNC_PPP", "N_HCI",
                     "N_GIGASET_M101", "N_SLCAN", "N_PPS", "N_V253", "N_CAIF", "N_GSM0710", "N_TI_WL",
                     "N_TRACESINK", "N_TRACEROUTER", "N_NCI")  # fmt: skip
_DISCIPLINE_NAMES = dict(enumerate(_LINE_DISCIPLINES))
_CC_NAMES = ("VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART", "VSTOP", "VSUSP",
             "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2")  # fmt: skip


def _bits(value: int, table: FlagTable) -> str:
    """Flags joined by |, each in the -X style, unknown bits in hex; empty
    (not 0) when none is set (strace's termios flags, word by word)."""
    parts = []
    for bits, name in table:
        if value & bits == bits:
            parts.append(styled(number(bits), name))
            value &= ~bits
    if value:
        parts.append(hex(value))
    return "|".join(parts)


def _oflag(value: int) -> str:
    delays = []
    for prefix, shift, mask in _ODELAYS:
        field = value >> shift & mask
        # TAB3 is shown by its older name.
        delays.append(styled(number(field << shift), "XTABS" if prefix == "TAB" and field == 3 else f"{prefix}{field}"))
    return "|".join(delays) + "|" + _bits(value & ~_ODELAY_BITS, _OFLAGS)


def _baud(value: int) -> str:
    return styled(number(value), _BAUDS.get(value))


def _cflag(value: int) -> str:
    text = _baud(value & _CBAUD) + "|"
    input_baud = value >> _IBSHIFT & _CBAUD
    if input_baud:
        text += f"{_baud(input_baud)}<<IBSHIFT|"
    size = value & _CSIZE
    text += f"{styled(number(size), f'CS{5 + (size >> 4)}')}|"
    return text + _bits(value & ~(_CBAUD | _CBAUD << _IBSHIFT | _CSIZE), _CFLAGS)


def format_termios(fields: dict[str, Any], verbose: bool) -> str:
    head = (f"c_iflag={_bits(fields['c_iflag'], _IFLAGS)}, c_oflag={_oflag(fields['c_oflag'])}, "
            f"c_cflag={_cflag(fields['c_cflag'])}, c_lflag={_bits(fields['c_lflag'], _LFLAGS)}")  # fmt: skip
    if not verbose:
        return "{" + head + ", ...}"
    discipline = format_table_value(fields["c_line"], _DISCIPLINE_NAMES, "N_")
    chars = ", ".join(f"[{_CC_NAMES[i] if i < len(_CC_NAMES) else i}]={hex0(c)}" for i, c in enumerate(fields["c_cc"]))
    speeds = f", c_ispeed={fields['c_ispeed']}, c_ospeed={fields['c_ospeed']}" if "c_ispeed" in fields else ""
    return "{" + head + f", c_line={discipline}, c_cc=[{chars}]{speeds}}}"


def format_winsize(fields: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{key}={value}" for key, value in fields.items()) + "}"


def _termios(raw: bytes, call: Call) -> str | None:
    fields = structs.termios(raw)
    return None if fields is None else format_termios(fields, not call.abbreviated)


def _termios2(raw: bytes, call: Call) -> str | None:
    """struct termios2: a struct termios, then the input and output speeds."""
    fields = structs.termios(raw[:36]) if len(raw) >= 44 else None
    if fields is None:
        return None
    fields.update(zip(("c_ispeed", "c_ospeed"), struct.unpack_from("<2I", raw, 36), strict=True))
    return format_termios(fields, not call.abbreviated)


def _termio(raw: bytes, call: Call) -> str | None:
    fields = structs.termio(raw)
    return None if fields is None else format_termios(fields, not call.abbreviated)


def _winsize(raw: bytes, call: Call) -> str | None:
    fields = structs.winsize(raw)
    return None if fields is None else format_winsize(fields)


def _int(raw: bytes, call: Call) -> str | None:
    return f"[{signed(int.from_bytes(raw[:4], 'little'), 32)}]" if len(raw) >= 4 else None


def _modem(raw: bytes, call: Call) -> str | None:
    """The modem lines of TIOCMGET/TIOCMBIS/TIOCMBIC/TIOCMSET: TIOCM_* bits."""
    return f"[{flags_or_unknown(int.from_bytes(raw[:4], 'little'), 'tiocm', 'TIOCM_')}]" if len(raw) >= 4 else None


_SHAPES: dict[str, Callable[[bytes, Call], str | None]] = {
    "termios": _termios,
    "termio": _termio,
    "termios2": _termios2,
    "winsize": _winsize,
    "int": _int,
    "modem": _modem,
}


def _by_value(call: Call, request: int) -> str | None:
    """The argument of a request that takes a value, or None."""
    form = _FAMILY_FORMS.get(request)
    if form is not None:
        return form(call) if callable(form) else _VALUE_FORMS[form](call)
    value = call.c_int(2)
    if request == 0x540B:  # TCFLSH
        return _TCFLSH.get(value, str(value))
    if request == 0x540A:  # TCXONC
        return _TCXONC.get(value, str(value))
    if request in _DECIMAL_ARG:
        return str(value)
    if request in _HEX_ARG or request not in CONSTANTS["ioctl"]:
        return hex0(call.ulong(2))
    return None


def _argument(call: Call, request: int) -> str:
    described = describe(request)
    if described is None:
        return _by_value(call, request) or pointer(call.ulong(2))
    if not call.dereferenced and described.when in ("in", "out", "both"):
        return pointer(call.ulong(2))  # -e verbose=: structs as addresses
    family = FAMILY_SHAPES.get(described.shape)
    if family is not None:
        return family(call, request) or pointer(call.ulong(2))
    shape, when = described.shape, described.when
    # What the kernel writes back exists only once a call has succeeded.
    source = call.entry if when == "in" else (call.exit or {}) if call.succeeded() else {}
    data = as_bytes(source.get(call.syscall.args[2].name))
    shown = _SHAPES[shape](data, call) if data is not None else None
    return shown if shown is not None else pointer(call.ulong(2))


def _request(call: Call, request: int) -> str | None:
    """The request: by a family's name for it (from its parts, or strace's
    own rule for its type), by name, else as _IOC()."""
    named = request_name(request)
    return named if named is not None else call.fmt(1)


def _ioctl(call: Call) -> list[str | None]:
    request = call.args[1] & 0xFFFFFFFF
    _load_families(request)
    parts: list[str | None] = [call.fmt(0), _request(call, request)]
    described = describe(request)
    if (
        request not in _NO_ARG
        and _FAMILY_FORMS.get(request) != "none"
        and (described is None or described.when != "none")
    ):
        parts.append(_argument(call, request))
    return parts


def _ioctl_split(call: Call) -> int:
    """strace prints what the kernel writes back when the call returns."""
    described = describe(call.args[1] & 0xFFFFFFFF)
    return 2 if described is not None and described.when in ("out", "both") else 3


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"ioctl": _ioctl}

# -- The families' printers, imported when first needed --------------------
# A family's module (ioctl_families.FAMILIES) gives SHAPES (shape -> its
# formatter: of the call and request; of a by_bytes family, of the bytes
# copied and the call, for an "inout" shape the bytes that went in, the
# formatter finding what came back in call.exit) and may give NAME_REQUEST
# (ioctl_common), FORMS (request -> how a value argument shows: "none" no
# third argument, "dec"/"udec" decimal int/unsigned long, "hex" a hex word
# (0, not NULL: named requests strace leaves undecoded), or a formatter of
# the call) and NAMES (requests strace names that no kernel header defines).
_FAMILY_FORMS: dict[int, str | Callable[[Call], str]] = {}
_VALUE_FORMS: dict[str, Callable[[Call], str]] = {
    "dec": lambda call: str(call.c_int(2)),
    "udec": lambda call: str(call.ulong(2)),
    "hex": lambda call: hex0(call.ulong(2)),
}
_LOADED: set[str] = set()


def _from_bytes(shape: Callable[[bytes, Call], str | None]) -> Callable[[Call, int], str | None]:
    def show(call: Call, request: int) -> str | None:
        described = describe(request)
        when = described.when if described is not None else "in"
        source = call.entry if when != "out" else (call.exit or {}) if call.succeeded() else {}
        data = as_bytes(source.get(call.syscall.args[2].name))
        return shape(data, call) if data is not None else None

    return show


def _load(family: Family) -> None:
    module = import_module(f"{__package__}.ioctl_{family.name}")
    shapes = module.SHAPES
    FAMILY_SHAPES.update({name: _from_bytes(shape) for name, shape in shapes.items()} if family.by_bytes else shapes)
    namer = getattr(module, "NAME_REQUEST", None)
    if namer is not None:
        REQUEST_NAMERS.append(namer)
    _FAMILY_FORMS.update(getattr(module, "FORMS", {}))
    CONSTANTS["ioctl"].update(getattr(module, "NAMES", {}))


def _load_families(request: int) -> None:
    """Import the printers of the families of the request's type, the first
    time one of that type is printed (start-up imports none of them)."""
    for family in BY_TYPE.get(request >> 8 & 0xFF, ()):
        if family.name not in _LOADED:
            _LOADED.add(family.name)
            _load(family)


def _ioctl_return(call: Call) -> str | None:
    """NS_GET_NSTYPE answers a CLONE_NEW* flag; -e kvm=vcpu: KVM_RUN's exit reason."""
    if "kvm_exit" in (call.exit or {}):
        return kvm_exit_note(call)
    if call.args[1] & 0xFFFFFFFF == 0xB703 and call.ret is not None and call.ret > 0:
        return f"{call.ret} ({format_flags(call.ret, 'clone')})"
    return None


RETURNS: dict[str, Callable[[Call], str | None]] = {"ioctl": _ioctl_return}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"ioctl": _ioctl_split}
SPLITS: dict[str, int] = {}
