"""The ioctl families with modules of their own: the one list both sides
read.  A family `x` is atrace.syscalls.ioctl_x (what the tracer copies:
atrace.syscalls.ioctls registers every family at import) and
atrace.render.decode.ioctl_x (how it prints: atrace.render.decode.ioctl
imports it the first time a request of one of its types is printed, so a
run that prints no such request never pays for its import).

types are the _IOC type bytes (bits 8-15 of a request) of every request
the family reads, names or shows (tests/test_ioctl_families_table.py checks
that); by_bytes marks the families whose modules describe a request by
shape and size (ARGS of (shape, "in" | "out" | "inout") and SIZES) and
whose printers take the copied bytes, not the call and request.
"""

from __future__ import annotations

from typing import NamedTuple


class Family(NamedTuple):
    name: str
    types: tuple[int, ...]
    by_bytes: bool = False


FAMILIES: tuple[Family, ...] = (
    Family("evdev", (ord("E"),)),
    Family("random", (ord("R"),)),
    Family("gpio", (0xB4,)),
    Family("counter", (ord(">"),)),
    Family("lirc", (ord("i"),)),
    Family("nbd", (0xAB,)),
    Family("rtc", (ord("p"),)),
    Family("block", (0x12,)),
    Family("loop", (ord("L"),)),
    Family("ptp", (ord("="),)),
    Family("ubi", (ord("O"), ord("o"))),
    Family("perf", (ord("$"),)),
    Family("mtd", (ord("M"),)),
    Family("kvm", (0xAE,)),
    Family("hid", (ord("H"),)),
    Family("zfs", (ord("Z"), ord("K"))),
    Family("tee", (0xA4,)),
    Family("kd", (ord("K"),)),
    Family("hdio", (0x03,), by_bytes=True),
    Family("fs", (ord("X"), ord("f")), by_bytes=True),
    Family("seccomp", (ord("!"),), by_bytes=True),
    Family("scsi", (0x22,), by_bytes=True),
    Family("uffdio", (0xAA,), by_bytes=True),
    Family("sock", (0x89,), by_bytes=True),
    Family("dm", (0xFD,), by_bytes=True),
)

# A request's type byte -> the families to load before printing it, in the
# table's order (a type shared by two families loads both).
BY_TYPE: dict[int, tuple[Family, ...]] = {}
for _family in FAMILIES:
    for _kind in _family.types:
        BY_TYPE[_kind] = (*BY_TYPE.get(_kind, ()), _family)
