"""What the ioctl tests that trace a real program share: building the C
program of tests/programs/ and the lines atrace or strace write for its
ioctl calls."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parent / "programs"
ATRACE = [sys.executable, "-m", "atrace"]
STRACE = shutil.which("strace")
# Stack addresses differ between runs (ASLR); strace's column padding too.
_ADDRESS = re.compile(r"0x7[ef][0-9a-f]{8,}")
_PADDING = re.compile(r"\) +=")


def build(factory: pytest.TempPathFactory, name: str) -> Path:
    """tests/programs/NAME.c compiled (the test is skipped without gcc)."""
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    out = factory.mktemp("ioctl") / name
    subprocess.run([gcc, "-O1", "-o", str(out), str(PROGRAMS / f"{name}.c")], check=True)
    return out


def ioctl_lines(tool: list[str], options: list[str], program: Path, tmp: Path) -> list[str]:
    """The ioctl lines the tool writes for the program (UTC times), at least one."""
    out = tmp / "trace.txt"
    text = ["--text"] if tool == ATRACE else []
    env = {**os.environ, "TZ": "UTC"}
    subprocess.run([*tool, "-qq", "-e", "trace=ioctl", *options, "-o", str(out), *text, str(program)],
                   check=True, env=env, timeout=120)  # fmt: skip
    lines = out.read_text().splitlines()
    assert lines, f"{tool[0]} wrote no line"
    return lines


def stable_lines(tool: list[str], options: list[str], program: Path, tmp: Path) -> list[str]:
    """ioctl_lines with stack addresses as ADDR and no padding before ` = `."""
    return [_PADDING.sub(") =", _ADDRESS.sub("ADDR", line)) for line in ioctl_lines(tool, options, program, tmp)]
