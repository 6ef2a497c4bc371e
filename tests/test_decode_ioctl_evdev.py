"""Input devices' ioctls (linux/input.h): the memory is put in a real
process and copied by the tracer's own plan, then rendered (expected lines
from strace 6.1's ioctl_evdev tests and its documented output)."""

from __future__ import annotations

import struct
from typing import Any

from decoding_support import TraceeMemory, _text, compact, plan, run

from atrace.syscalls import ARCH_X86_64, ioctls
from atrace.syscalls.ioctl_codes import IOC_READ, IOC_WRITE, ioc

EBADF = -9
E = ord("E")
EVIOCGID, EVIOCGVERSION, EVIOCSREP, EVIOCSKEYCODE = 0x80084502, 0x80044501, 0x40084503, 0x40084504
EVIOCSKEYCODE_V2, EVIOCSFF, EVIOCRMFF, EVIOCGRAB = 0x40284504, 0x40304580, 0x40044581, 0x40044590


def evioc_gbit(ev: int, size: int) -> int:
    return ioc(IOC_READ, E, 0x20 + ev, size)


def evioc_gabs(code: int, size: int = 24) -> int:
    return ioc(IOC_READ, E, 0x40 + code, size)


def ioctl(memory: TraceeMemory, request: int, arg: int, ret: int, **options: Any) -> str:
    """The ioctl on fd -1 as the tracer copies it and the renderer prints it."""
    args = [0xFFFFFFFF, request, arg]
    entry, exit_ = run(plan("ioctl", memory, limit=options.get("string_limit", 32)), args, ret)
    return compact(_text("ioctl", args, ret, entry, exit_, ARCH_X86_64, {"string_limit": 32, **options}))


def test_requests_named_with_their_size_or_code() -> None:
    memory = TraceeMemory({})
    assert ioctl(memory, ioc(IOC_READ, E, 0x06, 0), 0, EBADF) == (
        "ioctl(-1, EVIOCGNAME(0), NULL) = -1 EBADF (Bad file descriptor)"
    )
    assert ioctl(memory, ioc(IOC_READ, E, 0x0A, 8), 0, EBADF).startswith("ioctl(-1, EVIOCGMTSLOTS(8), NULL)")
    assert ioctl(memory, evioc_gabs(0x3D), 0, EBADF).startswith("ioctl(-1, EVIOCGABS(ABS_MT_TOOL_Y), NULL)")
    assert ioctl(memory, ioc(IOC_WRITE, E, 0xC0 + 0xE, 24), 0, EBADF).startswith(
        "ioctl(-1, EVIOCSABS(0xe /* ABS_??? */), NULL)"
    )
    assert ioctl(memory, evioc_gbit(0, 0), 0, EBADF).startswith("ioctl(-1, EVIOCGBIT(0, 0), NULL)")
    assert ioctl(memory, evioc_gbit(1, 1), 0, EBADF).startswith("ioctl(-1, EVIOCGBIT(EV_KEY, 1), NULL)")
    # -X verbose: the number, then the name without the unknown code's comment.
    assert ioctl(memory, evioc_gbit(0x1F, 42), 0, EBADF, const_style="verbose").startswith(
        "ioctl(-1, 0x802a453f /* EVIOCGBIT(0x1f, 42) */, NULL)"
    )
    assert ioctl(memory, evioc_gbit(0x1F, 42), 0, EBADF, const_style="raw").startswith("ioctl(-1, 0x802a453f, NULL)")


def test_values_passed_in() -> None:
    pair, keycode = struct.pack("<2I", 0xDEADBEEF, 0xBADC0DED), struct.pack("<2I", 0xDEADBEEF, 1)
    memory = TraceeMemory({0x1000: keycode, 0x2000: pair})
    assert ioctl(memory, EVIOCSKEYCODE, 0x1000, EBADF).startswith("ioctl(-1, EVIOCSKEYCODE, [3735928559, KEY_ESC])")
    assert ioctl(memory, EVIOCSREP, 0x2000, EBADF).startswith("ioctl(-1, EVIOCSREP, [3735928559, 3134983661])")
    assert ioctl(memory, EVIOCRMFF, 0xDEADBEEFBADC0DED, EBADF).startswith("ioctl(-1, EVIOCRMFF, -1159983635)")
    assert ioctl(memory, EVIOCGRAB, 0xDEADBEEFBADC0DED, EBADF).startswith(
        "ioctl(-1, EVIOCGRAB, 16045690984232390125)"
    )


def test_keymap_entry_and_force_feedback_by_verbosity() -> None:
    ike = struct.pack("<BBHI", 0x80, 0x81, 0x8382, 2) + bytes(range(32))
    ffe = struct.pack("<Hh6H", 0x52, -7, 3, 1, 2, 3, 4, 0) + struct.pack("<h4H", -5, 10, 11, 12, 0xD) + bytes(22)
    memory = TraceeMemory({0x1000: ike, 0x2000: ffe})
    assert ioctl(memory, EVIOCSKEYCODE_V2, 0x1000, EBADF).startswith(
        "ioctl(-1, EVIOCSKEYCODE_V2, {flags=128, len=129, ...})"
    )
    scancode = ", ".join(["0", *(hex(i) for i in range(1, 32))])
    assert ioctl(memory, EVIOCSKEYCODE_V2, 0x1000, EBADF, verbose=True).startswith(
        f"ioctl(-1, EVIOCSKEYCODE_V2, {{flags=128, len=129, index=33666, keycode=KEY_1, scancode=[{scancode}]}})"
    )
    assert ioctl(memory, EVIOCSFF, 0x2000, EBADF).startswith(
        "ioctl(-1, EVIOCSFF, {type=FF_CONSTANT, id=-7, direction=3, ...})"
    )
    assert ioctl(memory, EVIOCSFF, 0x2000, EBADF, verbose=True).startswith(
        "ioctl(-1, EVIOCSFF, {type=FF_CONSTANT, id=-7, direction=3, trigger={button=1, interval=2}, "
        "replay={length=3, delay=4}, constant={level=-5, envelope={attack_length=10, attack_level=11, "
        "fade_length=12, fade_level=0xd}}})"
    )


