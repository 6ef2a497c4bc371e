"""i386 system calls: a `gcc -m32` program, and `int $0x80` from a 64-bit one.

Both are decoded with the i386 table, and the text says when a process
changes mode, as strace does ("[ Process PID=N runs in 32 bit mode. ]").
The -m32 build needs gcc-multilib; without it that test is skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROGRAMS = Path(__file__).resolve().parent / "programs"


def build(tmp: Path, source: str, *flags: str) -> Path | None:
    gcc = shutil.which("gcc")
    if gcc is None:
        return None
    out = tmp / (source.removesuffix(".c") + "".join(flags).replace("-", "_"))
    done = subprocess.run([gcc, "-O1", "-o", str(out), str(PROGRAMS / source), *flags], capture_output=True)
    return out if done.returncode == 0 else None


def atrace(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "atrace", *argv], capture_output=True, text=True, cwd=REPO,
                          timeout=60)  # fmt: skip


# Under seccomp, with a set naming i386 calls: the filter must stop them in
# the i386 ABI as well (getpid is 20 there), whether the task is a 32-bit
# program or a 64-bit one using int $0x80.
SECCOMP = ("-f", "--seccomp-bpf", "-e", "trace=getpid,write")


@pytest.mark.parametrize("options", [(), SECCOMP], ids=["every-call", "seccomp"])
def test_int80_from_a_64_bit_program(tmp_path: Path, options: tuple[str, ...]) -> None:
    program = build(tmp_path, "int80.c", "-no-pie")
    if program is None:
        pytest.skip("gcc cannot build the program")
    done = atrace(*options, str(program))
    assert done.returncode == 0, done.stderr
    assert "atrace:" not in done.stderr
    assert done.stdout == "via int80\nnative\n"
    lines = done.stderr.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("[ Process PID=")))
    assert re.fullmatch(r"\[ Process PID=\d+ runs in 32 bit mode\. \]", lines[start])
    assert re.fullmatch(r"getpid\(\) +=  ?\d+", lines[start + 1])
    assert re.fullmatch(r'write\(1, "via int80\\n", 10\) += 10', lines[start + 2])
    assert re.fullmatch(r"\[ Process PID=\d+ runs in 64 bit mode\. \]", lines[start + 3])
    assert lines[start + 4].startswith('write(1, "native\\n", 7)')


def test_m32_program(tmp_path: Path) -> None:
    program = build(tmp_path, "decode_calls.c", "-m32")
    if program is None:
        pytest.skip("gcc -m32 does not work here (apt-get install gcc-multilib)")
    done = atrace(str(program), str(tmp_path))
    assert done.returncode == 0, done.stderr
    text = done.stderr
    lines = text.splitlines()
    assert lines[0].startswith(f'execve("{program}"')
    assert re.fullmatch(r"\[ Process PID=\d+ runs in 32 bit mode\. \]", lines[1])
    assert re.search(
        r"^mmap2\(NULL, 8192, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) += 0x", text, re.M
    )
    assert re.search(r'^pread64\(3, "lXY,", 4, 2\) += 4$', text, re.M)
    assert re.search(r'^write\(3, "hello, world\\n", 13\) += 13$', text, re.M)
    sigaction = (
        r"^rt_sigaction\(SIGUSR1, \{sa_handler=0x[0-9a-f]+, sa_mask=\[TERM\], "
        r"sa_flags=SA_RESTART\}, NULL, 8\) += 0$"
    )
    assert re.search(sigaction, text, re.M)
    assert re.search(r"^wait4\(\d+, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 3\}\], 0, NULL\) += \d+$", text, re.M)
    assert "runs in 64 bit mode" not in text


@pytest.mark.parametrize("hide", [("-P", "/nonexistent-atrace"), ("-e", "status=failed")])
def test_personality_notes_survive_filters(tmp_path: Path, hide: tuple[str, str]) -> None:
    """strace notes each change of mode at the call that makes it, whether a
    filter shows that call or not; the filter stage hands hidden calls'
    ABI to the renderer, so atrace does too."""
    program = build(tmp_path, "int80.c", "-no-pie")
    if program is None:
        pytest.skip("gcc cannot build the program")
    done = atrace(*hide, str(program))
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("[ Process PID=")]
    assert [re.sub(r"PID=\d+", "PID=N", line) for line in notes] == [
        "[ Process PID=N runs in 32 bit mode. ]",
        "[ Process PID=N runs in 64 bit mode. ]",
    ]
    assert not any(line.startswith(("getpid(", "write(")) for line in done.stderr.splitlines())


def test_m32_program_under_seccomp(tmp_path: Path) -> None:
    """A 32-bit program and its child, with a set of i386-only calls."""
    program = build(tmp_path, "decode_calls.c", "-m32")
    if program is None:
        pytest.skip("gcc -m32 does not work here (apt-get install gcc-multilib)")
    done = atrace("-f", "--seccomp-bpf", "-e", "trace=mmap2,pread64", str(program), str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "atrace:" not in done.stderr
    calls = {m.group(1) for m in re.finditer(r"^(?:\[pid +\d+\] )?(\w+)\(", done.stderr, re.M)}
    assert calls == {"mmap2", "pread64"}
    assert re.search(r'^pread64\(3, "lXY,", 4, 2\) += 4$', done.stderr, re.M)
    assert re.search(r"^mmap2\(NULL, 8192, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) += 0x",
                     done.stderr, re.M)  # fmt: skip
