"""Shared by the decoder tests: a real tracee's memory laid out by the test,
the tracer's copying step (plan + run: its own readers and MemoryReader)
and the text renderer, so a test goes from registers and memory to the
strace line exactly as a trace would."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from collections.abc import Sequence
from typing import Any, cast

from atrace.events import records as R
from atrace.render.text import TextOptions, TextRenderer
from atrace.syscalls import ARCH_X32, ARCH_X86_64, by_name
from atrace.tracer._ptrace import MemoryReader
from atrace.tracer.decoding import Decoder, Plan

# The tracee whose memory the decoder tests read: a process holding SLOTS
# slots of readable pages, each followed by an unreadable guard page, so a
# region placed at the end of its slot ends where the tracee's readable
# memory ends (a read past it comes back short, as at a real mapping's end).
PAGE = 4096
SLOT_PAGES = 16
SLOTS = 64
_HOLDER = """
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
page, slot, slots = (int(a) for a in sys.argv[1:4])
base = libc.mmap(None, slot * slots, 3, 0x22, -1, 0)  # PROT_READ|WRITE, MAP_PRIVATE|ANONYMOUS
for index in range(slots):
    assert libc.mprotect(base + (index + 1) * slot - page, page, 0) == 0  # PROT_NONE
print(base, flush=True)
sys.stdin.read()
"""


class _Tracee:
    """The holder process, started once for the test session."""

    def __init__(self) -> None:
        slot = SLOT_PAGES * PAGE
        self.process = subprocess.Popen([sys.executable, "-c", _HOLDER, str(PAGE), str(slot), str(SLOTS)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
        assert self.process.stdout is not None
        self.base = int(self.process.stdout.readline())
        self.pid = self.process.pid
        self.next_slot = 0
        self.mem = open(f"/proc/{self.pid}/mem", "r+b", buffering=0)  # noqa: SIM115 (lives as long as the process)
        atexit.register(self.close)

    def place(self, data: bytes) -> int:
        """Write `data` at the end of the next slot; its address there."""
        slot = SLOT_PAGES * PAGE
        assert len(data) <= slot - PAGE, "a region larger than a slot"
        address = self.base + (self.next_slot + 1) * slot - PAGE - len(data)
        self.next_slot = (self.next_slot + 1) % SLOTS
        self.mem.seek(address)
        self.mem.write(data)
        return address

    def close(self) -> None:
        self.mem.close()
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


_tracee: _Tracee | None = None


def tracee() -> _Tracee:
    global _tracee
    if _tracee is None:
        _tracee = _Tracee()
    return _tracee


class _Regions(dict[int, bytes]):
    """A test's address -> bytes map; storing a region writes it into the tracee."""

    def __init__(self, owner: TraceeMemory, regions: dict[int, bytes]) -> None:
        super().__init__()
        self._owner = owner
        for base, data in regions.items():
            self[base] = data

    def __setitem__(self, base: int, data: bytes) -> None:
        super().__setitem__(base, data)
        self._owner.placed[base] = tracee().place(data)


class TraceeMemory:
    """A test's memory layout, in a real process's memory, read with the
    tracer's own MemoryReader (process_vm_readv).

    A test names its regions by small made-up addresses (pointers inside a
    region's bytes use them too); each read's address is moved to where the
    region really is, so the bytes come from the tracee exactly as in a
    trace. An address outside every region is read as it is, and fails as
    an unmapped address does. Reads are logged with the test's addresses.
    """

    def __init__(self, regions: dict[int, bytes]) -> None:
        self.placed: dict[int, int] = {}
        self._regions = _Regions(self, regions)
        self.reads: list[tuple[int, int]] = []
        self._reader = MemoryReader()

    @property
    def regions(self) -> dict[int, bytes]:
        return self._regions

    @regions.setter
    def regions(self, regions: dict[int, bytes]) -> None:
        """What the kernel wrote during the call replaces the regions."""
        self.placed = {}
        self._regions = _Regions(self, regions)

    def _real(self, addr: int) -> int:
        for base, data in self._regions.items():
            if base <= addr < base + len(data):
                return self.placed[base] + addr - base
        return addr

    def read(self, pid: int, addr: int, size: int) -> bytes | None:
        self.reads.append((addr, size))
        return self._reader.read(tracee().pid, self._real(addr) if addr else 0, size)

    def read_cstring(self, pid: int, addr: int, limit: int) -> bytes | None:
        self.reads.append((addr, limit))
        return self._reader.read_cstring(tracee().pid, self._real(addr) if addr else 0, limit)

    def read_cstrings(self, pid: int, addrs: list[int], limit: int) -> list[bytes | None]:
        return self._reader.read_cstrings(tracee().pid, [self._real(a) if a else 0 for a in addrs], limit)


