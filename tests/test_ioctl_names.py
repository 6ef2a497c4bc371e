"""ioctl requests strace names without decoding them (HID requests that
carry their buffer's size, ZFS on Linux's, BLKZNAME, KSTAT_IOC_*), traced
in a real process (tests/programs/ioctl_names.c): exact lines, and the
same lines as strace's under each -X style."""

from __future__ import annotations

from pathlib import Path

import pytest
from ioctl_support import ATRACE, STRACE, build, ioctl_lines

EBADF = " = -1 EBADF (Bad file descriptor)"


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory, "ioctl_names")


def _lines(tool: list[str], options: list[str], program: Path, tmp: Path) -> list[str]:
    # strace pads the line before " = " to a column.
    return [" ".join(line.split()) for line in ioctl_lines(tool, options, program, tmp)]


def test_names_and_hex_words(program: Path, tmp_path: Path) -> None:
    assert _lines(ATRACE, [], program, tmp_path) == [
        f"ioctl(-1, {request}){EBADF}"
        for request in (
            "HIDIOCGPHYS(8), 0",
            "HIDIOCGRAWNAME(64), 0x1000",
            "HIDIOCGFEATURE(16), 0",
            "HIDIOCSFEATURE(16), 0",
            "_IOC(_IOC_WRITE, 0x48, 0x12, 0x8), 0",
            "ZFS_IOC_POOL_CREATE, 0",
            "ZFS_IOC_SEND_SPACE, 0x2000",
            "ZFS_IOC_GET_BOOTENV, 0",
            "_IOC(_IOC_NONE, 0x5a, 0x7f, 0), 0",
            "BLKZNAME, 0",
            "KSTAT_IOC_CHAIN_ID, 0",
            "KSTAT_IOC_WRITE, 0",
        )
    ]


def test_verbose_names_in_comments(program: Path, tmp_path: Path) -> None:
    lines = _lines(ATRACE, ["-Xverbose"], program, tmp_path)
    assert f"ioctl(-1, 0x80084812 /* HIDIOCGPHYS(8) */, 0){EBADF}" in lines
    assert f"ioctl(-1, 0x5a41 /* ZFS_IOC_SEND_SPACE */, 0x2000){EBADF}" in lines


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("options", [[], ["-Xraw"], ["-Xverbose"]])
def test_same_lines_as_strace(program: Path, tmp_path: Path, options: list[str]) -> None:
    assert STRACE is not None
    theirs = _lines([STRACE], options, program, tmp_path)
    assert len(theirs) == 12
    assert _lines(ATRACE, options, program, tmp_path) == theirs
