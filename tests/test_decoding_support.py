"""The decoder tests' memory is a real tracee's: the bytes the tracer's
readers return come from that process, not from the test's map."""

from __future__ import annotations

import struct

from decoding_support import TraceeMemory, plan, run, tracee


def test_reads_come_from_the_tracee() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<qq", 1, 2)})
    real = memory.placed[0x1000]
    assert real != 0x1000
    assert memory.read(0, 0x1000, 16) == struct.pack("<qq", 1, 2)
    # Change the tracee behind the map's back: the read sees the tracee.
    holder = tracee()
    holder.mem.seek(real)
    holder.mem.write(struct.pack("<qq", 7, 8))
    assert memory.read(0, 0x1000, 16) == struct.pack("<qq", 7, 8)
    assert memory.regions[0x1000] == struct.pack("<qq", 1, 2)


def test_a_region_ends_where_readable_memory_ends() -> None:
    memory = TraceeMemory({0x1000: b"abcd"})
    assert memory.read(0, 0x1002, 64) == b"cd"  # short, as at a mapping's end
    assert memory.read(0, 0x2000, 8) is None  # outside every region: unmapped


def test_the_tracers_plan_reads_the_tracee() -> None:
    memory = TraceeMemory({0x1000: b"/etc/hosts\0"})
    entry, _exit = run(plan("unlink", memory), [0x1000], 0)
    assert entry == {"pathname": "/etc/hosts"}
    holder = tracee()
    holder.mem.seek(memory.placed[0x1000])
    holder.mem.write(b"/tmp/other\0")
    entry, _exit = run(plan("unlink", memory), [0x1000], 0)
    assert entry == {"pathname": "/tmp/other"}