def check_keys(name: str, arch: int, entry: dict[str, Any] | None, exit_: dict[str, Any] | None) -> None:
    """A hand-made data map holds only keys the tracer's own plan for the
    call writes, at entry and at exit: a test cannot show a decoding of data
    the tracer never records."""
    call = by_name(arch, name)
    assert call is not None
    steps = Decoder(cast(MemoryReader, TraceeMemory({})), 32, fd_paths=True).plan_for(call, arch)
    written_at_entry = {key for key, _, _ in steps.entry}
    written_at_exit = {key for key, _, _ in steps.exit}
    assert set(entry or {}) <= written_at_entry, f"{name}: the tracer writes {written_at_entry} at entry"
    assert set(exit_ or {}) <= written_at_exit, f"{name}: the tracer writes {written_at_exit} at exit"


def line(name: str, args: list[int], ret: int, entry: dict[str, Any] | None = None,
         exit_: dict[str, Any] | None = None, arch: int = ARCH_X86_64, **options: Any) -> str:  # fmt: skip
    """The text of one call made by one task, from data maps the tracer
    writes: each value that is the bytes or path an argument points to is
    put into the tracee's memory and read back by the tracer's plan
    (from_tracee); the other values only where the plan writes them
    (check_keys)."""
    entry, exit_ = from_tracee(name, arch, args, ret, entry, exit_, options.get("string_limit", 32))
    return _text(name, args, ret, entry, exit_, arch, options)


def _text(name: str, args: list[int], ret: int, entry: dict[str, Any] | None, exit_: dict[str, Any] | None,
          arch: int, options: dict[str, Any]) -> str:  # fmt: skip
    call = by_name(ARCH_X86_64 if arch == ARCH_X32 else arch, name)
    assert call is not None
    check_keys(name, ARCH_X86_64 if arch == ARCH_X32 else arch, entry, exit_)
    regs = tuple(args + [0] * (6 - len(args)))
    renderer = TextRenderer(TextOptions(personality_notes=False, **options))
    events = [
        (R.SYSCALL_ENTRY, 1_000, 10, 10, arch, call.nr, name, regs, entry or None),
        (R.SYSCALL_EXIT, 2_000, 10, 10, call.nr, ret, exit_ or None),
    ]
    return renderer.render(cast(Any, events)).rstrip("\n")


# How many map values from_tracee put through the tracee, and how many it
# could not (values the plan builds from several reads: lists, dicts...).
CONVERTED = {"read": 0, "kept": 0}


Maps = tuple[dict[str, Any] | None, dict[str, Any] | None]


