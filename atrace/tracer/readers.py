"""The readers the tracer's plans call: each copies, from a stopped tracee,
the memory one argument needs (tracer thread only).

Readers copy what an option asks for and nothing more: strings and buffers
up to the -s limit, structs as raw bytes in one read.  Which reader an
argument gets is decided by its kind's declaration (atrace.syscalls.kinds)
in atrace.tracer.decoding.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from typing import Any

from ..syscalls import ARCH_I386, ARCH_X86_64, fcntls, ioctls
from ..syscalls.abi import signed
from ..syscalls.calls import (
    CLONE_ARGS_READ_MAX,
    CLONE_PARENT_SETTID,
    CLONE_PIDFD,
    EPOLL_CTL_DEL,
    FUTEX_CMD_MASK,
    FUTEX_TIMED,
    SIGSET_BYTES,
)
from ..syscalls.kinds import MMSGHDR, MSGHDR
from ..syscalls.numa import nodemask_words
from ._ptrace import MemoryReader
from .exec_readers import ExecReaders
from .proc_readers import ExitReader as ExitReader
from .proc_readers import ProcessReaders
from .proc_readers import Reader as Reader
from .proc_readers import Value as Value
from .shapes import fdset_bytes, whole
from .shapes import text_or_bytes as text_or_bytes

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# Longest path the kernel accepts (PATH_MAX, NUL included).
PATH_LIMIT = 4096

Step = tuple[str, int, Reader]
ExitStep = tuple[str, int, ExitReader]


# Writes to fd 2 (write, pwrite64, sendto on fd 2) are recorded up to this
# many bytes per call even when -s is smaller (docs/FORMAT.md).
STDERR_FD = 2
STDERR_CAPTURE = 4096


# Arrays of records that could be huge: at most this many are copied.
MAX_RECORDS = 1024
# getdents: one read of the records the call returned, at most this much.
DIRENTS_LIMIT = 32 * 1024
# CPU masks: at most this many bytes (8192 CPUs).
CPUSET_LIMIT = 1024


# ioctl requests whose argument points to memory: bytes to copy at entry
# (what the request passes in) and at exit (what the kernel writes back),
# by atrace.syscalls.ioctls.read_size.

# Longest msg_name copied (a sockaddr_storage) and msg_control copied.
SOCKADDR_LIMIT = 128
CONTROL_LIMIT = 4096

# A classic BPF program has at most BPF_MAXINSNS (4096) instructions of 8 bytes.
BPF_MAXINSNS = 4096


def read_fprog(memory: MemoryReader, pid: int, addr: int, wide: bool) -> Value:
    """A struct sock_fprog: [len, filter address, the instructions' bytes
    or nil] (a seccomp filter, a socket filter)."""
    size = 16 if wide else 8
    raw = memory.read(pid, addr, size)
    if raw is None or len(raw) < size:
        return None
    count = int.from_bytes(raw[:2], "little")
    filt = int.from_bytes(raw[size // 2 : size], "little")
    code = memory.read(pid, filt, 8 * min(count, BPF_MAXINSNS)) if count and filt else None
    return [count, filt, code]


class Readers(ProcessReaders, ExecReaders):
    """The readers, bound to one tracee memory and the -s limit."""

    def __init__(self, memory: MemoryReader, string_limit: int) -> None:
        self._memory = memory
        self._string_limit, self.keep_partial = string_limit, False  # see Decoder._whole

    # -- entry readers -------------------------------------------------

    def _path(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        raw = self._memory.read_cstring(pid, args[index], PATH_LIMIT)
        if raw is None:
            return None
        try:
            return raw.decode()
        except UnicodeDecodeError:
            return raw

    def _string(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # One byte past -s: strace marks a longer string with `...`.
        raw = self._memory.read_cstring(pid, args[index], self._string_limit + 1)
        return None if raw is None else text_or_bytes(raw)

    def _buffer_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # The length is the argument after the buffer (write, pwrite64,
        # sendto...): that is how the tables declare a buf_in.
        length = args[index + 1] if index + 1 < len(args) else 0
        limit = self._string_limit
        if index == 1 and args[0] == STDERR_FD:
            # What a failing build step says on stderr is what its report
            # must show, whatever -s is (the text output still cuts at -s).
            limit = max(limit, STDERR_CAPTURE)
        # strace reads what it shows and, of a longer buffer, one byte more
        # (to know it is longer), all of it or nothing (then it shows the
        # address): so does this.
        want = min(length, limit + 1)
        raw = self._memory.read(pid, args[index], want)
        return None if raw is None or (len(raw) < want and not self.keep_partial) else raw

    def _iov_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        count = args[index + 1] if index + 1 < len(args) else 0
        return self._iovecs(pid, args[index], count, arch == ARCH_X86_64, None)

    def _sockaddr_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        length = args[index + 1] & 0xFFFFFFFF if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], min(length, 128))

    def _pollfd(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        count = min(args[index + 1] & 0xFFFFFFFF, MAX_RECORDS) if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], 8 * count)

    def _fdset(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        return fdset_bytes(self._memory, pid, args[index], signed(args[0], 32), 8 if arch == ARCH_X86_64 else 4)

    def _ioctl_entry(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        return self._ioctl_arg(pid, args, index, "in", None)

    def _msghdr_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        return self._msghdr(pid, args[index], arch != ARCH_I386, None)

    def _msghdr_head(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """recvmsg at entry: the header alone, for the msg_namelen going in."""
        return self._memory.read(pid, args[index], MSGHDR.size(arch))

    def _socklen(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        raw = self._memory.read(pid, args[index], 4)
        return int.from_bytes(raw, "little") if raw and len(raw) == 4 else None

    def _clone_args(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        size = args[index + 1] if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], min(size, CLONE_ARGS_READ_MAX))

    def _epoll_event(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        if args[index - 2] & 0xFFFFFFFF == EPOLL_CTL_DEL:
            return None  # the kernel ignores the event: nothing to copy
        return self._memory.read(pid, args[index], 12)

    def _fcntl_entry(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        size = fcntls.lock_size(args[index - 1] & 0xFFFFFFFF, arch != ARCH_I386, "in")
        return self._memory.read(pid, args[index], size) if size else None

    def _nodemask_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        return self._nodemask(pid, args[index], args[index + 1], arch != ARCH_I386)

    def _nodemask(self, pid: int, addr: int, maxnode: int, wide: bool) -> Value:
        """A node mask's words (maxnode - 1 bits, as the kernel reads them),
        only as many as -s shows and one more (which tells `...`)."""
        words = nodemask_words(maxnode, 64 if wide else 32)
        if not addr or not words:
            return None
        return self._memory.read(pid, addr, (8 if wide else 4) * min(words, self._string_limit + 1))

    def _cpuset_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # The mask's size in bytes is the argument before it.
        return self._memory.read(pid, args[index], min(args[index - 1] & 0xFFFFFFFF, CPUSET_LIMIT))

    def _gid_list_in(self, size: int) -> Reader:
        """setgroups: the count is the argument before the list; only as
        many gids as -s shows (and one more, which tells `...`) are copied."""
        read = self._memory.read

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            count = signed(args[index - 1], 32)
            return read(pid, args[index], size * min(count, self._string_limit + 1)) if count >= 0 else None

        return reader

    def _futex_timeout(self, time64: bool) -> Reader:
        """futex's timeout, for the commands that take one: a timespec of the
        ABI (futex) or a 64-bit one (i386's futex_time64)."""
        read = self._memory.read

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            if args[1] & FUTEX_CMD_MASK not in FUTEX_TIMED:
                return None
            return read(pid, args[index], 16 if time64 or arch != ARCH_I386 else 8)

        return reader

    def _pselect6_sig(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """[the {sigmask address, sigsetsize} pair's raw bytes, the mask's 8 bytes or nil]."""
        word = 4 if arch == ARCH_I386 else 8
        raw = self._memory.read(pid, args[index], 2 * word)
        if raw is None or len(raw) < 2 * word:
            return None
        mask_addr = int.from_bytes(raw[:word], "little")
        return [raw, self._memory.read(pid, mask_addr, 8) if mask_addr else None]

    def _sized_sigset(self, size_index: int) -> tuple[Reader, ExitReader]:
        """Readers of a sigset of as many bytes as argument `size_index`
        says (None for a size strace would not read: 0 or past 8 bytes)."""
        read = self._memory.read

        def sigset(pid: int, addr: int, size: int) -> Value:
            return whole(read(pid, addr, size), size) if 0 < size <= SIGSET_BYTES else None

        def at_entry(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            return sigset(pid, args[index], args[size_index])

        def at_exit(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return sigset(pid, args[index], args[size_index])

        return at_entry, at_exit

    def _struct_at_entry(self, size: int) -> Reader:
        read = self._memory.read

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            return whole(read(pid, args[index], size), size)

        return reader

    # -- exit readers --------------------------------------------------

    def _buffer_out(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._memory.read(pid, args[index], min(ret, self._string_limit))

    def _ioctl_exit(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._ioctl_arg(pid, args, index, "out", ret)

    def _ioctl_arg(self, pid: int, args: Sequence[int], index: int, phase: str, ret: int | None) -> Value:
        request = args[index - 1] & 0xFFFFFFFF
        size = ioctls.read_size(request, phase, ret)
        raw = self._memory.read(pid, args[index], size) if size and args[index] else None
        pointed = ioctls.pointed_to(request, raw)
        if pointed is None or raw is None:
            return raw
        # The struct a pointer in it points to, after it (BLKPG's partition);
        # what could be read of it when memory ends first (the renderer checks).
        more = self._memory.read(pid, pointed[0], pointed[1])
        return raw + more if more else raw

    def _path_out(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        # getcwd returns the length with the NUL; the path is shown whole.
        raw = self._memory.read(pid, args[index], min(ret, PATH_LIMIT))
        return None if raw is None else text_or_bytes(raw.split(b"\0", 1)[0])

    def _dirents(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._memory.read(pid, args[index], min(ret, DIRENTS_LIMIT))

    def _cpuset_out(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        # sched_getaffinity returns the mask's size in bytes.
        return self._memory.read(pid, args[index], min(ret, CPUSET_LIMIT))

    def _mincore_vec(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        # One byte per page of the range; strace shows at most -s of them.
        pages = -(-args[index - 1] // PAGE_SIZE)
        return self._memory.read(pid, args[index], min(pages, self._string_limit)) if pages else None

    def _gid_list_out(self, size: int) -> ExitReader:
        """getgroups: the count is the return value, whatever size was asked;
        only as many gids as -s shows are copied."""
        read = self._memory.read

        def reader(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            # getgroups(0, NULL) returns the count alone: nothing to read.
            return read(pid, args[index], size * min(ret, self._string_limit + 1)) if args[index] else None

        return reader

    def _parent_tid(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        """clone's parent_tid: the new task's tid, written there with
        CLONE_PARENT_SETTID, or the new pidfd with CLONE_PIDFD."""
        if not args[0] & (CLONE_PARENT_SETTID | CLONE_PIDFD) or ret == 0:
            return None
        return self._int_at(pid, args[index])

    def _clone3_written(self, flag: int, field: int) -> ExitReader:
        """clone3: the int the kernel wrote where field `field` of struct
        clone_args points (1 pidfd, 3 parent_tid) when the flags have `flag`."""

        def reader(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            # flags, pidfd, child_tid, parent_tid: the start of struct clone_args.
            raw = self._memory.read(pid, args[0], 32)
            if raw is None or len(raw) < 32 or ret == 0:
                return None
            fields = struct.unpack_from("<4Q", raw)
            return self._int_at(pid, fields[field]) if fields[0] & flag else None

        return reader

    def _int_at(self, pid: int, addr: int) -> int | None:
        raw = self._memory.read(pid, addr, 4)
        return signed(int.from_bytes(raw, "little"), 32) if raw and len(raw) == 4 else None

    def _struct_at_exit(self, size: int) -> ExitReader:
        read = self._memory.read

        def reader(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return whole(read(pid, args[index], size), size)

        return reader

    def _abi_exit_reader(self, name: str, wide: bool) -> ExitReader:
        """Exit readers whose layout depends on the personality, by name."""
        memory = self._memory
        word = 8 if wide else 4

        def iov_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return self._iovecs(pid, args[index], args[index + 1], wide, ret)

        def sockaddr_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            raw_len = memory.read(pid, args[index + 1], 4)
            if not raw_len or len(raw_len) < 4:
                return None
            length = int.from_bytes(raw_len, "little")
            data = memory.read(pid, args[index], min(length, 128))
            # strace shows the length the kernel wrote back: keep it.
            return None if data is None else [data, length]

        def epoll_events(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return memory.read(pid, args[index], 12 * min(ret, MAX_RECORDS))

        def pollfd(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return memory.read(pid, args[index], 8 * min(args[index + 1] & 0xFFFFFFFF, MAX_RECORDS))

        def fdset(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return fdset_bytes(memory, pid, args[index], signed(args[0], 32), word)

        def msghdr_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return self._msghdr(pid, args[index], wide, ret)

        def mmsghdr_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return self._mmsghdrs(pid, args[index], ret, wide)

        def nodemask_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return self._nodemask(pid, args[index], args[index + 1], wide)

        def fcntl_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            size = fcntls.lock_size(args[index - 1] & 0xFFFFFFFF, wide, "out")
            return memory.read(pid, args[index], size) if size else None

        readers: dict[str, ExitReader] = {
            "msghdr_out": msghdr_out,
            "mmsghdr_out": mmsghdr_out,
            "fcntl_out": fcntl_out,
            "nodemask_out": nodemask_out,
            "iov_out": iov_out,
            "sockaddr_out": sockaddr_out,
            "epoll_events": epoll_events,
            "pollfd_out": pollfd,
            "fdset_out": fdset,
        }
        return readers[name]

    # -- shared --------------------------------------------------------

    def _iovecs(self, pid: int, addr: int, count: int, wide: bool, total: int | None) -> Value:
        """[[bytes, iov_len], ...] for an iovec array; each buffer is copied
        up to the -s limit, and at exit only as far as `total` bytes reach."""
        count = min(count & 0xFFFFFFFF, MAX_RECORDS)
        word = 8 if wide else 4
        raw = self._memory.read(pid, addr, count * 2 * word)
        if raw is None:
            return None
        out: list[Any] = []
        left = total
        for offset in range(0, len(raw) - 2 * word + 1, 2 * word):
            base = int.from_bytes(raw[offset : offset + word], "little")
            length = int.from_bytes(raw[offset + word : offset + 2 * word], "little")
            # One byte past -s tells a longer buffer (strace reads as much).
            want = min(length, self._string_limit + 1)
            if left is not None:
                want = min(want, max(left, 0))
                left -= length
            data = self._memory.read(pid, base, want) if want else b""
            # A buffer that cannot be read whole is shown as its address.
            out.append([data if data is not None and len(data) == want else base, length])
        return out

    def _iov_heads(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """[[iov_base, iov_len], ...] of an iovec array the kernel fills: what
        strace shows when the call fails (at most -s + 1 of them)."""
        count = args[index + 1] if index + 1 < len(args) else 0
        word = 8 if arch == ARCH_X86_64 else 4
        count = min(count & 0xFFFFFFFF, self._string_limit + 1, MAX_RECORDS)
        raw = self._memory.read(pid, args[index], count * 2 * word)
        if raw is None:
            return None
        return [[int.from_bytes(raw[i : i + word], "little"), int.from_bytes(raw[i + word : i + 2 * word], "little")]
                for i in range(0, len(raw) - 2 * word + 1, 2 * word)]  # fmt: skip

    def _msghdr(self, pid: int, addr: int, wide: bool, total: int | None, raw: bytes | None = None) -> Value:
        """{"msghdr": the header's raw bytes, "name": msg_name's bytes, "iov":
        [[bytes, iov_len], ...], "control": msg_control's bytes}, each part
        nil when absent.  At exit `total` (the bytes received) bounds the
        buffers copied; msg_namelen and msg_controllen are then the kernel's."""
        layout = MSGHDR.struct(ARCH_X86_64 if wide else ARCH_I386)
        if raw is None:
            raw = self._memory.read(pid, addr, layout.size)
        if raw is None or len(raw) < layout.size:
            return None
        name, namelen, iov, iovlen, control, controllen, _flags = layout.unpack_from(raw)
        read = self._memory.read
        return {
            "msghdr": raw[: layout.size],
            "name": read(pid, name, min(namelen, SOCKADDR_LIMIT)) if name and namelen else None,
            "iov": self._iovecs(pid, iov, iovlen, wide, total) if iov and iovlen else None,
            "control": read(pid, control, min(controllen, CONTROL_LIMIT)) if control and controllen else None,
        }

    def _mmsghdr_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """sendmmsg at entry: the vector as sent (strace shows it so when the call fails)."""
        return self._mmsghdrs(pid, args[index], args[index + 1] & 0xFFFFFFFF, arch != ARCH_I386, sending=True)

    def _mmsghdrs(self, pid: int, addr: int, count: int, wide: bool, sending: bool = False) -> Value:
        """The first `count` entries of a struct mmsghdr array: each its
        msghdr (as _msghdr) with "msg_len"; received buffers are copied as far
        as msg_len reaches (`sending`: whole, and no msg_len yet)."""
        arch = ARCH_X86_64 if wide else ARCH_I386
        size = MMSGHDR.size(arch)
        header = MSGHDR.size(arch)
        raw = self._memory.read(pid, addr, size * min(count, MAX_RECORDS))
        if raw is None:
            return None
        out: list[Any] = []
        for offset in range(0, len(raw) - size + 1, size):
            msg_len = int.from_bytes(raw[offset + header : offset + header + 4], "little")
            entry = self._msghdr(pid, 0, wide, None if sending else msg_len, raw[offset : offset + header])
            if isinstance(entry, dict) and not sending:
                entry["msg_len"] = msg_len
            out.append(entry)
        return out
