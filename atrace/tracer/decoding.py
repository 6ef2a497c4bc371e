"""What the tracer thread reads from a tracee's memory at each stop.

The syscall tables say, per argument, what kind of value it is. Only a few
kinds need the tracee's memory while it is stopped (paths, strings, argv,
data buffers); everything else is formatted later from the raw registers.
This module turns the tables into per-number *plans* once, at start-up, so
the hot path does one tuple lookup and runs a short list of steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..syscalls import Syscall, table
from ._ptrace import MemoryReader

# Longest path the kernel accepts (PATH_MAX, NUL included).
PATH_LIMIT = 4096
# argv strings are kept whole up to this size: compiler command lines are long.
ARGV_STRING_LIMIT = 128 * 1024
# A runaway argv (or garbage pointer) must not stall the stop for long.
ARGV_MAX_ENTRIES = 4096

Value = str | bytes | int | list[str | bytes] | None
Data = dict[str, Value]
# A step reads one argument: (key in the event's data map, argument index).
Step = tuple[str, int]


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
    paths: tuple[Step, ...] = ()
    strings: tuple[Step, ...] = ()
    argv: tuple[Step, ...] = ()
    envp: tuple[Step, ...] = ()
    buffers_in: tuple[Step, ...] = ()
    buffers_out: tuple[Step, ...] = ()

    @property
    def reads_at_entry(self) -> bool:
        return bool(self.paths or self.strings or self.argv or self.envp or self.buffers_in)


_KIND_FIELDS = {
    "path": "paths",
    "str": "strings",
    "argv": "argv",
    "envp": "envp",
    "buf_in": "buffers_in",
    "buf_out": "buffers_out",
}


def plan_for(syscall: Syscall) -> Plan:
    steps: dict[str, list[Step]] = {field: [] for field in _KIND_FIELDS.values()}
    for index, arg in enumerate(syscall.args):
        field = _KIND_FIELDS.get(arg.kind)
        if field is not None:
            steps[field].append((arg.name, index))
    return Plan(syscall.name, **{field: tuple(found) for field, found in steps.items()})


def plans(arch: int) -> tuple[Plan | None, ...]:
    """Plans indexed by syscall number for one personality."""
    return tuple(None if sc is None else plan_for(sc) for sc in table(arch))


class Decoder:
    """Runs plans against a stopped tracee's memory (tracer thread only)."""

    def __init__(self, memory: MemoryReader, string_limit: int, pointer_size: Callable[[int], int]) -> None:
        self._memory = memory
        self._string_limit = string_limit
        self._pointer_size = pointer_size

    def entry(self, pid: int, arch: int, plan: Plan, args: Sequence[int]) -> Data:
        memory = self._memory
        data: Data = {}
        for key, index in plan.paths:
            raw = memory.read_cstring(pid, args[index], PATH_LIMIT)
            data[key] = None if raw is None else text_or_bytes(raw)
        for key, index in plan.strings:
            raw = memory.read_cstring(pid, args[index], self._string_limit)
            data[key] = None if raw is None else text_or_bytes(raw)
        for key, index in plan.argv:
            data[key] = self._string_array(pid, arch, args[index])
        for key, index in plan.envp:
            pointers = self._pointer_array(pid, arch, args[index])
            data["envc"] = None if pointers is None else len(pointers)
        for key, index in plan.buffers_in:
            # The length is the argument after the buffer (write, pwrite64,
            # sendto...): that is how the tables declare a buf_in.
            length = args[index + 1] if index + 1 < len(args) else 0
            data[key] = memory.read(pid, args[index], min(length, self._string_limit))
        return data

    def exit(self, pid: int, plan: Plan, args: Sequence[int], ret: int) -> Data | None:
        if ret <= 0 or not plan.buffers_out:
            return None
        data: Data = {}
        for key, index in plan.buffers_out:
            data[key] = self._memory.read(pid, args[index], min(ret, self._string_limit))
        return data

    def _pointer_array(self, pid: int, arch: int, addr: int) -> list[int] | None:
        """The pointers of a NULL-terminated array (argv, envp)."""
        if addr == 0:
            return None
        size = self._pointer_size(arch)
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

    def _string_array(self, pid: int, arch: int, addr: int) -> list[str | bytes] | None:
        pointers = self._pointer_array(pid, arch, addr)
        if pointers is None:
            return None
        strings = self._memory.read_cstrings(pid, pointers, ARGV_STRING_LIMIT)
        return [b"" if s is None else text_or_bytes(s) for s in strings]
