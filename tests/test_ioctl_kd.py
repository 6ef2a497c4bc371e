"""The console and keyboard ioctls (linux/kd.h), traced in a real process
(tests/programs/ioctl_kd.c, every call on fd -1): values, tables, keysyms,
function-key strings, accent tables, unicode maps and fonts (the entries
and glyphs their structs point to), as exact lines and as the same lines
as strace's under -X, -s, -v and injected success (strace reads only what
-s shows of a table: fewer readable bytes show its address)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ioctl_support import ATRACE, STRACE, build, stable_lines

EBADF = " = -1 EBADF (Bad file descriptor)"


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory, "ioctl_kd")


def test_values_and_tables(program: Path, tmp_path: Path) -> None:
    lines = stable_lines(ATRACE, [], program, tmp_path)
    for expected in (
        "ioctl(-1, KIOCSOUND, 440 /* 2711 Hz */)",
        "ioctl(-1, KIOCSOUND, 1193183 /* off */)",
        "ioctl(-1, KDMKTONE, 1<<16|1 /* 1193182 Hz, 1 ms */)",
        "ioctl(-1, KDMKTONE, 64250 /* off */)",  # only the low 32 bits count: no duration
        "ioctl(-1, KDSETLED, 0xf0 /* LED_??? */)",
        "ioctl(-1, KDSKBLED, LED_NUM|LED_CAP<<4|0x80)",
        "ioctl(-1, KDDELIO, 0x3c0 /* GPFIRST + 12 */)",
        "ioctl(-1, KDSKBMODE, -5 /* K_??? */)",
        "ioctl(-1, KDSKBMETA, 0x1 /* K_??? */)",
        "ioctl(-1, KDSIGACCEPT, SIGUSR2)",
        "ioctl(-1, KDENABIO)",
        "ioctl(-1, KDKBDREP, {delay=250, period=-1})",
        "ioctl(-1, KDSETKEYCODE, {scancode=0x1c, keycode=0x1c})",
        'ioctl(-1, PIO_SCRNMAP, "' + "".join(f"\\x{i:02x}" for i in range(32)) + '"...)',
        "ioctl(-1, PIO_SCRNMAP, ADDR)",
        "ioctl(-1, KDSKBENT, {kb_table=1<<KG_CTRL|1<<KG_SHIFTR, kb_index=12, kb_value=0x71 /* K(KT_LATIN, 'q') */})",
        "ioctl(-1, KDSKBENT, {kb_table=K_ALTTAB, kb_index=13, kb_value=0x85c /* K(KT_META, '\\\\') */})",
        "ioctl(-1, KDSKBENT, {kb_table=K_ALTTAB, kb_index=17, kb_value=0xf00d /* K(0xf0, 0xd) */})",
        "ioctl(-1, KDSKBENT, {kb_table=K_NORMTAB, kb_index=0, kb_value=???})",
        'ioctl(-1, KDSKBSENT, {kb_func=KVAL(K_F5), kb_string="\\33[15~"})',
        "ioctl(-1, KDSKBDIACR, {kb_cnt=5, kbdiacr=[{diacr='`', base='a', result='\\xe0'}, {diacr='\\'', base='e', "
        "result='\\xe9'}, {diacr='\\\\', base='\\n', result='\\x00'}, ... /* ADDR */]})",
        "ioctl(-1, PIO_UNIMAP, {entry_ct=4, entries=[{unicode=0x2500, fontpos=0xc4}, {unicode=0x2501, fontpos=0xc5}, "
        "{unicode=0x2502, fontpos=0xc6}, ... /* ADDR */]})",
        "ioctl(-1, GIO_UNIMAP, {entry_ct=3 => 3, entries=ADDR})",
        'ioctl(-1, KDFONTOP, {op=KD_FONT_OP_SET_DEFAULT, width=8, height=16, data="lat1-16"})',
        "ioctl(-1, KDFONTOP, {op=KD_FONT_OP_COPY, height=16})",
    ):
        assert expected + EBADF in lines


def test_what_comes_back(program: Path, tmp_path: Path) -> None:
    lines = stable_lines(ATRACE, ["-e", "inject=ioctl:retval=0"], program, tmp_path)
    for expected in (
        "ioctl(-1, KDGKBMODE, [K_MEDIUMRAW])",
        "ioctl(-1, KDGETLED, [LED_NUM|0x20])",
        "ioctl(-1, KDGETKEYCODE, {scancode=0x1c, keycode=0x1c => 0x1c})",
        "ioctl(-1, KDKBDREP, {delay=250, period=-1} => {delay=250, period=-1})",
        'ioctl(-1, KDGKBSENT, {kb_func=KVAL(K_F5), kb_string="\\33[15~"})',
        "ioctl(-1, GIO_UNIMAP, {entry_ct=3 => 3, entries=[{unicode=0x2500, fontpos=0xc4}, {unicode=0x2501, "
        "fontpos=0xc5}, {unicode=0x2502, fontpos=0xc6}]})",
        "ioctl(-1, GIO_FONTX, {charcount=2, charheight=16, chardata=ADDR} => {charcount=2, charheight=16, "
        'chardata="' + "\\x3c" * 32 + '"...})',
    ):
        assert expected + " = 0 (INJECTED)" in lines


INJECT = ["-e", "inject=ioctl:retval=0"]


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("options", [[], ["-Xraw"], ["-Xverbose"], ["-v"], ["-s", "300"], ["-s", "5"], INJECT,
                                     ["-Xverbose", *INJECT]])  # fmt: skip
def test_same_lines_as_strace(program: Path, tmp_path: Path, options: list[str]) -> None:
    assert STRACE is not None
    theirs = stable_lines([STRACE], options, program, tmp_path)
    assert len(theirs) == 70
    assert stable_lines(ATRACE, options, program, tmp_path) == theirs
