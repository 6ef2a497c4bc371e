"""ioctl: the request's argument, shown by what the request says it is.

What the argument points to comes from atrace.syscalls.ioctls (shared with
the tracer, which copies the memory): here a struct termios, termios2 or
termio, a struct winsize or an int, passed in ("in", read at entry),
written back ("out", read at exit and shown only when the call succeeded;
strace prints its address otherwise) or both ("inout").  The other
families of requests render in modules of their own (ioctl_<family>.py),
registered at the end of this one.  A few requests take a plain value,
shown as such, and a few take no argument at all (_FORMS).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from importlib import import_module
from typing import Any

from ...syscalls.abi import signed
from ...syscalls.ioctls import IOCTL_ARGS
from .. import structs
from ..call import Call, hex0, pointer
from ..flags import CONSTANTS, FlagTable, format_flags, format_table_value, number, styled
from ..quoting import as_bytes
from .common import flags_or_unknown

_TCFLSH = {0: "TCIFLUSH", 1: "TCOFLUSH", 2: "TCIOFLUSH"}
_TCXONC = {0: "TCOOFF", 1: "TCOON", 2: "TCIOFF", 3: "TCION"}
# How strace shows the third argument of the requests that take a value,
# or none: "none" no third argument at all, "dec" a decimal C int, "udec"
# a decimal unsigned long, "hex" the word in hex (0 for zero, not NULL: the
# named requests strace leaves undecoded), or a formatter of the call.
# Requests absent here and from atrace.syscalls.ioctls: an unnamed one is a
# hex word, a named one an address (strace decodes what it points to).
# Families add theirs with _register (append only).
_FORMS: dict[int, str | Callable[[Call], str]] = {
    # TIOCEXCL/NXCL/CONS/NOTTY, TIOCVHANGUP, FIONCLEX, FIOCLEX
    **dict.fromkeys((0x540C, 0x540D, 0x541D, 0x5422, 0x5437, 0x5450, 0x5451), "none"),
    0x80045705: "none",  # WDIOC_KEEPALIVE
    **dict.fromkeys((0x5204, 0x5206, 0x5207), "none"),  # RNDZAPENTCNT, RNDCLEARPOOL, RNDRESEEDCRNG
    **dict.fromkeys((0xB701, 0xB702, 0xB703), "none"),  # NS_GET_USERNS, NS_GET_PARENT, NS_GET_NSTYPE
    # TCSBRK, TCSBRKP, TIOCSCTTY, FICLONE (the source file's fd), INOTIFY_IOC_SETNEXTWD
    **dict.fromkeys((0x5409, 0x5425, 0x540E, 0x40049409, 0x40044900), "dec"),
    # Named requests strace does not decode: TIOCLINUX, TIOCGSERIAL,
    # TIOCSERCONFIG, FIOQSIZE, TIOCGPTPEER, TIOCSIG, TIOCGPKT, TIOCGPTLCK,
    # FIBMAP, FIGETBSZ, FS_IOC_GETVERSION, KCOV_INIT_TRACE.
    **dict.fromkeys(
        (0x541C, 0x541E, 0x5453, 0x5460, 0x5441, 0x40045436, 0x80045438, 0x80045439, 0x1, 0x2, 0x80087601, 0x80086301),
        "hex",
    ),
    0x540B: lambda call: styled(str(call.c_int(2)), _TCFLSH.get(call.c_int(2))),  # TCFLSH
    0x540A: lambda call: styled(str(call.c_int(2)), _TCXONC.get(call.c_int(2))),  # TCXONC
}

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
    form = _FORMS.get(request)
    if form is None:
        return hex0(call.ulong(2)) if request not in CONSTANTS["ioctl"] else None
    if callable(form):
        return form(call)
    return _VALUE_FORMS[form](call)


_VALUE_FORMS: dict[str, Callable[[Call], str]] = {
    "dec": lambda call: str(call.c_int(2)),
    "udec": lambda call: str(call.ulong(2)),
    "hex": lambda call: hex0(call.ulong(2)),
}


def _argument(call: Call, request: int) -> str:
    described = IOCTL_ARGS.get(request)
    if described is None:
        return _by_value(call, request) or pointer(call.ulong(2))
    shape, when = described
    # What the kernel writes back exists only once a call has succeeded;
    # an "inout" shape gets what went in (exit_bytes gives what came back).
    source = call.entry if when != "out" else (call.exit or {}) if call.succeeded() else {}
    data = as_bytes(source.get(call.syscall.args[2].name))
    shown = _SHAPES[shape](data, call) if data is not None else None
    return shown if shown is not None else pointer(call.ulong(2))


def _ioctl(call: Call) -> list[str | None]:
    request = call.args[1] & 0xFFFFFFFF
    parts: list[str | None] = [call.fmt(0), call.fmt(1)]
    if _FORMS.get(request) != "none":
        parts.append(_argument(call, request))
    return parts


def _ioctl_split(call: Call) -> int:
    """strace prints what the kernel writes back when the call returns."""
    described = IOCTL_ARGS.get(call.args[1] & 0xFFFFFFFF)
    return 2 if described is not None and described[1] != "in" else 3


CALLS: dict[str, Callable[[Call], list[str | None]]] = {"ioctl": _ioctl}


def _ioctl_return(call: Call) -> str | None:
    """NS_GET_NSTYPE answers a CLONE_NEW* flag."""
    if call.args[1] & 0xFFFFFFFF == 0xB703 and call.ret is not None and call.ret > 0:
        return f"{call.ret} ({format_flags(call.ret, 'clone')})"
    return None


RETURNS: dict[str, Callable[[Call], str | None]] = {"ioctl": _ioctl_return}
SPLIT_BY_CALL: dict[str, Callable[[Call], int]] = {"ioctl": _ioctl_split}
SPLITS: dict[str, int] = {}


def _register(family: str) -> None:
    """Add one family's rendering: the module atrace.render.decode.<family>
    gives SHAPES (shape -> formatter of the bytes copied), FORMS (request
    -> how its value argument shows, as in _FORMS) and, optionally, NAMES
    (requests strace names that no kernel header defines)."""
    module = import_module(f"{__package__}.{family}")
    _SHAPES.update(module.SHAPES)
    _FORMS.update(module.FORMS)
    CONSTANTS["ioctl"].update(getattr(module, "NAMES", {}))


# The families, one line each (append only).
_register("ioctl_hdio")
_register("ioctl_fs")
_register("ioctl_seccomp")
_register("ioctl_scsi")
_register("ioctl_uffdio")
_register("ioctl_sock")
_register("ioctl_dm")
