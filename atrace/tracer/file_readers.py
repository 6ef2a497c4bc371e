"""Reads of the file calls that depend on more than one argument (tracer
thread only): what lies past the struct open_how openat2's size covers."""

from __future__ import annotations

from collections.abc import Sequence

from ..syscalls.abi import ARCH_I386, ARCH_X86_64
from ..syscalls.kinds import MSGHDR
from ._ptrace import MemoryReader
from .readers import CONTROL_LIMIT, ExitReader, Reader, Value

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


def extensible_struct(memory: MemoryReader, address: int, size: int, known: int) -> Reader:
    """A struct whose size another argument gives (arguments `address` and
    `size`), that the kernel may extend: its bytes as far as that size (at
    most 4,096) and readable memory go; None when not even the `known` first."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        length = args[size]
        if args[address] == 0 or length < known:
            return None
        got = memory.read(pid, args[address], min(length, OPEN_HOW_TAIL_LIMIT))
        return got if got is not None and len(got) >= known else None

    return read


def ruleset_attr(memory: MemoryReader) -> Reader:
    """landlock_create_ruleset's `ruleset` (None: not even the first 8)."""
    return extensible_struct(memory, 0, 1, RULESET_ATTR_SIZE)


def struct_fd_path(struct: Reader, offset: int) -> Reader:
    """-y: the path of the fd in a struct another reader copies, at `offset`."""
    from .fd_paths import fd_path

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        raw = struct(pid, arch, args, index)
        if not isinstance(raw, bytes) or len(raw) < offset + 4:
            return None
        return fd_path(pid, arch, [int.from_bytes(raw[offset : offset + 4], "little")], 0)

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
    return struct_fd_path(rule_attr(memory), 8)


# struct mount_attr's first version (MOUNT_ATTR_SIZE_VER0).
MOUNT_ATTR_SIZE = 32


def mount_attr(memory: MemoryReader) -> Reader:
    """mount_setattr's `attr` (None: not even the first 32 bytes)."""
    return extensible_struct(memory, 3, 4, MOUNT_ATTR_SIZE)


def userns_fd_path(memory: MemoryReader) -> Reader:
    """-y: `userns_fd_path`, the path of mount_setattr's struct's userns_fd."""
    return struct_fd_path(mount_attr(memory), 24)


def uring_wq_fd_path(memory: MemoryReader) -> Reader:
    """-y: `wq_fd_path`, the path of io_uring_setup's struct io_uring_params' wq_fd."""

    def params(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        return memory.read(pid, args[index], 28)

    return struct_fd_path(params, 24)


# struct sockaddr_xdp (linux/if_xdp.h): family, flags, ifindex, queue_id,
# shared_umem_fd at 12; its fd means a socket only with XDP_SHARED_UMEM.
_AF_XDP, _XDP_SHARED_UMEM, _SOCKADDR_XDP_SIZE = 44, 1, 16


def xdp_umem_fd_path(memory: MemoryReader) -> Reader:
    """-y: `<addr>_umem_fd_path`, the path of an AF_XDP address's shared_umem_fd."""

    def address(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        if args[index + 1] & 0xFFFFFFFF < _SOCKADDR_XDP_SIZE:
            return None
        raw = memory.read(pid, args[index], _SOCKADDR_XDP_SIZE)
        if raw is None or len(raw) < _SOCKADDR_XDP_SIZE:
            return None
        family, flags = int.from_bytes(raw[:2], "little"), int.from_bytes(raw[2:4], "little")
        return raw if family == _AF_XDP and flags & _XDP_SHARED_UMEM else None

    return struct_fd_path(address, 12)


# SCM_RIGHTS (SOL_SOCKET 1, type 1): the fds a message passes.
_SOL_SOCKET, _SCM_RIGHTS = 1, 1


def _rights_paths(memory: MemoryReader, pid: int, addr: int, wide: bool) -> Value:
    """-y: the paths of the fds of a msghdr's SCM_RIGHTS messages, in order."""
    from .fd_paths import fd_path

    layout = MSGHDR.struct(ARCH_X86_64 if wide else ARCH_I386)
    raw = memory.read(pid, addr, layout.size)
    if raw is None or len(raw) < layout.size:
        return None
    *_, control, controllen, _flags = layout.unpack_from(raw)
    data = memory.read(pid, control, min(controllen, CONTROL_LIMIT)) if control and controllen else None
    header, align = (16, 8) if wide else (12, 4)
    paths: list[Value] = []
    offset = 0
    while data is not None and offset + header <= len(data):
        length = int.from_bytes(data[offset : offset + (8 if wide else 4)], "little")
        level = int.from_bytes(data[offset + header - 8 : offset + header - 4], "little")
        kind = int.from_bytes(data[offset + header - 4 : offset + header], "little")
        if length < header:
            break
        if (level, kind) == (_SOL_SOCKET, _SCM_RIGHTS):
            fds = data[offset + header : offset + length]
            paths += [fd_path(pid, ARCH_X86_64, [int.from_bytes(fds[i : i + 4], "little", signed=True)], 0)
                      for i in range(0, len(fds) - 3, 4)]  # fmt: skip
        offset += (length + align - 1) // align * align
    return paths or None


def sent_rights_paths(memory: MemoryReader) -> Reader:
    """sendmsg at entry: the paths of the fds it passes (-y)."""

    def read(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
        return _rights_paths(memory, pid, args[index], arch != ARCH_I386)

    return read


def received_rights_paths(memory: MemoryReader, wide: bool) -> ExitReader:
    """recvmsg at exit: the paths of the fds it received (-y)."""

    def read(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
        return _rights_paths(memory, pid, args[index], wide)

    return read
