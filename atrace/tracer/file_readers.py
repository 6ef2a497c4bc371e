"""Reads of the file calls that depend on more than one argument (tracer
thread only): what lies past the struct open_how openat2's size covers."""

from __future__ import annotations

from collections.abc import Sequence

from ._ptrace import MemoryReader
from .readers import Reader, Value

# struct open_how as the kernel first defined it (OPEN_HOW_SIZE_VER0): what
# the open_how kind copies; the kernel checks that the bytes past it are 0.
OPEN_HOW_SIZE = 24
# At most this many of those bytes are copied (strace shows all of a larger
# struct's bytes; a size beyond a page is an error the kernel returns first).
OPEN_HOW_TAIL_LIMIT = 4096


def open_how_tail(memory: MemoryReader) -> Reader:
    """openat2's `how_tail`: the bytes of its struct past the first 24 when
    its size says there are more (None: unreadable, as strace's `???`)."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        size = args[3]
        if args[2] == 0 or size <= OPEN_HOW_SIZE:
            return b""
        wanted = min(size, OPEN_HOW_TAIL_LIMIT) - OPEN_HOW_SIZE
        got = memory.read(pid, args[2] + OPEN_HOW_SIZE, wanted)
        return None if got is None or len(got) < wanted else got

    return read


# struct landlock_ruleset_attr's first version: handled_access_fs (a u64).
RULESET_ATTR_SIZE = 8
# struct landlock_path_beneath_attr (packed): allowed_access, parent_fd.
PATH_BENEATH_SIZE = 12
LANDLOCK_RULE_PATH_BENEATH = 1


def ruleset_attr(memory: MemoryReader) -> Reader:
    """landlock_create_ruleset's `ruleset`: its struct's bytes as far as its
    size and readable memory go (None: not even the first 8)."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        size = args[1]
        if args[0] == 0 or size < RULESET_ATTR_SIZE:
            return None
        got = memory.read(pid, args[0], min(size, OPEN_HOW_TAIL_LIMIT))
        return got if got is not None and len(got) >= RULESET_ATTR_SIZE else None

    return read


def rule_attr(memory: MemoryReader) -> Reader:
    """landlock_add_rule's `rule`: a path-beneath rule's 12 bytes, or None."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        if args[1] & 0xFFFFFFFF != LANDLOCK_RULE_PATH_BENEATH or args[2] == 0:
            return None
        got = memory.read(pid, args[2], PATH_BENEATH_SIZE)
        return got if got is not None and len(got) == PATH_BENEATH_SIZE else None

    return read


def rule_parent_path(memory: MemoryReader) -> Reader:
    """-y: `parent_fd_path`, the path of a path-beneath rule's parent_fd."""
    from .fd_paths import fd_path

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        raw = rule_attr(memory)(pid, arch, args, index)
        if not isinstance(raw, bytes):
            return None
        return fd_path(pid, arch, [int.from_bytes(raw[8:12], "little")], 0)

    return read


# struct mount_attr's first version (MOUNT_ATTR_SIZE_VER0).
MOUNT_ATTR_SIZE = 32


def mount_attr(memory: MemoryReader) -> Reader:
    """mount_setattr's `attr`: its struct's bytes as far as its size (at
    most 4,096) and readable memory go; None when not even the first 32."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        size = args[4]
        if args[3] == 0 or size < MOUNT_ATTR_SIZE:
            return None
        got = memory.read(pid, args[3], min(size, OPEN_HOW_TAIL_LIMIT))
        return got if got is not None and len(got) >= MOUNT_ATTR_SIZE else None

    return read


def userns_fd_path(memory: MemoryReader) -> Reader:
    """-y: `userns_fd_path`, the path of mount_setattr's struct's userns_fd."""
    from .fd_paths import fd_path

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        raw = mount_attr(memory)(pid, arch, args, index)
        if not isinstance(raw, bytes):
            return None
        return fd_path(pid, arch, [int.from_bytes(raw[24:32], "little")], 0)

    return read
