"""-e read= / -e write=: strace's hex dumps of the data read and written.

tests/programs/inject_calls.c `io` writes known bytes to stdout (write,
writev), through a pipe (write, read, readv) and a socketpair (sendmsg,
recvmsg, sendmmsg, recvmmsg), then fails a write and a read on fd 100.
Its fds: pipe 3 (read end) and 4, socketpair 5 and 6. The dumps must hold
every byte even with -s 4, and where strace is installed its text must be
the same.
"""

from __future__ import annotations

import re
import shutil

from conftest import assert_no_traceback, atrace_argv, describe, run

STRACE = shutil.which("strace")
CALLS = "trace=write,writev,read,readv,sendmsg,recvmsg,sendmmsg,recvmmsg"
OPTIONS = ["-s", "4", "-e", CALLS, "-e", "write=1,5,100", "-e", "read=3,6,100"]
# The 40 bytes the program writes: i * 7 + 30 for i in 0..39.
BYTES_DUMP = [
    " | 00000  1e 25 2c 33 3a 41 48 4f  56 5d 64 6b 72 79 80 87  .%,3:AHOV]dkry.. |",
    " | 00010  8e 95 9c a3 aa b1 b8 bf  c6 cd d4 db e2 e9 f0 f7  ................ |",
    " | 00020  fe 05 0c 13 1a 21 28 2f                           .....!(/         |",
]


def _program_lines(stderr: bytes) -> list[str]:
    """From the program's first write on (the loader's reads come before),
    its addresses masked."""
    lines = stderr.decode().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("write(1, "))
    return [re.sub(r"0x[0-9a-f]+", "ADDR", line) for line in lines[start:]]


def _following(lines: list[str], start: str, count: int) -> list[str]:
    """The `count` lines after the first that starts with `start`."""
    at = next(i for i, line in enumerate(lines) if line.startswith(start))
    return lines[at + 1 : at + 1 + count]


def test_dumps_hold_the_whole_data_as_strace_prints_them(program):
    prog = str(program("inject_calls"))
    proc = run(atrace_argv(*OPTIONS, prog, "io"))
    assert proc.returncode == 0, describe(proc)
    assert_no_traceback(proc)
    lines = _program_lines(proc.stderr)
    assert _following(lines, 'write(1, "\\36%,3"..., 40)               = 40', 3) == BYTES_DUMP
    assert _following(lines, "writev(1, ", 6) == [
        " * 3 bytes in buffer 0",
        " | 00000  61 62 63                                          abc              |",
        " * 40 bytes in buffer 1",
        *BYTES_DUMP,
    ]
    # The pipe's write end (4) is not in the write set: no dump; its read
    # end is: a read dumps what it received, readv as far as the bytes went.
    assert _following(lines, 'write(4, "\\36%,3"..., 20)               = 20', 1)[0].startswith("read(3, ")
    assert _following(lines, "readv(3, ", 4) == [
        " * 5 bytes in buffer 0",
        " | 00000  72 79 80 87 8e                                    ry...            |",
        " * 3 bytes in buffer 1",
        " | 00000  95 9c a3                                          ...              |",
    ]
    assert _following(lines, "recvmmsg(6, ", 7) == [
        " = 2 buffers in vector 0",
        " * 4 bytes in buffer 0",
        " | 00000  61 62 63 64                                       abcd             |",
        " * 4 bytes in buffer 1",
        " | 00000  65 66 67 68                                       efgh             |",
        " = 1 buffers in vector 1",
        " * 3 bytes in buffer 0",
    ]
    # A failed write is dumped (what it was given), a failed read is not.
    assert lines[-4:] == [
        'write(100, "abc", 3)                    = -1 EBADF (Bad file descriptor)',
        " | 00000  61 62 63                                          abc              |",
        "read(100, ADDR, 3)            = -1 EBADF (Bad file descriptor)",
        "+++ exited with 0 +++",
    ]
    if STRACE:
        real = run([STRACE, *OPTIONS, prog, "io"])
        assert real.returncode == 0, describe(real)
        assert _program_lines(real.stderr) == lines


def test_tail_dumps_a_recorded_trace(program, tmp_path):
    out = tmp_path / "t.atrace"
    proc = run(atrace_argv("-o", out, *OPTIONS, str(program("inject_calls")), "io"))
    assert proc.returncode == 0, describe(proc)
    shown = run(atrace_argv("tail", "-e", "write=1", out))
    assert shown.returncode == 0, describe(shown)
    text = shown.stdout.decode()
    assert "\n".join(BYTES_DUMP) in text
    assert " * 40 bytes in buffer 1\n" + "\n".join(BYTES_DUMP) in text
    assert " | 00000  72 79 80 87 8e" not in text  # fd 3's reads: not asked for


def test_dump_offsets_widen_past_a_mebibyte_and_unreadable_memory_is_said() -> None:
    """strace's tests/read-write.c: six hex digits of offset once the data
    passes 0xfffff bytes; a buffer that runs into unreadable memory shows
    what was read, then `<Cannot fetch N bytes from pid P @ADDR>`."""
    from atrace.render.dumps import _buffer, hexdump

    assert hexdump(bytes(0x100000)).splitlines()[-1].startswith(" | ffff0  00")
    assert hexdump(bytes(0x100001)).splitlines()[-1].startswith(" | 100000  00")
    text = _buffer(b"ab", 4, 0x1000, 42)
    assert text.splitlines() == [
        " | 00000  61 62                                             ab               |",
        " | <Cannot fetch 2 bytes from pid 42 @0x1002>",
    ]
    assert _buffer(b"ab", 3, 0x1000, 42).endswith(" | <Cannot fetch 1 byte from pid 42 @0x1002>\n")


def test_the_last_read_and_write_sets_count(program):
    """-e write= (and read=) given twice: the last set replaces the first,
    as strace 6.1 does; stdout (1) was only in the first, so writes to it
    are not dumped, writes to the socket (5) are."""
    prog = str(program("inject_calls"))
    options = ["-s", "4", "-e", CALLS, "-e", "write=1", "-e", "write=5", "-e", "read=3", "-e", "read=6"]
    proc = run(atrace_argv(*options, prog, "io"))
    assert proc.returncode == 0, describe(proc)
    lines = _program_lines(proc.stderr)
    assert not _following(lines, "write(1, ", 1)[0].startswith(" | "), lines
    assert not _following(lines, "read(3, ", 1)[0].startswith(" | "), lines
    assert _following(lines, "sendmsg(5, ", 1)[0].startswith(" * "), lines
    if STRACE:
        real = run([STRACE, *options, prog, "io"])
        assert real.returncode == 0, describe(real)
        assert _program_lines(real.stderr) == lines