def from_tracee(name: str, arch: int, args: list[int], ret: int, entry: dict[str, Any] | None,
                exit_: dict[str, Any] | None, limit: int = 32) -> Maps:  # fmt: skip
    """The test's data maps, with every value that is what one argument
    points to (bytes, or a path) written into the tracee at that argument's
    address and read back by the tracer's own plan, which must give the
    same value: a test shows only data the tracer really copies."""
    plan_arch = ARCH_X86_64 if arch == ARCH_X32 else arch
    call = by_name(plan_arch, name)
    assert call is not None
    memory = TraceeMemory({})
    steps = Decoder(cast(MemoryReader, memory), limit, fd_paths=True).plan_for(call, plan_arch)
    regs = list(args) + [0] * (6 - len(args))

    def placeable(data: dict[str, Any] | None, reads: Sequence[tuple[str, int, Any]]) -> dict[str, tuple[int, bytes]]:
        chosen: dict[str, tuple[int, bytes]] = {}
        used: set[int] = set()
        for key, index, _read in reads:
            value = (data or {}).get(key)
            if not isinstance(value, (bytes, str)) or index >= len(args) or not args[index] or args[index] in used:
                continue
            used.add(args[index])
            chosen[key] = (args[index], os.fsencode(value) + b"\0" if isinstance(value, str) else value)
        CONVERTED["read"] += len(chosen)
        CONVERTED["kept"] += len(data or {}) - len(chosen)
        return chosen

    def check(data: dict[str, Any] | None, got: dict[str, Any], phase: str) -> None:
        for key, value in got.items():
            assert value == (data or {})[key], f"{name}: the tracer reads {key}={value!r} at {phase}"

    at_entry = placeable(entry, steps.entry)
    memory.regions = {address: raw for address, raw in at_entry.values()}
    check(entry, {key: read(1, arch, regs, i) for key, i, read in steps.entry if key in at_entry}, "entry")
    if ret >= 0:
        at_exit = placeable(exit_, steps.exit)
        memory.regions = {address: raw for address, raw in at_exit.values()}
        check(exit_, {key: read(1, regs, i, ret) for key, i, read in steps.exit if key in at_exit}, "exit")
    return entry, exit_


def compact(text: str) -> str:
    """Column padding removed."""
    head, _, ret = text.rpartition(" = ")
    return head.rstrip() + " = " + ret


def render(name: str, args: list[int], ret: int, entry: dict[str, Any] | None, exit_: dict[str, Any] | None,
           arch: int = ARCH_X86_64, **options: Any) -> str:  # fmt: skip
    """The strace line of one call by one task, column padding removed
    (the maps go through the tracee as for line)."""
    entry, exit_ = from_tracee(name, arch, args, ret, entry, exit_, options.get("string_limit", 32))
    return compact(_text(name, args, ret, entry, exit_, arch, options))


def render_recorded(name: str, args: list[int], ret: int, entry: dict[str, Any] | None,
                    exit_: dict[str, Any] | None, arch: int = ARCH_X86_64, **options: Any) -> str:  # fmt: skip
    """The line of a call as a recorded trace holds it, maps as given (only
    key-checked): for what older traces or other versions recorded."""
    return compact(_text(name, args, ret, entry, exit_, arch, options))


def plan(name: str, memory: TraceeMemory, arch: int = ARCH_X86_64, limit: int = 32) -> Plan:
    """The tracer's plan for the call, reading from `memory`."""
    call = by_name(arch, name)
    assert call is not None
    return Decoder(cast(MemoryReader, memory), limit).plan_for(call, arch)


def run(p: Plan, args: Sequence[int], ret: int, arch: int = ARCH_X86_64) -> tuple[dict[str, Any], dict[str, Any]]:
    """The entry and exit data the tracer would record (exit only on success)."""
    regs = list(args) + [0] * (6 - len(args))
    entry = {key: read(1, arch, regs, i) for key, i, read in p.entry}
    exit_ = {key: read(1, regs, i, ret) for key, i, read in p.exit} if ret >= 0 or ret in p.exit_errors else {}
    return entry, exit_


def trace(name: str, memory: TraceeMemory, args: list[int], ret: int, arch: int = ARCH_X86_64, limit: int = 32,
          **options: Any) -> str:  # fmt: skip
    """Copy as the tracer does, then render: the whole path (`options`:
    more text options, such as const_style)."""
    entry, exit_ = run(plan(name, memory, arch, limit), args, ret, arch)
    return compact(_text(name, args, ret, entry, exit_, arch, {"string_limit": limit, **options}))


class InPlace(TraceeMemory):
    """Memory the kernel changes during the call: `after` replaces the
    regions once the entry has been read."""

    def __init__(self, before: dict[int, bytes], after: dict[int, bytes]) -> None:
        super().__init__(before)
        self.after = after


def trace_in_place(name: str, memory: InPlace, args: list[int], ret: int, arch: int = ARCH_X86_64) -> str:
    p = plan(name, memory, arch)
    regs = list(args) + [0] * (6 - len(args))
    entry = {key: read(1, arch, regs, i) for key, i, read in p.entry}
    memory.regions = memory.after
    exit_ = {key: read(1, regs, i, ret) for key, i, read in p.exit}
    return render(name, args, ret, entry, exit_, arch)
