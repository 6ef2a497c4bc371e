"""The tracer's plans decide, per ABI and number, the call's name, its reads
and whether it is recorded: x32 calls are named and decoded from x32's
table, and the recorded numbers are those of the trace set."""

from __future__ import annotations

from typing import cast

import pytest
from conftest import syscalls
from decoding_support import FakeMemory

import atrace
from atrace.filters import syscall_set
from atrace.syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64, by_name, table
from atrace.tracer._ptrace import MemoryReader
from atrace.tracer.decoding import Decoder, recorded_numbers

ARCHES = (ARCH_X86_64, ARCH_I386, ARCH_X32)


def test_x32_calls_are_named_and_decoded_from_the_x32_table(trace, program) -> None:
    proc, events = trace([str(program("x32_calls"))])
    assert proc.returncode == 0
    entries = [e for e in events if isinstance(e, atrace.SyscallEntry) and e.arch == ARCH_X32]
    assert [e.name for e in entries] == ["getpid", "writev", "rt_sigpending"]
    assert [e.nr for e in entries] == [39, 516, 522]
    # writev's iovec was read with x32's layout (32-bit words).
    (writev,) = [e for e in entries if e.name == "writev"]
    assert writev.data == {"vec": [[b"x32 says hi\n", 12]]}


def test_the_trace_set_decides_for_x32_too(trace, program) -> None:
    proc, events = trace([str(program("x32_calls"))], options=("-e", "trace=rt_sigpending,getpid"))
    assert proc.returncode == 0
    names = [(e.arch, e.name) for e in events if isinstance(e, atrace.SyscallEntry)]
    assert (ARCH_X32, "rt_sigpending") in names and (ARCH_X32, "getpid") in names
    assert {name for _, name in names} <= {"rt_sigpending", "getpid"}
    # Every recorded entry has its exit.
    entries, exits = syscalls(events, "rt_sigpending", arch=ARCH_X32)
    assert len(entries) == len(exits) == 1


@pytest.mark.parametrize("arch", ARCHES)
def test_plans_record_what_the_trace_set_selects(arch: int) -> None:
    chosen = syscall_set("%signal,openat")
    assert chosen is not None
    plans = Decoder(cast(MemoryReader, FakeMemory({})), 32, recorded=chosen).plans(arch)
    recorded = {nr for nr, plan in enumerate(plans) if plan is not None and plan.recorded}
    assert recorded == recorded_numbers(arch, chosen) == chosen[arch]
    openat = by_name(arch, "openat")
    kill = by_name(arch, "kill")
    assert openat is not None and kill is not None
    assert {openat.nr, kill.nr} <= recorded
    assert len(recorded) < len(plans) // 4


@pytest.mark.parametrize("arch", ARCHES)
def test_every_number_of_a_table_has_a_plan(arch: int) -> None:
    plans = Decoder(cast(MemoryReader, FakeMemory({})), 32).plans(arch)
    calls = table(arch)
    assert len(plans) == len(calls)
    for nr, (plan, call) in enumerate(zip(plans, calls, strict=True)):
        assert plan is not None and plan.recorded
        assert plan.name == (f"syscall_{nr}" if call is None else call.name)
    assert recorded_numbers(arch, None) == frozenset(range(len(calls)))
