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

TCGETS, TCSETS, TCSETSW, TCSETSF = 0x5401, 0x5402, 0x5403, 0x5404
TIOCGWINSZ, TIOCSWINSZ = 0x5413, 0x5414
# The old System V requests, with a struct termio.
TCGETA, TCSETA, TCSETAW, TCSETAF = 0x5405, 0x5406, 0x5407, 0x5408

# Bytes of each shape: struct termios (4 flag words, c_line, 19 c_cc),
# struct termio (4 unsigned short flag words, c_line, 8 c_cc, padded to 18),
# struct winsize (4 unsigned shorts) and int have no pointer or long, so
# they are the same on every personality.
SHAPE_SIZES: dict[str, int] = {"termios": 36, "termio": 18, "winsize": 8, "int": 4, "modem": 4,
                               "termios2": 44}  # struct termios then u32 c_ispeed, c_ospeed  # fmt: skip

IOCTL_ARGS: dict[int, tuple[str, str]] = {
    TCGETS: ("termios", "out"),
    TCSETS: ("termios", "in"),
    TCSETSW: ("termios", "in"),
    TCSETSF: ("termios", "in"),
    TCGETA: ("termio", "out"),
    TCSETA: ("termio", "in"),
    TCSETAW: ("termio", "in"),
    TCSETAF: ("termio", "in"),
    0x802C542A: ("termios2", "out"),  # TCGETS2
    0x402C542B: ("termios2", "in"),  # TCSETS2
    0x402C542C: ("termios2", "in"),  # TCSETSW2
    0x402C542D: ("termios2", "in"),  # TCSETSF2
    0x5456: ("termios", "out"),  # TIOCGLCKTRMIOS
    0x5457: ("termios", "in"),  # TIOCSLCKTRMIOS
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


def arg_sizes(when: str) -> dict[int, int]:
    """Bytes to copy per request, for the requests read at "in" or "out"
    ("inout" ones are read at both: strace shows what went in, then what
    came back)."""
    return {request: SHAPE_SIZES[shape] for request, (shape, at) in IOCTL_ARGS.items() if at in (when, "inout")}


# -y: requests whose struct holds an fd, by the fd's offset; the tracer
# reads the path behind it (families add theirs as FD_FIELDS).
FD_FIELDS: dict[int, int] = {}
# --pidns-translation: requests whose struct holds a tgid, by its offset.
PID_FIELDS: dict[int, int] = {}


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


def register(family: str) -> None:
    """Add one family's requests: the module atrace.syscalls.<family>, data
    only, gives ARGS (request -> shape, when) and SIZES (shape -> bytes).

    A size is the most the tracer copies: a read that faults midway keeps
    what it got, and the renderer decides whether that is enough to show."""
    module = import_module(f"{__package__}.{family}")
    IOCTL_ARGS.update(module.ARGS)
    SHAPE_SIZES.update(module.SIZES)
    FD_FIELDS.update(getattr(module, "FD_FIELDS", {}))
    PID_FIELDS.update(getattr(module, "PID_FIELDS", {}))
    INDIRECT.update(getattr(module, "INDIRECT", {}))


# The families, one line each (append only).
register("ioctl_hdio")
register("ioctl_fs")
register("ioctl_seccomp")
register("ioctl_scsi")
register("ioctl_uffdio")
register("ioctl_sock")
register("ioctl_dm")
