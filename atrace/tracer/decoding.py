"""What the tracer thread reads from a tracee's memory at each stop.

The syscall tables say, per argument, what kind of value it is. Only a few
kinds need the tracee's memory while it is stopped (paths, strings, argv,
data buffers); everything else is formatted later from the raw registers.
This module turns the tables into per-number *plans* once, at start-up: a
plan is a short tuple of (key, argument index, reader) steps, so the hot path
does one lookup and one loop with a single call per value it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..syscalls import ARCH_X86_64, Syscall, table
from ._ptrace import MemoryReader

# Longest path the kernel accepts (PATH_MAX, NUL included).
PATH_LIMIT = 4096
# argv strings are kept whole up to this size: compiler command lines are long.
ARGV_STRING_LIMIT = 128 * 1024
# A runaway argv (or garbage pointer) must not stall the stop for long.
ARGV_MAX_ENTRIES = 4096

Value = str | bytes | int | list[str | bytes] | None
Data = dict[str, Value]
# reader(pid, arch, args, index) -> the value for the event's data map
Reader = Callable[[int, int, Sequence[int], int], Value]
Step = tuple[str, int, Reader]
# Exit readers also get the return value.
ExitReader = Callable[[int, Sequence[int], int, int], Value]
ExitStep = tuple[str, int, ExitReader]


def text_or_bytes(raw: bytes) -> str | bytes:
    """UTF-8 text when it is valid, else the bytes as they are (lossless)."""
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw


@dataclass(frozen=True, slots=True)
class Plan:
    """Memory reads for one syscall, at entry and at exit."""

    name: str
    entry: tuple[Step, ...] = ()
    exit: tuple[ExitStep, ...] = ()
    execs: bool = False  # execve/execveat: the loop keeps its data for the exec event


class Decoder:
    """Builds plans and the readers they call (tracer thread only)."""

    def __init__(self, memory: MemoryReader, string_limit: int) -> None:
        self._memory = memory
        self._string_limit = string_limit
        self._entry_readers: dict[str, Reader] = {
            "path": self._path,
            "str": self._string,
            "argv": self._argv,
            "envp": self._envp,
            "buf_in": self._buffer_in,
        }
        self._exit_readers: dict[str, ExitReader] = {"buf_out": self._buffer_out}

    def plans(self, arch: int) -> tuple[Plan | None, ...]:
        """Plans indexed by syscall number for one personality."""
        return tuple(None if sc is None else self.plan_for(sc) for sc in table(arch))

    def plan_for(self, syscall: Syscall) -> Plan:
        entry: list[Step] = []
        exit_: list[ExitStep] = []
        for index, arg in enumerate(syscall.args):
            if arg.kind in self._entry_readers:
                # envp is recorded as a count: the strings would be most of the
                # trace and strace shows only how many there are.
                key = "envc" if arg.kind == "envp" else arg.name
                entry.append((key, index, self._entry_readers[arg.kind]))
            elif arg.kind in self._exit_readers:
                exit_.append((arg.name, index, self._exit_readers[arg.kind]))
        execs = any(arg.kind == "argv" for arg in syscall.args)
        return Plan(syscall.name, tuple(entry), tuple(exit_), execs)

    # -- entry readers -------------------------------------------------

    def _path(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        raw = self._memory.read_cstring(pid, args[index], PATH_LIMIT)
        if raw is None:
            return None
        try:
            return raw.decode()
        except UnicodeDecodeError:
            return raw

    def _string(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        raw = self._memory.read_cstring(pid, args[index], self._string_limit)
        return None if raw is None else text_or_bytes(raw)

    def _argv(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        pointers = self._pointer_array(pid, arch, args[index])
        if pointers is None:
            return None
        strings = self._memory.read_cstrings(pid, pointers, ARGV_STRING_LIMIT)
        return [b"" if s is None else text_or_bytes(s) for s in strings]

    def _envp(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        pointers = self._pointer_array(pid, arch, args[index])
        return None if pointers is None else len(pointers)

    def _buffer_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # The length is the argument after the buffer (write, pwrite64,
        # sendto...): that is how the tables declare a buf_in.
        length = args[index + 1] if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], min(length, self._string_limit))

    # -- exit readers --------------------------------------------------

    def _buffer_out(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._memory.read(pid, args[index], min(ret, self._string_limit))

    def _pointer_array(self, pid: int, arch: int, addr: int) -> list[int] | None:
        """The pointers of a NULL-terminated array (argv, envp)."""
        if addr == 0:
            return None
        size = 8 if arch == ARCH_X86_64 else 4
        pointers: list[int] = []
        while len(pointers) < ARGV_MAX_ENTRIES:
            # Read to the end of the current page, so no read faults early.
            chunk = 4096 - (addr & 4095)
            raw = self._memory.read(pid, addr, chunk)
            if not raw:
                return pointers if pointers else None
            usable = len(raw) - len(raw) % size
            for offset in range(0, usable, size):
                pointer = int.from_bytes(raw[offset : offset + size], "little")
                if pointer == 0:
                    return pointers
                pointers.append(pointer)
            addr += usable
        return pointers
