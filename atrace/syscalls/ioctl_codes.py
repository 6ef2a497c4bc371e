"""The parts of an ioctl request number, and how a family module describes
what a request's argument points to (atrace.syscalls.ioctls gathers them).

A request is _IOC(dir, type, nr, size) (asm-generic/ioctl.h): nr in bits
0-7, type in 8-15, size in 16-29, direction in 30-31 (x86 and i386 agree).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

IOC_NONE, IOC_WRITE, IOC_READ = 0, 1, 2
SIZE_SHIFT, SIZE_MASK = 16, 0x3FFF
# A request with its size field cleared: the key of the requests whose size
# the caller chooses (EVIOCGNAME(len)).
WITHOUT_SIZE = ~(SIZE_MASK << SIZE_SHIFT) & 0xFFFFFFFF


def ioc(direction: int, kind: int, nr: int, size: int) -> int:
    return direction << 30 | size << SIZE_SHIFT | kind << 8 | nr


def ioc_size(request: int) -> int:
    return request >> SIZE_SHIFT & SIZE_MASK


def ioc_nr(request: int) -> int:
    return request & 0xFF


class IoctlArg(NamedTuple):
    """What a request's third argument is, for the tracer and the renderer.

    shape: the renderer's name for it (its family module formats it).
    when: "in" (read at entry), "out" (read at exit, once the call
    succeeded), "both" (read at entry and at exit), "value" (the argument
    itself, nothing read), "none" (no argument: none is shown), "fd" (the
    argument is an fd: -y reads its path).
    size: bytes read; with sized_by, the most read.
    sized_by: "" (size bytes), "request" (the request's own size field,
    at most size), "ret" (the return value's count of bytes, at most size).
    then_at, then_size: a pointer at that offset of the struct (x86_64's
    8 bytes) to then_size bytes, copied too and put after the struct.
    then_len_at: with then_size, the offset of the struct's u64 count of the
    bytes its pointer points to (TEE's buf_len): that many are copied, none
    when it is 0 or more than then_size.
    follow: for a struct whose pointer's target size its other fields give
    (a count of entries, a font's size), the address and size to copy from
    the struct's bytes (None: nothing); what could be read is put after the
    struct.
    """

    shape: str
    when: str
    size: int = 0
    sized_by: str = ""
    then_at: int = 0
    then_size: int = 0
    then_len_at: int = -1
    follow: Callable[[bytes], tuple[int, int] | None] | None = None


def value(shape: str) -> IoctlArg:
    return IoctlArg(shape, "value")


def bytes_to_read(arg: IoctlArg, request: int, ret: int | None) -> int:
    """How many bytes of the argument the tracer copies."""
    if arg.sized_by == "request":
        return min(ioc_size(request), arg.size)
    if arg.sized_by == "ret":
        return min(ret, arg.size) if ret is not None and ret > 0 else 0
    return arg.size
