"""NUMA node masks (set_mempolicy, get_mempolicy, mbind), shared by the
tracer (how many words to copy) and the renderer (how many to show)."""

from __future__ import annotations


def nodemask_words(maxnode: int, bits: int) -> int:
    """How many words (unsigned longs of `bits` bits) of a node mask strace
    shows: the kernel reads maxnode - 1 bits.  0 when maxnode makes no whole
    word, or overflows strace's 64-bit arithmetic (strace then shows the
    address; for a maxnode of 0 it shows `[]`)."""
    words = (maxnode + bits - 2) // bits
    return words if maxnode and maxnode + bits - 2 < 1 << 64 else 0
