"""HID devices' requests that carry their buffer's size in their number,
named as strace names them: `HIDIOCGRAWNAME(64)` (nothing is decoded: the
argument shows as an address)."""

from __future__ import annotations

from ...syscalls.ioctl_codes import IOC_READ, IOC_WRITE, ioc_nr, ioc_size
from .ioctl_common import ShapeFormatter

_H = ord("H")
# (direction, nr) -> name.  strace 6.1 calls the _IOC_READ request of
# number 6 HIDIOCSFEATURE, not hiddev's HIDIOCGNAME: atrace follows it.
_SIZED: dict[tuple[int, int], str] = {
    (IOC_READ, 0x04): "HIDIOCGRAWNAME",
    (IOC_READ, 0x05): "HIDIOCGRAWPHYS",
    (IOC_READ, 0x06): "HIDIOCSFEATURE",
    (IOC_READ, 0x08): "HIDIOCGRAWUNIQ",
    (IOC_READ, 0x12): "HIDIOCGPHYS",
    (IOC_READ | IOC_WRITE, 0x06): "HIDIOCSFEATURE",
    (IOC_READ | IOC_WRITE, 0x07): "HIDIOCGFEATURE",
}


def name_request(request: int, comments: bool) -> str | None:
    if request >> 8 & 0xFF != _H:
        return None
    name = _SIZED.get((request >> 30, ioc_nr(request)))
    return None if name is None else f"{name}({ioc_size(request)})"


SHAPES: dict[str, ShapeFormatter] = {}
NAME_REQUEST = name_request
