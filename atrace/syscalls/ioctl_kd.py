"""The console and keyboard ioctls (linux/kd.h, type 'K'): what each
request's argument is.  Their numbers carry no size: the structs' sizes
come from the header's structs (none holds a pointer-sized field but
KDFONTOP's and the font and unimap descriptions, given per x86_64)."""

from __future__ import annotations

from .ioctl_codes import IoctlArg, value

KIOCSOUND, KDMKTONE, KDGETLED, KDSETLED, KDGKBTYPE = 0x4B2F, 0x4B30, 0x4B31, 0x4B32, 0x4B33
KDADDIO, KDDELIO, KDENABIO, KDDISABIO = 0x4B34, 0x4B35, 0x4B36, 0x4B37
KDSETMODE, KDGETMODE, KDMAPDISP, KDUNMAPDISP = 0x4B3A, 0x4B3B, 0x4B3C, 0x4B3D
KDGKBMODE, KDSKBMODE, KDGKBMETA, KDSKBMETA, KDGKBLED, KDSKBLED = 0x4B44, 0x4B45, 0x4B62, 0x4B63, 0x4B64, 0x4B65
KDSIGACCEPT, PIO_FONTRESET = 0x4B4E, 0x4B6D
GIO_SCRNMAP, PIO_SCRNMAP, GIO_UNISCRNMAP, PIO_UNISCRNMAP = 0x4B40, 0x4B41, 0x4B69, 0x4B6A
GIO_FONT, PIO_FONT, GIO_CMAP, PIO_CMAP = 0x4B60, 0x4B61, 0x4B70, 0x4B71
KDGETKEYCODE, KDSETKEYCODE, KDKBDREP = 0x4B4C, 0x4B4D, 0x4B52
# The tables' sizes: E_TABSZ chars (or unsigned shorts), 256 glyphs of 32
# bytes, 16 colours of 3 bytes.
SCRNMAP, FONT, CMAP = 256, 256 * 32, 48

ARGS: dict[int, IoctlArg] = {
    KIOCSOUND: value("kd_sound"),
    KDMKTONE: value("kd_tone"),
    KDGETLED: IoctlArg("kd_leds", "out", 1),  # a char of LED_* lights
    KDSETLED: value("kd_leds"),
    KDGKBTYPE: IoctlArg("kd_kbtype", "out", 1),  # a char
    KDADDIO: value("kd_port"),
    KDDELIO: value("kd_port"),
    KDSETMODE: value("kd_mode"),
    KDGETMODE: IoctlArg("kd_mode", "out", 4),
    KDGKBMODE: IoctlArg("kd_kbmode", "out", 4),
    KDSKBMODE: value("kd_kbmode"),
    KDGKBMETA: IoctlArg("kd_meta", "out", 4),
    KDSKBMETA: value("kd_meta"),
    KDGKBLED: IoctlArg("kd_kbled", "out", 1),  # a char of K_*LOCK flags and defaults
    KDSKBLED: value("kd_kbled"),
    KDSIGACCEPT: value("kd_signal"),
    GIO_SCRNMAP: IoctlArg("kd_bytes", "out", SCRNMAP),
    PIO_SCRNMAP: IoctlArg("kd_bytes", "in", SCRNMAP),
    GIO_FONT: IoctlArg("kd_bytes", "out", FONT),
    PIO_FONT: IoctlArg("kd_bytes", "in", FONT),
    GIO_CMAP: IoctlArg("kd_bytes", "out", CMAP),
    PIO_CMAP: IoctlArg("kd_bytes", "in", CMAP),
    GIO_UNISCRNMAP: IoctlArg("kd_uniscrnmap", "out", 2 * SCRNMAP),
    PIO_UNISCRNMAP: IoctlArg("kd_uniscrnmap", "in", 2 * SCRNMAP),
    KDGETKEYCODE: IoctlArg("kd_keycode", "both", 8),  # u32 scancode, keycode
    KDSETKEYCODE: IoctlArg("kd_keycode", "in", 8),
    KDKBDREP: IoctlArg("kd_kbdrep", "both", 8),  # int delay, period
    **{request: IoctlArg("", "none") for request in (KDENABIO, KDDISABIO, KDMAPDISP, KDUNMAPDISP, PIO_FONTRESET)},
}
