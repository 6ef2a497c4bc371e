"""execve's and execveat's argv and envp: NULL-terminated arrays of
pointers, and the strings argv's point to. A base of
atrace.tracer.readers.Readers: the same memory.

Read at the entry stop of every exec (the exec record carries argv), in
every trace set: a per-process cost, kept to a read per page of pointers
and one process_vm_readv for all the strings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..syscalls import ARCH_X86_64
from ._ptrace import MemoryReader
from .proc_readers import Value
from .shapes import text_or_bytes

# argv strings are kept whole up to this size: compiler command lines are long.
ARGV_STRING_LIMIT = 128 * 1024
# A runaway argv (or garbage pointer) must not stall the stop for long.
ARGV_MAX_ENTRIES = 4096


class ExecReaders:
    """Bound by Readers.__init__ to one tracee memory."""

    _memory: MemoryReader

    def _argv(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        array = self._pointer_array(pid, arch, args[index])
        if array is None:
            return None
        pointers, terminated = array
        strings = self._memory.read_cstrings(pid, pointers, ARGV_STRING_LIMIT)
        # A string that cannot be read is recorded as its address; an array
        # that runs into unreadable memory before its NULL ends with None.
        items: list[Any] = [p if s is None else text_or_bytes(s) for p, s in zip(pointers, strings, strict=True)]
        return items if terminated else [*items, None]

    def _envp(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        array = self._pointer_array(pid, arch, args[index])
        if array is None:
            return None
        # The count; in a list when the array is unterminated (strace says so).
        return len(array[0]) if array[1] else [len(array[0])]

    def _pointer_array(self, pid: int, arch: int, addr: int) -> tuple[list[int], bool] | None:
        """The pointers of a NULL-terminated array (argv, envp), and whether
        its NULL was read (False: readable memory ends first); None when not
        even its first pointer can be read."""
        if addr == 0:
            return None
        wide = arch == ARCH_X86_64
        size = 8 if wide else 4
        pointers: list[int] = []
        while len(pointers) < ARGV_MAX_ENTRIES:
            # Read to the end of the current page, so no read faults early
            # (and into the next when a misaligned pointer straddles it).
            chunk = 4096 - (addr & 4095)
            if chunk < size:
                chunk += 4096
            raw = self._memory.read(pid, addr, chunk) or b""
            usable = len(raw) - len(raw) % size
            if not usable:
                return (pointers, False) if pointers else None
            # The NULL found and the words converted in C (an environment's
            # 30-50 pointers one at a time were ~15 us of an exec's stop).
            end = _aligned_zero_word(raw, size, usable)
            words = memoryview(raw)[: usable if end < 0 else end]
            pointers += (words.cast("Q") if wide else words.cast("I")).tolist()
            if end >= 0:
                return pointers, True
            addr += usable
        return pointers, True  # cut at ARGV_MAX_ENTRIES


def _aligned_zero_word(raw: bytes, size: int, end: int) -> int:
    """The offset of the first all-zero word of `size` bytes at a multiple
    of `size` in raw[:end], or -1."""
    zero = bytes(size)
    found = raw.find(zero, 0, end)
    while found > 0 and found % size:
        # A run of zero bytes across two words (a pointer's high bytes, the
        # next one's low ones): go on from the next word.
        found = raw.find(zero, found - found % size + size, end)
    return found
