"""Differential test of string quoting: every byte value, in write's buffers
and access's paths (tests/programs/all_bytes.c), quoted by atrace as strace
quotes it, byte for byte, in each -x mode and with -s cutting.

The quoting's fast paths (printable data left as it is, octal escapes
shortened by regex passes) must never change what is printed: the
program puts each byte before an octal digit, before a non-octal one,
and alone, in buffers that are printable ASCII but for one byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STRACE = shutil.which("strace")
# The dynamic loader's access("/etc/ld.so.preload"), the program's write x6
# and access x3 (tests/programs/all_bytes.c), then the exit line.
LINES = 1 + 6 + 3 + 1


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("all_bytes") / "all_bytes"
    subprocess.run(["gcc", "-O1", "-o", str(out), str(REPO / "tests" / "programs" / "all_bytes.c")], check=True)
    return out


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize(
    "options",
    [[], ["-x"], ["-xx"], ["--strings-in-hex=non-ascii-chars"], ["-s", "5"], ["-s", "300", "-x"], ["-s", "1"]],
    ids=lambda options: " ".join(options) or "default",
)
def test_every_byte_is_quoted_as_strace_quotes_it(program: Path, tmp_path: Path, options: list[str]) -> None:
    assert STRACE is not None
    env = dict(os.environ, PYTHONPATH=str(REPO), LC_ALL="C")
    texts = []
    for label, tracer in (("strace", [STRACE]), ("atrace", [sys.executable, "-m", "atrace", "--text"])):
        out = tmp_path / f"{label}.txt"
        argv = [*tracer, "-o", str(out), "-s", "4096", *options, "-e", "trace=write,access", str(program)]
        done = subprocess.run(argv, env=env, capture_output=True, timeout=120, check=False)
        assert done.returncode == 0, f"{label}: {done.stderr.decode(errors='replace')}"
        texts.append(out.read_text(encoding="latin-1"))
    strace_text, atrace_text = texts
    # Both ran the whole program (an empty or cut-short pair would agree).
    assert len(strace_text.splitlines()) == LINES
    assert strace_text.count("write(3, ") == 6 and strace_text.count("access(") == 4
    assert atrace_text == strace_text