def test_answers_read_at_exit_only_when_the_call_succeeded() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<4H", 1, 2, 3, 4), 0x2000: struct.pack("<I", 0x10001)})
    assert ioctl(memory, EVIOCGID, 0x1000, 0) == "ioctl(-1, EVIOCGID, {bustype=1, vendor=2, product=3, version=4}) = 0"
    assert ioctl(memory, EVIOCGID, 0x1000, EBADF) == "ioctl(-1, EVIOCGID, 0x1000) = -1 EBADF (Bad file descriptor)"
    assert ioctl(memory, EVIOCGVERSION, 0x2000, 0) == "ioctl(-1, EVIOCGVERSION, [0x10001]) = 0"
    name = ioc(IOC_READ, E, 0x06, 64)
    memory = TraceeMemory({0x3000: b"AT Translated Set 2 keyboard\0" + bytes(35)})
    assert ioctl(memory, name, 0x3000, 29) == 'ioctl(-1, EVIOCGNAME(64), "AT Translated Set 2 keyboard\\0") = 29'
    assert ioctl(memory, name, 0x3000, 29, string_limit=5) == 'ioctl(-1, EVIOCGNAME(64), "AT Tr"...) = 29'


def test_absinfo_by_the_size_the_request_says() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<6I", 1, 2, 3, 4, 5, 6) + bytes(8)})
    assert ioctl(memory, evioc_gabs(1, 19), 0x1000, 0) == "ioctl(-1, EVIOCGABS(ABS_Y), 0x1000) = 0"
    assert ioctl(memory, evioc_gabs(1, 24), 0x1000, 0) == "ioctl(-1, EVIOCGABS(ABS_Y), {value=1, minimum=2, ...}) = 0"
    assert ioctl(memory, evioc_gabs(1, 20), 0x1000, 0, verbose=True) == (
        "ioctl(-1, EVIOCGABS(ABS_Y), {value=1, minimum=2, maximum=3, fuzz=4, flat=5}) = 0"
    )
    assert ioctl(memory, evioc_gabs(1, 32), 0x1000, 0, verbose=True) == (
        "ioctl(-1, EVIOCGABS(ABS_Y), {value=1, minimum=2, maximum=3, fuzz=4, flat=5, resolution=6, ...}) = 0"
    )
    # The copy is as long as the request says, at most the struct's 24 bytes.
    assert ioctls.read_size(evioc_gabs(1, 21), "out", 0) == 21
    assert ioctls.read_size(evioc_gabs(1, 0x3FFF), "out", 0) == 24


def test_bit_sets_as_many_bits_as_returned() -> None:
    ev = 1 << 3 | 1 << 4 | 1 << 0x11 | 1 << 0x12 | 1 << 0x16
    memory = TraceeMemory({0x1000: struct.pack("<4Q", ev, 0, 0, 0)})
    assert ioctl(memory, evioc_gbit(0, 0), 0x1000, 2) == "ioctl(-1, EVIOCGBIT(0, 0), [EV_ABS EV_MSC]) = 2"
    assert ioctl(memory, evioc_gbit(0, 0), 0x1000, 8) == (
        "ioctl(-1, EVIOCGBIT(0, 0), [EV_ABS EV_MSC EV_LED EV_SND ...]) = 8"
    )
    assert ioctl(memory, evioc_gbit(0, 0), 0x1000, 8, verbose=True) == (
        "ioctl(-1, EVIOCGBIT(0, 0), [EV_ABS EV_MSC EV_LED EV_SND EV_PWR]) = 8"
    )
    assert ioctl(memory, evioc_gbit(0, 0), 0x1000, 8, const_style="raw") == "ioctl(-1, 0x80004520, [0x460018]) = 8"
    assert ioctl(memory, evioc_gbit(0, 0), 0x1000, 2, const_style="verbose") == (
        "ioctl(-1, 0x80004520 /* EVIOCGBIT(0, 0) */, [0x3 /* EV_ABS */ 0x4 /* EV_MSC */] /* [0x460018] */) = 2"
    )
    assert ioctl(memory, evioc_gbit(0, 0), 0x1000, 0) == "ioctl(-1, EVIOCGBIT(0, 0), 0x1000) = 0"
    mtslots = TraceeMemory({0x2000: struct.pack("<3i", 0x2F, 1, 3)})
    assert ioctl(mtslots, ioc(IOC_READ, E, 0x0A, 12), 0x2000, 0) == (
        "ioctl(-1, EVIOCGMTSLOTS(12), {code=ABS_MT_SLOT, values=[1, 3]}) = 0"
    )
