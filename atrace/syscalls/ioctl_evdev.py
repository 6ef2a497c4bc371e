"""Input devices' ioctls (linux/input.h, type 'E'): what each request's
argument points to, as data for the tracer and the renderer
(atrace.render.decode.ioctl_evdev formats them).

The EVIOCG* requests answer at exit; the EVIOCS* ones pass their struct in.
Several take a size or a code in the request itself: EVIOCGNAME(len),
EVIOCGKEY(len)..., EVIOCGABS(abs) and EVIOCGBIT(ev, len).
"""

from __future__ import annotations

from .ioctl_codes import IOC_READ, IOC_WRITE, WITHOUT_SIZE, IoctlArg, ioc, value

_E = ord("E")

# The largest code of each bit set (linux/input-event-codes.h) and the
# bytes strace reads of such a set at most: whole longs holding max + 1 bits.
BITSET_MAX = {"ev": 0x1F, "key": 0x2FF, "rel": 0x0F, "abs": 0x3F, "msc": 0x07, "sw": 0x10, "led": 0x0F,
              "snd": 0x07, "rep": 0x01, "ff": 0x7F, "ff_status": 0x01, "prop": 0x1F}  # fmt: skip


def bitset_bytes(table: str) -> int:
    return (BITSET_MAX[table] // 8 + 1 + 7) // 8 * 8


# EVIOCGBIT(ev, len): the set of codes of event type ev (0: the types).
BIT_TABLES = {0x00: "ev", 0x01: "key", 0x02: "rel", 0x03: "abs", 0x04: "msc", 0x05: "sw", 0x11: "led",
              0x12: "snd", 0x14: "rep", 0x15: "ff", 0x17: "ff_status"}  # fmt: skip
EV_PWR = 0x16
# The requests that answer one bit set whatever their length: nr -> table.
SIZED_BITSETS = {0x09: "prop", 0x18: "key", 0x19: "led", 0x1A: "snd", 0x1B: "sw"}
NAME_NRS = {0x06: "EVIOCGNAME", 0x07: "EVIOCGPHYS", 0x08: "EVIOCGUNIQ"}
MTSLOTS_NR = 0x0A
ABS_READ_NR, ABS_WRITE_NR, BIT_NR = 0x40, 0xC0, 0x20
ABSINFO_SIZE = 24  # struct input_absinfo: six s32
STRING_CAP = 4096  # the most of a name read; -s cuts what is shown

EVIOCSFF = 0x40304580  # struct ff_effect as x86_64 lays it out (48 bytes)

ARGS: dict[int, IoctlArg] = {
    0x80044501: IoctlArg("evdev_version", "out", 4),  # EVIOCGVERSION
    0x80044584: IoctlArg("evdev_uint", "out", 4),  # EVIOCGEFFECTS
    0x80084502: IoctlArg("evdev_id", "out", 8),  # EVIOCGID
    0x80084503: IoctlArg("evdev_pair", "out", 8),  # EVIOCGREP
    0x40084503: IoctlArg("evdev_pair", "in", 8),  # EVIOCSREP
    0x80084504: IoctlArg("evdev_keycode", "out", 8),  # EVIOCGKEYCODE
    0x40084504: IoctlArg("evdev_keycode", "in", 8),  # EVIOCSKEYCODE
    0x80284504: IoctlArg("evdev_keymap", "out", 40),  # EVIOCGKEYCODE_V2
    0x40284504: IoctlArg("evdev_keymap", "in", 40),  # EVIOCSKEYCODE_V2
    0x400445A0: IoctlArg("evdev_uint", "in", 4),  # EVIOCSCLOCKID
    EVIOCSFF: IoctlArg("evdev_ff", "in", 48),
    0x40044581: value("evdev_int_value"),  # EVIOCRMFF
    0x40044590: value("evdev_ulong_value"),  # EVIOCGRAB
    0x40044591: value("evdev_ulong_value"),  # EVIOCREVOKE
}

# Requests whose size field the caller sets, by the request without it.
SIZED: dict[int, IoctlArg] = {
    **{ioc(IOC_READ, _E, nr, 0): IoctlArg("evdev_string", "out", STRING_CAP, "ret") for nr in NAME_NRS},
    ioc(IOC_READ, _E, MTSLOTS_NR, 0): IoctlArg("evdev_mtslots", "out", 4096, "request"),
    **{ioc(IOC_READ, _E, nr, 0): IoctlArg("evdev_bitset", "out", bitset_bytes(table))
       for nr, table in SIZED_BITSETS.items()},
    **{ioc(IOC_READ, _E, ABS_READ_NR + code, 0): IoctlArg("evdev_absinfo", "out", ABSINFO_SIZE, "request")
       for code in range(0x40)},
    **{ioc(IOC_WRITE, _E, ABS_WRITE_NR + code, 0): IoctlArg("evdev_absinfo", "in", ABSINFO_SIZE, "request")
       for code in range(0x40)},
    **{ioc(IOC_READ, _E, BIT_NR + ev, 0): IoctlArg("evdev_bitset", "out", bitset_bytes(table))
       for ev, table in BIT_TABLES.items()},
    ioc(IOC_READ, _E, BIT_NR + EV_PWR, 0): IoctlArg("evdev_int", "out", 4),
    # The other event types have no codes strace decodes: their address.
    **{ioc(IOC_READ, _E, BIT_NR + ev, 0): value("evdev_address")
       for ev in range(0x20) if ev not in BIT_TABLES and ev != EV_PWR},
}  # fmt: skip

assert all(request & WITHOUT_SIZE == request for request in SIZED)
