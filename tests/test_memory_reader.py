"""MemoryReader: reading strings from a process's memory with process_vm_readv.

Reads our own process (reading oneself needs no ptrace), laid out in an
anonymous mapping so that page boundaries are where the test puts them.
"""

from __future__ import annotations

import ctypes
import mmap
import os
from pathlib import Path

from atrace.tracer._ptrace import PAGE_SIZE, MemoryReader


def _mapping(pages: int) -> tuple[mmap.mmap, int]:
    area = mmap.mmap(-1, pages * PAGE_SIZE)
    return area, ctypes.addressof(ctypes.c_char.from_buffer(area))


def _guarded(pages: int, fill: bytes) -> tuple[mmap.mmap, int]:
    """`pages` pages of `fill`, then a PROT_NONE guard page."""
    area, base = _mapping(pages + 1)
    area[: pages * PAGE_SIZE] = fill * (pages * PAGE_SIZE)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    assert libc.mprotect(base + pages * PAGE_SIZE, PAGE_SIZE, 0) == 0
    return area, base


def test_argv_batch_with_a_string_crossing_a_page_keeps_the_others_intact() -> None:
    """A string that runs past its first page is finished with a second read;
    that read must not clobber the strings fetched with it in the batch (it
    once did: gcc argv elements came out garbled under make -j2)."""
    area, base = _mapping(3)
    crossing = b"-DLUA_COMPAT_5_3" * 8
    start = PAGE_SIZE - 50
    area[start : start + len(crossing) + 1] = crossing + b"\0"
    shorts = [(2 * PAGE_SIZE + 16 + 24 * i, b"arg%d" % i) for i in range(6)]
    for offset, text in shorts:
        area[offset : offset + len(text) + 1] = text + b"\0"
    # The crossing string first: the strings after it sit early in the
    # reader's buffer, where finishing the crossing one writes.
    addrs = [base + start] + [base + offset for offset, _ in shorts]
    got = MemoryReader().read_cstrings(os.getpid(), addrs, 128 * 1024)
    expected = [crossing] + [text for _, text in shorts]
    assert got == expected


def test_cstring_is_cut_at_the_limit_and_none_without_its_nul() -> None:
    _area, base = _guarded(2, b"x")
    reader = MemoryReader()
    assert reader.read_cstring(os.getpid(), base + 10, 100) == b"x" * 100
    # No NUL before the guard page: not a string (the kernel fails with
    # EFAULT; strace shows the address), unless the limit comes first.
    assert reader.read_cstring(os.getpid(), base + PAGE_SIZE + 4000, 4096) is None
    assert reader.read_cstring(os.getpid(), base + PAGE_SIZE + 4000, 50) == b"x" * 50
    assert reader.read_cstring(os.getpid(), base + 2 * PAGE_SIZE, 4096) is None
    assert reader.read_cstring(os.getpid(), 0, 4096) is None


def test_cstring_across_pages_ends_at_its_nul_or_at_unreadable_memory() -> None:
    """One read covers the string's page and the next (a PATH_MAX path
    wherever it starts); what lies beyond, or a guard page, must not change
    what comes back."""
    area, base = _guarded(4, b"y")
    reader = MemoryReader()
    pid = os.getpid()
    # A path that starts 5 bytes before a page's end, its NUL 3,000 bytes on.
    start = PAGE_SIZE - 5
    area[start + 3000] = 0
    assert reader.read_cstring(pid, base + start, 4096) == b"y" * 3000
    # Longer than the limit: cut there, whether or not its NUL was read.
    assert reader.read_cstring(pid, base + start, 2000) == b"y" * 2000
    assert reader.read_cstring(pid, base + 1, 4096) == b"y" * 4096
    # Longer than two pages, with a limit beyond them: read on to the NUL.
    area[start + 3000] = ord("y")
    area[3 * PAGE_SIZE + 100] = 0
    assert reader.read_cstring(pid, base + 10, 8 * PAGE_SIZE) == b"y" * (3 * PAGE_SIZE + 90)
    # Running into the guard page before any NUL, within the first two
    # pages read or after them: not a string.
    area[3 * PAGE_SIZE + 100] = ord("y")
    assert reader.read_cstring(pid, base + 4 * PAGE_SIZE - 10, 4096) is None
    assert reader.read_cstring(pid, base + 3 * PAGE_SIZE + 10, 4096) is None
    assert reader.read_cstring(pid, base + 10, 8 * PAGE_SIZE) is None
    # `limit` bytes before the guard page and no NUL (strace's ENAMETOOLONG
    # path of PATH_MAX slashes): a string cut at the limit; one byte fewer
    # readable: not a string.
    assert reader.read_cstring(pid, base + 4 * PAGE_SIZE - 4096, 4096) == b"y" * 4096
    assert reader.read_cstring(pid, base + 4 * PAGE_SIZE - 4095, 4096) is None
    assert reader.read_cstring(pid, base + 4 * PAGE_SIZE - 4096 - PAGE_SIZE, 2 * PAGE_SIZE) == b"y" * 8192
    # Its NUL the last readable byte: a string.
    area[4 * PAGE_SIZE - 1] = 0
    assert reader.read_cstring(pid, base + 4 * PAGE_SIZE - 10, 4096) == b"y" * 9
    assert reader.read_cstring(pid, base + 2 * PAGE_SIZE + 7, 8192) == b"y" * (2 * PAGE_SIZE - 8)


def test_our_ptrace_constants_agree_with_python_ptrace() -> None:
    """python-ptrace's binding has most requests, options and events; ours
    must agree with each it has (it lacks SEIZE, INTERRUPT, LISTEN,
    GET_SYSCALL_INFO, EXITKILL and EVENT_STOP, which atrace defines)."""
    import ptrace.binding.func as theirs

    from atrace.tracer import _ptrace as ours

    shared = [name for name in dir(ours) if name.startswith("PTRACE_") and hasattr(theirs, name)]
    assert len(shared) >= 15
    for name in shared:
        assert getattr(ours, name) == getattr(theirs, name), name


def test_fd_paths_keep_undecodable_names_as_bytes(tmp_path: Path) -> None:
    """-y reads /proc/PID/fd through python-ptrace's helper: a name that is
    not UTF-8 comes back as its bytes; a closed fd as nothing."""
    from atrace.tracer.fd_paths import returned_fd_path

    name = os.fsencode(tmp_path) + b"/caf\xe9"
    fd = os.open(name, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        assert returned_fd_path(os.getpid(), (), 0, fd) == name
        assert returned_fd_path(os.getpid(), (), 0, 999_999) is None
    finally:
        os.close(fd)
    assert returned_fd_path(os.getpid(), (), 0, fd) is None
