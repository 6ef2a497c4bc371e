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
KDGKBENT, KDSKBENT, KDGKBSENT, KDSKBSENT = 0x4B46, 0x4B47, 0x4B48, 0x4B49
KDGKBDIACR, KDSKBDIACR, KDGKBDIACRUC, KDSKBDIACRUC = 0x4B4A, 0x4B4B, 0x4BFA, 0x4BFB
# struct kbsentry: u8 kb_func, char kb_string[512]; struct kbdiacrs: u32
# kb_cnt and 256 struct kbdiacr of 3 chars (kbdiacrsuc: of 3 u32).
KBSENTRY, DIACRS, DIACRSUC = 1 + 512, 4 + 256 * 3, 4 + 256 * 12
GIO_UNIMAP, PIO_UNIMAP, PIO_UNIMAPCLR, GIO_FONTX, PIO_FONTX, KDFONTOP = 0x4B66, 0x4B67, 0x4B68, 0x4B6B, 0x4B6C, 0x4B72
# struct unimapdesc: u16 entry_ct, struct unipair (u16 unicode, fontpos)
# *entries; struct consolefontdesc: u16 charcount, charheight, char
# *chardata (32 bytes a glyph); struct console_font_op: u32 op, flags,
# width, height, charcount, u8 *data (x86_64's layouts).
UNIMAPDESC, UNIPAIR, FONTDESC, GLYPH, FONT_OP = 16, 4, 16, 32, 32
KD_FONT_OP_SET, KD_FONT_OP_GET, KD_FONT_OP_SET_DEFAULT = 0, 1, 2
# The most copied of what they point to (strace shows at most -s of it).
_MOST = 16384


def _u(raw: bytes, at: int, size: int) -> int:
    return int.from_bytes(raw[at : at + size], "little")


def _capped(address: int, size: int) -> tuple[int, int] | None:
    return (address, min(size, _MOST)) if address and size > 0 else None


def _unimap_entries(raw: bytes) -> tuple[int, int] | None:
    return _capped(_u(raw, 8, 8), _u(raw, 0, 2) * UNIPAIR)


def _font_chars(raw: bytes) -> tuple[int, int] | None:
    return _capped(_u(raw, 8, 8), _u(raw, 0, 2) * GLYPH)


def font_op_size(op: int, width: int, charcount: int) -> int:
    """The bytes of a font KDFONTOP's data holds: 32 rows of the glyph's
    width in bytes, per glyph; SET_DEFAULT's is a font name."""
    if op in (KD_FONT_OP_SET, KD_FONT_OP_GET):
        return (width + 7) // 8 * GLYPH * charcount
    return _MOST if op == KD_FONT_OP_SET_DEFAULT else 0


def _font_data(raw: bytes) -> tuple[int, int] | None:
    return _capped(_u(raw, 24, 8), font_op_size(_u(raw, 0, 4), _u(raw, 8, 4), _u(raw, 16, 4)))
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
    KDGKBENT: IoctlArg("kd_kbentry", "both", 4),  # u8 kb_table, kb_index; u16 kb_value
    KDSKBENT: IoctlArg("kd_kbentry", "in", 4),
    KDGKBSENT: IoctlArg("kd_kbsentry", "both", KBSENTRY),
    KDSKBSENT: IoctlArg("kd_kbsentry", "in", KBSENTRY),
    KDGKBDIACR: IoctlArg("kd_diacrs", "out", DIACRS),
    KDSKBDIACR: IoctlArg("kd_diacrs", "in", DIACRS),
    KDGKBDIACRUC: IoctlArg("kd_diacrs", "out", DIACRSUC),
    KDSKBDIACRUC: IoctlArg("kd_diacrs", "in", DIACRSUC),
    GIO_UNIMAP: IoctlArg("kd_unimap", "both", UNIMAPDESC, follow=_unimap_entries),
    PIO_UNIMAP: IoctlArg("kd_unimap", "in", UNIMAPDESC, follow=_unimap_entries),
    PIO_UNIMAPCLR: IoctlArg("kd_unimapinit", "in", 6),  # u16 advised_hashsize, _hashstep, _hashlevel
    GIO_FONTX: IoctlArg("kd_fontx", "both", FONTDESC, follow=_font_chars),
    PIO_FONTX: IoctlArg("kd_fontx", "in", FONTDESC, follow=_font_chars),
    KDFONTOP: IoctlArg("kd_font_op", "both", FONT_OP, follow=_font_data),
    **{request: IoctlArg("", "none") for request in (KDENABIO, KDDISABIO, KDMAPDISP, KDUNMAPDISP, PIO_FONTRESET)},
}
