"""What the tracer thread reads from a tracee's memory at each stop.

The syscall tables say, per argument, what kind of value it is. Only a few
kinds need the tracee's memory while it is stopped (paths, strings, argv,
data buffers); everything else is formatted later from the raw registers.
This module turns the tables into per-number *plans* once, at start-up: a
plan is a short tuple of (key, argument index, reader) steps, so the hot path
does one lookup and one loop with a single call per value it needs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..syscalls import ARCH_I386, ARCH_X86_64, SOCKETCALLS, Syscall, by_name, table
from ._ptrace import MemoryReader

# Longest path the kernel accepts (PATH_MAX, NUL included).
PATH_LIMIT = 4096
# argv strings are kept whole up to this size: compiler command lines are long.
ARGV_STRING_LIMIT = 128 * 1024
# A runaway argv (or garbage pointer) must not stall the stop for long.
ARGV_MAX_ENTRIES = 4096

# Structured values only: numbers, bytes, strings and lists of them.
Value = str | bytes | int | list[Any] | None
Data = dict[str, Value]
# reader(pid, arch, args, index) -> the value for the event's data map
Reader = Callable[[int, int, Sequence[int], int], Value]
Step = tuple[str, int, Reader]
# Exit readers also get the return value.
ExitReader = Callable[[int, Sequence[int], int, int], Value]
ExitStep = tuple[str, int, ExitReader]


def text_or_bytes(raw: bytes) -> str | bytes:
    """UTF-8 text when it is valid, else the bytes as they are (lossless)."""
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw


@dataclass(frozen=True, slots=True)
class Plan:
    """Memory reads for one syscall, at entry and at exit."""

    name: str
    entry: tuple[Step, ...] = ()
    exit: tuple[ExitStep, ...] = ()
    execs: bool = False  # execve/execveat: the loop keeps its data for the exec event


# Fixed-size structs, by kind: bytes to copy for (x86_64/x32, i386). They are
# copied raw, in one read, and parsed by atrace.render.structs when shown.
_STRUCT_SIZES: dict[str, tuple[int, int]] = {
    "timespec_in": (16, 8),
    "timespec_out": (16, 8),
    "timespec64_in": (16, 16),
    "timespec64_out": (16, 16),
    "sigaction": (32, 20),
    "sigaction_out": (32, 20),
    "stat_out": (144, 96),
    "statx_out": (256, 256),
    "rusage_out": (144, 72),
    "wait_status_out": (4, 4),
    "fds_out": (8, 8),
    "open_how": (24, 24),
    "epoll_event": (12, 12),
    "rlimit_in": (16, 16),
    "rlimit_out": (16, 16),
    "utsname_out": (390, 390),
}
# i386's stat/lstat/fstat fill the 64-byte struct stat; the *64 calls and
# fstatat64 fill the 96-byte struct stat64.
_I386_OLD_STAT = frozenset({"stat", "lstat", "fstat", "oldstat", "oldlstat", "oldfstat"})
# Struct kinds read at syscall exit (the kernel fills them), the rest at entry.
_EXIT_STRUCTS = frozenset(
    {
        "timespec_out",
        "timespec64_out",
        "sigaction_out",
        "stat_out",
        "statx_out",
        "rusage_out",
        "wait_status_out",
        "fds_out",
        "rlimit_out",
        "utsname_out",
    }
)
# Arrays of records that could be huge: at most this many are copied.
MAX_RECORDS = 1024
# getdents: one read of the records the call returned, at most this much.
DIRENTS_LIMIT = 32 * 1024


# Calls whose non-negative return value is a new file descriptor (-y shows its path).
FD_RETURNING = frozenset(
    {"open", "openat", "openat2", "creat", "dup", "dup2", "dup3", "socket", "accept", "accept4",
     "epoll_create", "epoll_create1", "eventfd", "eventfd2", "signalfd", "signalfd4", "timerfd_create",
     "inotify_init", "inotify_init1", "memfd_create", "pidfd_open", "fanotify_init", "open_by_handle_at",
     "perf_event_open", "userfaultfd", "open_tree", "fsopen", "fsmount", "fspick", "pidfd_getfd"}
)  # fmt: skip


def fd_path_key(name: str) -> str:
    """The data key of the path -y read for fd argument `name` ("ret" for the return value)."""
    return f"{name}_path"


class Decoder:
    """Builds plans and the readers they call (tracer thread only).

    Readers copy what an option asks for and nothing more: strings and
    buffers up to the -s limit, structs as raw bytes in one read.
    """

    def __init__(self, memory: MemoryReader, string_limit: int, fd_paths: bool = False) -> None:
        self._memory = memory
        self._string_limit = string_limit
        # -y: the path of every fd argument and returned fd, read from
        # /proc/PID/fd (a readlink each, so only when asked).
        self._fd_paths = fd_paths
        self._entry_readers: dict[str, Reader] = {
            "path": self._path,
            "str": self._string,
            "argv": self._argv,
            "envp": self._envp,
            "buf_in": self._buffer_in,
            "iov_in": self._iov_in,
            "sockaddr_in": self._sockaddr_in,
            "sigset": self._sigset,
            "pollfd": self._pollfd,
            "fdset": self._fdset,
            "clone_args": self._clone_args,
            "socketcall_args": self._socketcall_entry,
        }
        self._sub_plans: dict[int, Plan] | None = None
        self._exit_readers: dict[str, ExitReader] = {
            "buf_out": self._buffer_out,
            "dirents_out": self._dirents,
        }

    def plans(self, arch: int) -> tuple[Plan | None, ...]:
        """Plans indexed by syscall number for one personality."""
        return tuple(None if sc is None else self.plan_for(sc, arch) for sc in table(arch))

    def _socketcall_plans(self) -> dict[int, Plan]:
        """i386 socketcall: the plan of each call it multiplexes, by its number."""
        if self._sub_plans is None:
            plans = {}
            for number, name in SOCKETCALLS.items():
                call = by_name(ARCH_I386, name)
                if call is not None:
                    plans[number] = self.plan_for(call, ARCH_I386)
            self._sub_plans = plans
        return self._sub_plans

    def plan_for(self, syscall: Syscall, arch: int = ARCH_X86_64) -> Plan:
        entry: list[Step] = []
        exit_: list[ExitStep] = []
        wide = arch != ARCH_I386
        for index, arg in enumerate(syscall.args):
            kind = arg.kind
            if kind in self._entry_readers or kind in self._exit_readers:
                # A kind may have both: an entry reader for what the tracee
                # passes in and an exit reader for what the kernel writes back
                # (ioctl's argument, for one, depends on the request).
                if kind in self._entry_readers:
                    # envp is recorded as a count: the strings would be most of
                    # the trace and strace shows only how many there are.
                    key = "envc" if kind == "envp" else arg.name
                    entry.append((key, index, self._entry_readers[kind]))
                if kind in self._exit_readers:
                    exit_.append((arg.name, index, self._exit_readers[kind]))
            elif kind in _STRUCT_SIZES:
                size = _STRUCT_SIZES[kind][0 if wide else 1]
                if kind == "stat_out" and not wide and syscall.name in _I386_OLD_STAT:
                    size = 64
                if kind in _EXIT_STRUCTS:
                    exit_.append((arg.name, index, self._struct_at_exit(size)))
                else:
                    entry.append((arg.name, index, self._struct_at_entry(size)))
            elif kind in ("iov_out", "sockaddr_out", "sigset_out", "epoll_events_out"):
                exit_.append((arg.name, index, self._exit_reader(kind, wide)))
                if kind == "sockaddr_out" and index + 1 < len(syscall.args):
                    # strace shows the length going in and coming out: [128 => 16].
                    entry.append((syscall.args[index + 1].name, index + 1, self._socklen))
            if kind == "socketcall_args":
                exit_.append((arg.name, index, self._socketcall_exit))
            if kind in ("pollfd", "fdset"):
                # Read again at exit: the kernel writes the results in place.
                exit_.append((arg.name, index, self._exit_reader(kind, wide)))
        if self._fd_paths:
            for index, arg in enumerate(syscall.args):
                if arg.kind in ("fd", "dirfd"):
                    entry.append((fd_path_key(arg.name), index, _fd_path))
            if syscall.name in FD_RETURNING:
                exit_.append((fd_path_key("ret"), 0, _returned_fd_path))
        execs = any(arg.kind == "argv" for arg in syscall.args)
        return Plan(syscall.name, tuple(entry), tuple(exit_), execs)

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
        raw = self._memory.read_cstring(pid, args[index], self._string_limit)
        return None if raw is None else text_or_bytes(raw)

    def _argv(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        pointers = self._pointer_array(pid, arch, args[index])
        if pointers is None:
            return None
        strings = self._memory.read_cstrings(pid, pointers, ARGV_STRING_LIMIT)
        return [b"" if s is None else text_or_bytes(s) for s in strings]

    def _envp(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        pointers = self._pointer_array(pid, arch, args[index])
        return None if pointers is None else len(pointers)

    def _buffer_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # The length is the argument after the buffer (write, pwrite64,
        # sendto...): that is how the tables declare a buf_in.
        length = args[index + 1] if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], min(length, self._string_limit))

    def _iov_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        count = args[index + 1] if index + 1 < len(args) else 0
        return self._iovecs(pid, args[index], count, arch == ARCH_X86_64, None)

    def _sockaddr_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        length = args[index + 1] & 0xFFFFFFFF if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], min(length, 128))

    def _sigset(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # Signals 1..64 fit in 8 bytes, whatever sigsetsize says.
        return self._memory.read(pid, args[index], 8)

    def _pollfd(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        count = min(args[index + 1] & 0xFFFFFFFF, MAX_RECORDS) if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], 8 * count)

    def _fdset(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        nfds = _int32(args[0])
        if nfds <= 0:
            return None
        word = 8 if arch == ARCH_X86_64 else 4
        return self._memory.read(pid, args[index], min((nfds + 8 * word - 1) // (8 * word) * word, 128))

    def _socketcall_args(self, pid: int, args: Sequence[int], index: int) -> tuple[Plan, list[int]] | None:
        plan = self._socketcall_plans().get(args[index - 1] & 0xFFFFFFFF)
        if plan is None:
            return None
        raw = self._memory.read(pid, args[index], 24)
        if raw is None or len(raw) < 24:
            return None
        return plan, list(int.from_bytes(raw[i : i + 4], "little") for i in range(0, 24, 4))

    def _socketcall_entry(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """[call args, decoded data] of the multiplexed call, read as its own plan would."""
        found = self._socketcall_args(pid, args, index)
        if found is None:
            return None
        plan, sub_args = found
        data = {key: read(pid, arch, sub_args, i) for key, i, read in plan.entry}
        return [sub_args, data]

    def _socketcall_exit(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        found = self._socketcall_args(pid, args, index)
        if found is None or not found[0].exit:
            return None
        plan, sub_args = found
        return [sub_args, {key: read(pid, sub_args, i, ret) for key, i, read in plan.exit}]

    def _socklen(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        raw = self._memory.read(pid, args[index], 4)
        return int.from_bytes(raw, "little") if raw and len(raw) == 4 else None

    def _clone_args(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        size = args[index + 1] if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], min(size, 88))

    def _struct_at_entry(self, size: int) -> Reader:
        read = self._memory.read

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            return read(pid, args[index], size)

        return reader

    # -- exit readers --------------------------------------------------

    def _buffer_out(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._memory.read(pid, args[index], min(ret, self._string_limit))

    def _dirents(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._memory.read(pid, args[index], min(ret, DIRENTS_LIMIT))

    def _struct_at_exit(self, size: int) -> ExitReader:
        read = self._memory.read

        def reader(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return read(pid, args[index], size)

        return reader

    def _exit_reader(self, kind: str, wide: bool) -> ExitReader:
        """Exit readers whose layout depends on the personality."""
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

        def sigset_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return memory.read(pid, args[index], 8)

        def epoll_events(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return memory.read(pid, args[index], 12 * min(ret, MAX_RECORDS))

        def pollfd(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return memory.read(pid, args[index], 8 * min(args[index + 1] & 0xFFFFFFFF, MAX_RECORDS))

        def fdset(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            nfds = _int32(args[0])
            if nfds <= 0:
                return None
            return memory.read(pid, args[index], min((nfds + 8 * word - 1) // (8 * word) * word, 128))

        readers: dict[str, ExitReader] = {
            "iov_out": iov_out,
            "sockaddr_out": sockaddr_out,
            "sigset_out": sigset_out,
            "epoll_events_out": epoll_events,
            "pollfd": pollfd,
            "fdset": fdset,
        }
        return readers[kind]

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
            want = min(length, self._string_limit)
            if left is not None:
                want = min(want, max(left, 0))
                left -= length
            data = self._memory.read(pid, base, want) if want else b""
            out.append([data, length])
        return out

    def _pointer_array(self, pid: int, arch: int, addr: int) -> list[int] | None:
        """The pointers of a NULL-terminated array (argv, envp)."""
        if addr == 0:
            return None
        size = 8 if arch == ARCH_X86_64 else 4
        pointers: list[int] = []
        while len(pointers) < ARGV_MAX_ENTRIES:
            # Read to the end of the current page, so no read faults early.
            chunk = 4096 - (addr & 4095)
            raw = self._memory.read(pid, addr, chunk)
            if not raw:
                return pointers if pointers else None
            usable = len(raw) - len(raw) % size
            for offset in range(0, usable, size):
                pointer = int.from_bytes(raw[offset : offset + size], "little")
                if pointer == 0:
                    return pointers
                pointers.append(pointer)
            addr += usable
        return pointers


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


def _readlink_fd(pid: int, fd: int) -> Value:
    if fd < 0 or fd > 1 << 20:
        return None
    try:
        return text_or_bytes(os.readlink(f"/proc/{pid}/fd/{fd}".encode()))
    except OSError:
        return None


def _fd_path(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
    return _readlink_fd(pid, _int32(args[index]))


def _returned_fd_path(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
    return _readlink_fd(pid, ret)
