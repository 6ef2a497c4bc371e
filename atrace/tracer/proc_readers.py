"""Readers of process, memory and key calls' arguments whose layout is
their own (move_pages' arrays, memfd_create's name, clone3's set_tid, kcmp's
epoll slot) and of the si_pid a siginfo_t carries (-Y, --pidns-translation).
A base of atrace.tracer.readers.Readers: the same memory and -s limit."""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any

from ..syscalls import ARCH_I386
from ..syscalls.abi import signed
from ..syscalls.calls import CLONE_SET_TID_END, CLONE_SET_TID_MAX, KCMP_EPOLL_TFD, MFD_NAME_LEN
from ._ptrace import MemoryReader

# Structured values only: numbers, bytes, strings and lists of them.
Value = str | bytes | int | list[Any] | dict[str, Any] | None
# reader(pid, arch, args, index) -> the value for the event's data map
Reader = Callable[[int, int, Sequence[int], int], Value]
# Exit readers also get the return value.
ExitReader = Callable[[int, Sequence[int], int, int], Value]


class ProcessReaders:
    """Bound by Readers.__init__ to one tracee memory and the -s limit."""

    _memory: MemoryReader
    _string_limit: int

    def _kcmp_epoll_slot(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # KCMP_EPOLL_TFD: idx2 points to a struct kcmp_epoll_slot (three u32).
        return self._memory.read(pid, args[4], 12) if args[2] & 0xFFFFFFFF == KCMP_EPOLL_TFD else None

    def _si_pid(self, pid: int, addr: int, wide: bool) -> int | None:
        """The si_pid of the siginfo_t at addr: after si_signo, si_errno and
        si_code, where the union starts (8-aligned with 64-bit longs)."""
        raw = self._memory.read(pid, addr + (16 if wide else 12), 4) if addr else None
        return signed(int.from_bytes(raw, "little"), 32) if raw and len(raw) == 4 else None

    def _si_pid_reader(self, look_up: Callable[[int, int, str], Value]) -> Reader:
        def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            si_pid = self._si_pid(pid, args[index], arch != ARCH_I386)
            return None if si_pid is None or si_pid <= 0 else look_up(pid, si_pid, "NSpid")

        return read

    def _si_pid_exit_reader(self, look_up: Callable[[int, int, str], Value], wide: bool) -> ExitReader:
        def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            si_pid = self._si_pid(pid, args[index], wide)
            return None if si_pid is None or si_pid <= 0 else look_up(pid, si_pid, "NSpid")

        return read

    def _memfd_name(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # Raw bytes, NUL or not: the kernel takes at most MFD_NAME_LEN of them,
        # and strace shows as many (with `...`) when no NUL comes sooner.
        return self._memory.read(pid, args[index], min(self._string_limit + 1, MFD_NAME_LEN))

    def _move_pages_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # pages (index 2) are pointers, nodes (3) ints; nr_pages (1) counts both.
        size = (4 if arch == ARCH_I386 else 8) if index == 2 else 4
        return self._counted(pid, args[index], args[1], size)

    def _move_pages_status(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._counted(pid, args[index], args[1], 4)

    def _counted(self, pid: int, addr: int, count: int, size: int) -> Value:
        """An array's first elements: as many as -s shows and one more (which
        tells `...`); fewer where readable memory ends."""
        count = min(count, self._string_limit + 1)
        return self._memory.read(pid, addr, size * count) if addr and count else None

    def _clone3_set_tid(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """The tids struct clone_args' set_tid points to, when its size
        includes them and their count is one the kernel takes."""
        if args[1] < CLONE_SET_TID_END:
            return None
        raw = self._memory.read(pid, args[0], CLONE_SET_TID_END)
        if raw is None or len(raw) < CLONE_SET_TID_END:
            return None
        address, count = struct.unpack_from("<2Q", raw, CLONE_SET_TID_END - 16)
        return self._memory.read(pid, address, 4 * count) if address and 0 < count <= CLONE_SET_TID_MAX else None
