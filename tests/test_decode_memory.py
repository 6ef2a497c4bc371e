"""Decoding of memory calls: mmap and friends, NUMA memory policies."""

from __future__ import annotations

import struct

from decoding_support import TraceeMemory, compact, line, render, trace

from atrace.syscalls import ARCH_I386
from atrace.syscalls.numa import nodemask_words

EFAULT, EINVAL, ENOTTY = -14, -22, -25


def test_mmap_family() -> None:
    assert compact(line("mmap", [0, 8192, 3, 0x22, 2**64 - 1, 0], 0x7F0000000000)) == (
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000"
    )
    assert compact(line("mmap", [0x7F00, 4096, 5, 0x812, 3, 0x7000], 0x7F00)).endswith("3, 0x7000) = 0x7f00")
    assert compact(line("mprotect", [0x1000, 4096, 0], 0)) == "mprotect(0x1000, 4096, PROT_NONE) = 0"
    assert compact(line("madvise", [0x1000, 4096, 4], 0)) == "madvise(0x1000, 4096, MADV_DONTNEED) = 0"
    assert compact(line("brk", [0], 0x55000000)) == "brk(NULL) = 0x55000000"


# -- set_mempolicy, get_mempolicy, mbind -------------------------------------


def test_nodemask_words_follow_maxnode_minus_one_bits() -> None:
    assert [nodemask_words(n, 64) for n in (0, 1, 2, 64, 65, 66, 129)] == [0, 0, 1, 1, 1, 2, 2]
    assert nodemask_words(64, 32) == 2
    assert nodemask_words((1 << 64) - 1, 64) == 0  # overflows strace's arithmetic


def test_set_mempolicy_masks_per_abi() -> None:
    words = struct.pack("<4Q", 1, 0, 3, 4)
    text = trace("set_mempolicy", TraceeMemory({0x1000: words}), [1, 0x1000, 64], 0)
    assert text == "set_mempolicy(MPOL_PREFERRED, [0x00000000000001], 64) = 0"
    i386 = trace("set_mempolicy", TraceeMemory({0x1000: struct.pack("<4I", 1, 0x10001, 0, 0)}), [1, 0x1000, 64], 0,
                 ARCH_I386)  # fmt: skip
    assert i386 == "set_mempolicy(MPOL_PREFERRED, [0x000001, 0x010001], 64) = 0"
    # maxnode 0 is an empty mask, 1 leaves no whole word: the address.
    assert trace("set_mempolicy", TraceeMemory({0x1000: words}), [1, 0x1000, 0], EINVAL).startswith(
        "set_mempolicy(MPOL_PREFERRED, [], 0) = -1"
    )
    assert trace("set_mempolicy", TraceeMemory({0x1000: words}), [1, 0x1000, 1], 0) == (
        "set_mempolicy(MPOL_PREFERRED, 0x1000, 1) = 0"
    )


def test_set_mempolicy_modes_flags_and_cut() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<8Q", *range(1, 9))})
    text = trace("set_mempolicy", memory, [2 | 1 << 15, 0x1000, 8 * 64], 0, limit=3)
    assert text == (
        "set_mempolicy(MPOL_BIND|MPOL_F_STATIC_NODES, [0x00000000000001, 0x00000000000002, 0x00000000000003, ...], "
        "512) = 0"
    )
    # Only the words -s shows are copied, and the one after (which tells `...`).
    assert memory.reads == [(0x1000, 32)]
    # Readable memory ends inside the mask: where, after the words read.
    ending = trace("set_mempolicy", TraceeMemory({0x1000: struct.pack("<Q", 0)}), [0, 0x1000, 66], EFAULT, limit=3)
    assert ending == "set_mempolicy(MPOL_DEFAULT, [0000000000000000, ... /* 0x1008 */], 66) = -1 EFAULT (Bad address)"
    # Not even the first word: the address.
    assert trace("set_mempolicy", TraceeMemory({0x1000: b"\0"}), [0, 0x1000, 2], EFAULT, limit=3) == (
        "set_mempolicy(MPOL_DEFAULT, 0x1000, 2) = -1 EFAULT (Bad address)"
    )
    unknown = trace("set_mempolicy", TraceeMemory({}), [99, 0, 0], EINVAL)
    assert unknown == "set_mempolicy(0x63 /* MPOL_??? */, NULL, 0) = -1 EINVAL (Invalid argument)"


