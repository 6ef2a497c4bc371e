"""How many bytes the tracer copies for a fixed-size kind, in each ABI and
call (most by their layout; i386's old stat calls fill a smaller struct)."""

from __future__ import annotations

from .abi import ARCH_I386
from .kinds import I386_OLD_STAT, Kind

# i386's stat/lstat/fstat fill the 64-byte struct stat; the *64 calls and
# fstatat64 fill the 96-byte struct stat64.
I386_OLD_STAT_CALLS = frozenset({"stat", "lstat", "fstat", "oldstat", "oldlstat", "oldfstat"})


def copy_size(kind: Kind, arch: int, call: str) -> int:
    """Bytes the tracer copies for a fixed-size kind in that ABI and call."""
    assert kind.layout is not None
    if kind.name == "stat_out" and arch == ARCH_I386 and call in I386_OLD_STAT_CALLS:
        return I386_OLD_STAT.size
    return kind.layout.size(arch)
