"""Shared by the decoder tests: a fake tracee memory, the tracer's copying
step (plan + run) and the text renderer, so a test can go from registers and
memory to the strace line exactly as a trace would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from atrace.events import records as R
from atrace.render.text import TextOptions, TextRenderer
from atrace.syscalls import ARCH_X32, ARCH_X86_64, by_name
from atrace.tracer._ptrace import MemoryReader
from atrace.tracer.decoding import Decoder, Plan


class FakeMemory:
    """A tracee's memory: a few regions at fixed addresses; reads are logged."""

    def __init__(self, regions: dict[int, bytes]) -> None:
        self.regions = regions
        self.reads: list[tuple[int, int]] = []

    def read(self, pid: int, addr: int, size: int) -> bytes | None:
        self.reads.append((addr, size))
        if addr == 0 or size <= 0:
            return b"" if size <= 0 else None
        for base, data in self.regions.items():
            if base <= addr < base + len(data):
                return data[addr - base : addr - base + size]
        return None

    def read_cstring(self, pid: int, addr: int, limit: int) -> bytes | None:
        raw = self.read(pid, addr, limit)
        return None if raw is None else raw.split(b"\0", 1)[0]


def check_keys(name: str, arch: int, entry: dict[str, Any] | None, exit_: dict[str, Any] | None) -> None:
    """A hand-made data map holds only keys the tracer's own plan for the
    call writes, at entry and at exit: a test cannot show a decoding of data
    the tracer never records."""
    call = by_name(arch, name)
    assert call is not None
    steps = Decoder(cast(MemoryReader, FakeMemory({})), 32, fd_paths=True).plan_for(call, arch)
    written_at_entry = {key for key, _, _ in steps.entry}
    written_at_exit = {key for key, _, _ in steps.exit}
    assert set(entry or {}) <= written_at_entry, f"{name}: the tracer writes {written_at_entry} at entry"
    assert set(exit_ or {}) <= written_at_exit, f"{name}: the tracer writes {written_at_exit} at exit"


def line(name: str, args: list[int], ret: int, entry: dict[str, Any] | None = None,
         exit_: dict[str, Any] | None = None, arch: int = ARCH_X86_64, **options: Any) -> str:  # fmt: skip
    """The text of one call made by one task, from data maps the tracer
    would write (check_keys)."""
    call = by_name(arch, name)
    assert call is not None
    check_keys(name, arch, entry, exit_)
    regs = tuple(args + [0] * (6 - len(args)))
    renderer = TextRenderer(TextOptions(personality_notes=False, **options))
    events = [
        (R.SYSCALL_ENTRY, 1_000, 10, 10, arch, call.nr, name, regs, entry),
        (R.SYSCALL_EXIT, 2_000, 10, 10, call.nr, ret, exit_),
    ]
    return renderer.render(cast(Any, events)).rstrip("\n")


def compact(text: str) -> str:
    """Column padding removed."""
    head, _, ret = text.rpartition(" = ")
    return head.rstrip() + " = " + ret


def render(name: str, args: list[int], ret: int, entry: dict[str, Any] | None, exit_: dict[str, Any] | None,
           arch: int = ARCH_X86_64, **options: Any) -> str:  # fmt: skip
    """The strace line of one call by one task, column padding removed."""
    call = by_name(ARCH_X86_64 if arch == ARCH_X32 else arch, name)
    assert call is not None
    check_keys(name, ARCH_X86_64 if arch == ARCH_X32 else arch, entry, exit_)
    regs = tuple(args + [0] * (6 - len(args)))
    renderer = TextRenderer(TextOptions(personality_notes=False, **options))
    events = [
        (R.SYSCALL_ENTRY, 1_000, 10, 10, arch, call.nr, name, regs, entry or None),
        (R.SYSCALL_EXIT, 2_000, 10, 10, call.nr, ret, exit_ or None),
    ]
    head, _, result = renderer.render(cast(Any, events)).rstrip("\n").rpartition(" = ")
    return head.rstrip() + " = " + result


def plan(name: str, memory: FakeMemory, arch: int = ARCH_X86_64, limit: int = 32) -> Plan:
    """The tracer's plan for the call, reading from `memory`."""
    call = by_name(arch, name)
    assert call is not None
    return Decoder(cast(MemoryReader, memory), limit).plan_for(call, arch)


def run(p: Plan, args: Sequence[int], ret: int, arch: int = ARCH_X86_64) -> tuple[dict[str, Any], dict[str, Any]]:
    """The entry and exit data the tracer would record (exit only on success)."""
    regs = list(args) + [0] * (6 - len(args))
    entry = {key: read(1, arch, regs, i) for key, i, read in p.entry}
    exit_ = {key: read(1, regs, i, ret) for key, i, read in p.exit} if ret >= 0 else {}
    return entry, exit_


def trace(name: str, memory: FakeMemory, args: list[int], ret: int, arch: int = ARCH_X86_64, limit: int = 32) -> str:
    """Copy as the tracer does, then render: the whole path."""
    entry, exit_ = run(plan(name, memory, arch, limit), args, ret, arch)
    return render(name, args, ret, entry, exit_, arch, string_limit=limit)