def test_get_mempolicy_fills_mode_and_mask() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<i", 1), 0x2000: struct.pack("<Q", 0)})
    text = trace("get_mempolicy", memory, [0x1000, 0x2000, 64, 0, 2], 0)
    assert text == "get_mempolicy([MPOL_PREFERRED], [0000000000000000], 64, NULL, MPOL_F_ADDR) = 0"
    failed = trace("get_mempolicy", memory, [0x1000, 0x2000, 65, 0, 3], EFAULT)
    assert failed == "get_mempolicy(0x1000, 0x2000, 65, NULL, MPOL_F_NODE|MPOL_F_ADDR) = -1 EFAULT (Bad address)"


def test_mbind_mode_is_an_unsigned_long() -> None:
    assert trace("mbind", TraceeMemory({}), [0x7000, 4096, 0xFFFFFFFF00000000, 0, 0, 0], EINVAL).startswith(
        "mbind(0x7000, 4096, 0xffffffff00000000 /* MPOL_??? */, NULL, 0, 0)"
    )


def test_mbind_mode_mask_and_flags() -> None:
    memory = TraceeMemory({0x1000: struct.pack("<Q", 1)})
    text = trace("mbind", memory, [0x7000, 4096, 2, 0x1000, 64, 7], EINVAL)
    assert text == (
        "mbind(0x7000, 4096, MPOL_BIND, [0x00000000000001], 64, MPOL_MF_STRICT|MPOL_MF_MOVE|MPOL_MF_MOVE_ALL)"
        " = -1 EINVAL (Invalid argument)"
    )
    unknown = trace("mbind", memory, [0, 4096, 7, 0x1000, 64, 8], EINVAL)
    assert unknown.startswith("mbind(NULL, 4096, 0x7 /* MPOL_??? */, [0x00000000000001], 64, 0x8 /* MPOL_??? */)")


def test_move_pages_arrays() -> None:
    """pages and nodes at entry, status at exit (only when the call
    succeeded): -s elements, `...` past them, where memory ends."""
    memory = TraceeMemory({0x1000: struct.pack("<3Q", 0x7000, 0x8000, 0x9000), 0x2000: struct.pack("<i", 1),
                           0x3000: struct.pack("<2i", -14, 0)})  # fmt: skip
    text = trace("move_pages", memory, [7, 2, 0x1000, 0, 0x3000, 2], 0)
    assert text == "move_pages(7, 2, [0x7000, 0x8000], NULL, [-EFAULT, 0], MPOL_MF_MOVE) = 0"
    failed = trace("move_pages", memory, [7, 2, 0x1000, 0x2000, 0x3000, 4], -19)
    assert failed == (
        "move_pages(7, 2, [0x7000, 0x8000], [1, ... /* 0x2004 */], 0x3000, MPOL_MF_MOVE_ALL) = -1 ENODEV"
        " (No such device)"
    )
    cut = trace("move_pages", memory, [7, 3, 0x1000, 0, 0x3000, 2], -14, limit=2)
    assert cut.startswith("move_pages(7, 3, [0x7000, 0x8000, ...], NULL, 0x3000, MPOL_MF_MOVE)")
    assert trace("move_pages", memory, [7, 0, 0x1000, 0x2000, 0x3000, 4], -1).startswith(
        "move_pages(7, 0, [], [], [], MPOL_MF_MOVE_ALL)"
    )
    raw = render("move_pages", [7, 1, 0x1000, 0, 0x3000, 2], 0, {"pages": struct.pack("<Q", 0x7000)},
                 {"status": struct.pack("<i", -14)}, const_style="verbose")  # fmt: skip
    assert raw == "move_pages(7, 1, [0x7000], NULL, [-14 /* -EFAULT */], 0x2 /* MPOL_MF_MOVE */) = 0"
