"""What an ioctl's third argument points to, by request.

The tracer reads these (atrace.tracer.decoding) and the renderer shows them
(atrace.render.decode.ioctl).  A request maps to the shape of the memory its
argument points to and to when that memory is meaningful: "in" for what the
program passes (read at syscall entry), "out" for what the kernel writes
back (read at exit, when the call succeeded).  Requests not listed read
nothing: their argument is a plain value, or nothing strace decodes.
Values from the kernel's asm-generic/ioctls.h (x86_64 and i386 agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from .ioctl_codes import WITHOUT_SIZE, IoctlArg, bytes_to_read
from .ioctl_families import FAMILIES, Family

TCGETS, TCSETS, TCSETSW, TCSETSF = 0x5401, 0x5402, 0x5403, 0x5404
TIOCGWINSZ, TIOCSWINSZ = 0x5413, 0x5414
# The old System V requests, with a struct termio.
TCGETA, TCSETA, TCSETAW, TCSETAF = 0x5405, 0x5406, 0x5407, 0x5408

# Bytes of each shape: struct termios (4 flag words, c_line, 19 c_cc),
# struct termio (4 unsigned short flag words, c_line, 8 c_cc, padded to 18),
# struct winsize (4 unsigned shorts) and int have no pointer or long, so
# they are the same on every personality.
SHAPE_SIZES: dict[str, int] = {"termios": 36, "termio": 18, "winsize": 8, "int": 4, "modem": 4}

IOCTL_ARGS: dict[int, tuple[str, str]] = {
    TCGETS: ("termios", "out"),
    TCSETS: ("termios", "in"),
    TCSETSW: ("termios", "in"),
    TCSETSF: ("termios", "in"),
    TCGETA: ("termio", "out"),
    TCSETA: ("termio", "in"),
    TCSETAW: ("termio", "in"),
    TCSETAF: ("termio", "in"),
    TIOCGWINSZ: ("winsize", "out"),
    TIOCSWINSZ: ("winsize", "in"),
    0x540F: ("int", "out"),  # TIOCGPGRP
    0x5410: ("int", "in"),  # TIOCSPGRP
    0x5411: ("int", "out"),  # TIOCOUTQ
    0x5415: ("modem", "out"),  # TIOCMGET: an int of TIOCM_* bits
    0x5416: ("modem", "in"),  # TIOCMBIS
    0x5417: ("modem", "in"),  # TIOCMBIC
    0x5418: ("modem", "in"),  # TIOCMSET
    0x541B: ("int", "out"),  # FIONREAD
    0x5420: ("int", "in"),  # TIOCPKT
    0x5421: ("int", "in"),  # FIONBIO
    0x5423: ("int", "in"),  # TIOCSETD
    0x5424: ("int", "out"),  # TIOCGETD
    0x5429: ("int", "out"),  # TIOCGSID
    0x5452: ("int", "in"),  # FIOASYNC
    0x80045430: ("int", "out"),  # TIOCGPTN
    0x40045431: ("int", "in"),  # TIOCSPTLCK
    # linux/watchdog.h: the GET requests answer an int, the SET ones pass one.
    0x80045701: ("int", "out"),
    0x80045702: ("int", "out"),
    0x80045703: ("int", "out"),  # GETSTATUS...GETTEMP
    0xC0045706: ("int", "in"),
    0x80045707: ("int", "out"),  # SETTIMEOUT, GETTIMEOUT
    0xC0045708: ("int", "in"),
    0x80045709: ("int", "out"),
    0x8004570A: ("int", "out"),  # SETPRETIMEOUT...
    # linux/random.h
    0x80045200: ("int", "out"),
    0x40045201: ("int", "in"),  # RNDGETENTCNT, RNDADDTOENTCNT
    # linux/nsfs.h: NS_GET_OWNER_UID writes a uid_t.
    0xB704: ("int", "out"),
}


# -- Families described by modules of their own (ioctl_families.FAMILIES) ---
# Each ioctl_<family>.py has ARGS (request -> IoctlArg) and may have SIZED
# (requests whose size field the caller sets, keyed without it) and
# RETURNS_FD; a by_bytes family's ARGS map a request to (shape, "in" | "out"
# | "inout") and its SIZES a shape to the most bytes copied.  Either may have
# FD_FIELDS (-y: the offset of an fd inside the struct), PID_FIELDS
# (--pidns-translation: the offset of a tgid) and INDIRECT (a buffer the
# struct points to, read at exit and appended to the struct's bytes);
# tracer/decoding.py reads those.  register() merges them all here.
FAMILY_ARGS: dict[int, IoctlArg] = {}
SIZED_ARGS: dict[int, IoctlArg] = {}
# Requests that return an fd (-y shows its path): a family's RETURNS_FD.
RETURNS_FD: set[int] = set()
FD_FIELDS: dict[int, int] = {}
PID_FIELDS: dict[int, int] = {}


def describe(request: int) -> IoctlArg | None:
    """What the request's argument is, None when nothing decodes it."""
    fixed = IOCTL_ARGS.get(request)
    if fixed is not None:
        return IoctlArg(fixed[0], fixed[1], SHAPE_SIZES[fixed[0]])
    found = FAMILY_ARGS.get(request)
    return found if found is not None else SIZED_ARGS.get(request & WITHOUT_SIZE)


