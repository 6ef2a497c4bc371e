"""-y against strace: fd paths with < and > escaped, AT_FDCWD with the
working directory (a real `cat`, traced by both)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from atrace.render.quoting import fd_path_text, fd_with_path

STRACE = shutil.which("strace")


def test_brackets_in_paths_are_octal() -> None:
    assert fd_path_text(b"/a/\x01\x020<<0::0>>1~") == "/a/\\1\\0020\\74\\0740::0\\76\\0761~"
    assert fd_path_text("/plain/path") == "/plain/path"


def test_deleted_mark_goes_after_the_brackets() -> None:
    assert fd_with_path("3", "/tmp/gone (deleted)") == "3</tmp/gone>(deleted)"
    assert fd_with_path("AT_FDCWD", "/tmp/<d> (deleted)") == "AT_FDCWD</tmp/\\74d\\76>(deleted)"
    assert fd_with_path("4", b"/tmp/kept") == "4</tmp/kept>"


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_y_matches_strace_with_brackets_in_cwd(tmp_path: Path) -> None:
    cwd = tmp_path / "dir<1>"
    cwd.mkdir()
    (cwd / "in>put").write_text("x\n")
    outputs = []
    for label, tracer in (("strace", [STRACE]), ("atrace", [sys.executable, "-m", "atrace", "--text"])):
        out = tmp_path / f"{label}.txt"
        argv = [*tracer, "-y", "-e", "trace=openat,read,close", "-o", str(out), "cat", "in>put"]
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, check=True, timeout=60)
        outputs.append(out.read_text())
    strace_text, atrace_text = outputs
    assert f'openat(AT_FDCWD<{tmp_path}/dir\\0741\\76>, "in>put", O_RDONLY) = 3<' in strace_text
    assert atrace_text == strace_text