def pointed_to(request: int, raw: bytes | None) -> tuple[int, int] | None:
    """The address and size of the struct a pointer in the copied argument
    points to, for the requests whose struct holds one; None otherwise."""
    arg = describe(request)
    if arg is not None and arg.follow is not None:
        return arg.follow(raw) if raw is not None and len(raw) >= arg.size else None
    if arg is None or not arg.then_size or raw is None or len(raw) < max(arg.then_at, arg.then_len_at) + 8:
        return None
    address = int.from_bytes(raw[arg.then_at : arg.then_at + 8], "little")
    size = arg.then_size
    if arg.then_len_at >= 0:
        size = int.from_bytes(raw[arg.then_len_at : arg.then_len_at + 8], "little")
        if not 0 < size <= arg.then_size:
            return None
    return (address, size) if address else None


def returns_fd(request: int) -> bool:
    return request in RETURNS_FD


def takes_fd(request: int) -> bool:
    """The request's argument is an fd (NBD_SET_SOCK): -y shows its path."""
    arg = describe(request)
    return arg is not None and arg.when == "fd"


def read_size(request: int, phase: str, ret: int | None = None) -> int:
    """Bytes of the argument the tracer copies at entry ("in") or exit ("out")."""
    arg = describe(request)
    if arg is None or arg.when not in (phase, "both"):
        return 0
    return bytes_to_read(arg, request, ret)


# The terminal requests of the base table that ioctlb added: struct termios2
# (a struct termios, then u32 c_ispeed, c_ospeed) and the locked termios.
SHAPE_SIZES["termios2"] = 44
IOCTL_ARGS.update({
    0x802C542A: ("termios2", "out"),  # TCGETS2
    0x402C542B: ("termios2", "in"),  # TCSETS2
    0x402C542C: ("termios2", "in"),  # TCSETSW2
    0x402C542D: ("termios2", "in"),  # TCSETSF2
    0x5456: ("termios", "out"),  # TIOCGLCKTRMIOS
    0x5457: ("termios", "in"),  # TIOCSLCKTRMIOS
})  # fmt: skip


@dataclass(frozen=True)
class Indirect:
    """A struct that points to a buffer the kernel fills (read at exit and
    appended to the struct's bytes, which are the shape's size): the offset
    of its int length, of its pointer (x86_64, then i386 and x32), and the
    most bytes copied."""

    length: int
    pointer: tuple[int, int]
    cap: int


INDIRECT: dict[int, Indirect] = {}


def register(family: Family) -> None:
    """Add one family's requests (its atrace.syscalls.ioctl_<name>, data only)."""
    module = import_module(f"{__package__}.ioctl_{family.name}")
    if not family.by_bytes:
        FAMILY_ARGS.update(module.ARGS)
        SIZED_ARGS.update(getattr(module, "SIZED", {}))
        RETURNS_FD.update(getattr(module, "RETURNS_FD", ()))
    else:
        for request, (shape, when) in module.ARGS.items():
            if shape in SHAPE_SIZES:  # a shape of the base table (an int)
                IOCTL_ARGS[request] = (shape, when)
            else:
                FAMILY_ARGS[request] = IoctlArg(shape, "both" if when == "inout" else when, module.SIZES[shape])
    FD_FIELDS.update(getattr(module, "FD_FIELDS", {}))
    PID_FIELDS.update(getattr(module, "PID_FIELDS", {}))
    INDIRECT.update(getattr(module, "INDIRECT", {}))


for _family in FAMILIES:
    register(_family)
