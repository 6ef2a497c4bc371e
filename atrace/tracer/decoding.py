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
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..syscalls import ARCH_I386, ARCH_X32, ARCH_X86_64, SOCKETCALLS, Syscall, by_name, fcntls, ioctls, table
from ..syscalls.numa import nodemask_words
from ._ptrace import MemoryReader, stack_pointer

# Longest path the kernel accepts (PATH_MAX, NUL included).
PATH_LIMIT = 4096
# argv strings are kept whole up to this size: compiler command lines are long.
ARGV_STRING_LIMIT = 128 * 1024
# A runaway argv (or garbage pointer) must not stall the stop for long.
ARGV_MAX_ENTRIES = 4096

# Structured values only: numbers, bytes, strings and lists of them.
Value = str | bytes | int | list[Any] | dict[str, Any] | None
Data = dict[str, Value]
# reader(pid, arch, args, index) -> the value for the event's data map
Reader = Callable[[int, int, Sequence[int], int], Value]
Step = tuple[str, int, Reader]
# Exit readers also get the return value.
ExitReader = Callable[[int, Sequence[int], int, int], Value]
ExitStep = tuple[str, int, ExitReader]


# Writes to fd 2 (write, pwrite64, sendto on fd 2) are recorded up to this
# many bytes per call even when -s is smaller (docs/FORMAT.md).
STDERR_FD = 2
STDERR_CAPTURE = 4096


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
    "loff_in": (8, 8),
    # sendfile's offset: an off_t (a long) or, for sendfile64, a loff_t.
    "off_inout": (8, 4),
    "loff_inout": (8, 8),
    "timespec_pair": (32, 16),
    "timespec64_pair": (32, 32),
    # stack_t: ss_sp, int ss_flags, size_t ss_size (padded after the int on x86_64).
    "stack_t_in": (24, 12),
    "stack_t_out": (24, 12),
    "rlimit_in": (16, 16),
    "rlimit_out": (16, 16),
    "utsname_out": (390, 390),
    # struct statfs / statfs64 up to f_flags (the spare words are not copied).
    "statfs_out": (88, 48),
    "statfs64_out": (88, 68),
    # struct sysinfo up to mem_unit (the padding after it is not copied).
    "sysinfo_out": (108, 56),
    "rlimit_long_in": (16, 8),
    "rlimit_long_out": (16, 8),
    "loff_out": (8, 8),
    "user_desc": (16, 16),
    "timeval_inout": (16, 8),
    "timespec_inout": (16, 8),
    "timespec64_inout": (16, 16),
    # struct itimerval: two struct timeval (interval, value) of longs.
    "itimerval_in": (32, 16),
    "itimerval_out": (32, 16),
    # struct tms: four clock_t (longs).
    "tms_out": (32, 16),
    # utimes' two struct timeval; utime's struct utimbuf, two longs.
    "timeval_pair": (32, 16),
    "utimbuf": (16, 8),
    # get_mempolicy's mode: an int.
    "mpol_mode_out": (4, 4),
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
        "stack_t_out",
        "statfs_out",
        "statfs64_out",
        "sysinfo_out",
        "rlimit_long_out",
        "loff_out",
        "itimerval_out",
        "tms_out",
        "mpol_mode_out",
    }
)
# Struct kinds read at entry and again at exit: the kernel updates them in
# place (select's time left, set_thread_area's entry_number).
_INOUT_STRUCTS = frozenset(
    {"timeval_inout", "timespec_inout", "timespec64_inout", "user_desc", "off_inout", "loff_inout"}
)
# prctl options whose second argument points to memory.  PR_SET_NAME passes
# a name in (the kernel keeps TASK_COMM_LEN bytes, NUL included); the others
# have the kernel write there: bytes to copy at exit, by option.
PR_SET_NAME = 15
TASK_COMM_LEN = 16
PRCTL_EXIT_SIZES = {
    16: TASK_COMM_LEN,  # PR_GET_NAME
    2: 4,  # PR_GET_PDEATHSIG: an int
    37: 4,  # PR_GET_CHILD_SUBREAPER: an int
}
# futex commands (op without the PRIVATE/CLOCK_REALTIME bits) whose fourth
# argument is a timeout: WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI,
# LOCK_PI2.  The others pass a number there (val2), nothing to read.
FUTEX_CMD_MASK = 0x7F
FUTEX_TIMED = frozenset({0, 6, 9, 11, 13})
CLONE_PARENT_SETTID = 0x100000
# With CLONE_PIDFD the kernel writes the new pidfd: at clone's parent_tid
# (the pointer is shared, so the two flags exclude each other), at clone3's
# clone_args.pidfd.
CLONE_PIDFD = 0x1000
# The mask a sigreturn restores lies in the signal frame on the stack: its
# offset from the stack pointer at the call's entry, per call and ABI (one
# offset: an 8-byte sigset; two: the 32-bit words of signals 1-32 and 33-64).
SIGRETURN_MASK: dict[tuple[str, int], tuple[int, ...]] = {
    # rt_sigframe less its return address (popped by the handler's ret):
    # the ucontext starts at sp, uc_sigmask is 296 bytes into it.
    ("rt_sigreturn", ARCH_X86_64): (296,),
    # ia32 rt_sigframe: pretcode (popped), sig, pinfo, puc, a 128-byte
    # siginfo, then the ucontext (at sp + 140), uc_sigmask 108 bytes into it.
    ("rt_sigreturn", ARCH_I386): (248,),
    # ia32 sigframe less pretcode and sig (popped by the restorer): the
    # sigcontext at sp, oldmask 80 bytes into it; extramask[0] follows the
    # sigcontext (88 bytes) and an unused 624-byte _fpstate_32.
    ("sigreturn", ARCH_I386): (80, 712),
}
# Arrays of records that could be huge: at most this many are copied.
MAX_RECORDS = 1024
# getdents: one read of the records the call returned, at most this much.
DIRENTS_LIMIT = 32 * 1024
# CPU masks: at most this many bytes (8192 CPUs).
CPUSET_LIMIT = 1024
# epoll_ctl's op that ignores the event argument (strace shows its address).
EPOLL_CTL_DEL = 2


# ioctl requests whose argument points to memory: bytes to copy at entry
# (what the request passes in) and at exit (what the kernel writes back).
IOCTL_ENTRY_SIZES = ioctls.arg_sizes("in")
IOCTL_EXIT_SIZES = ioctls.arg_sizes("out")

# struct msghdr: msg_name, msg_namelen, msg_iov, msg_iovlen, msg_control,
# msg_controllen, msg_flags; (x86_64/x32, i386).  A struct mmsghdr is a
# msghdr and an unsigned int msg_len, padded to the pointer size.
MSGHDR = (struct.Struct("<QI4xQQQQI4x"), struct.Struct("<IIIIIII"))
MMSGHDR_SIZES = (64, 32)
# Longest msg_name copied (a sockaddr_storage) and msg_control copied.
SOCKADDR_LIMIT = 128
CONTROL_LIMIT = 4096
# getsockopt values that are structs (linger, ucred, timeval) are read whole
# even below the -s size.
SOCKOPT_MIN_READ = 16


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
            "prctl_arg": self._prctl_entry,
            "futex_timeout": self._futex_timeout(time64=False),
            "futex_timeout64": self._futex_timeout(time64=True),
            "pselect6_sig": self._pselect6_sig,
            "ioctl_arg": self._ioctl_entry,
            "sockopt_in": self._sockopt_in,
            "msghdr_in": self._msghdr_in,
            "msghdr_out": self._msghdr_head,
            "epoll_event": self._epoll_event,
            "cpuset_in": self._cpuset_in,
            "fcntl_arg": self._fcntl_entry,
            "gids_in": self._gid_list_in(4),
            "gids16_in": self._gid_list_in(2),
            "nodemask_in": self._nodemask_in,
        }
        self._sub_plans: dict[int, Plan] | None = None
        # Values that belong to the call rather than to one argument, read at
        # exit under their own key: clone3's parent_tid is inside its struct.
        self._call_exit_readers: dict[str, tuple[tuple[str, ExitReader], ...]] = {
            "clone3": (("pidfd", self._clone3_written(CLONE_PIDFD, 1)),
                       ("parent_tid", self._clone3_written(CLONE_PARENT_SETTID, 3))),
        }  # fmt: skip
        self._exit_readers: dict[str, ExitReader] = {
            "buf_out": self._buffer_out,
            "path_out": self._path_out,
            "dirents_out": self._dirents,
            "prctl_arg": self._prctl_exit,
            "parent_tid_out": self._parent_tid,
            "ioctl_arg": self._ioctl_exit,
            "cpuset_out": self._cpuset_out,
            "gids_out": self._gid_list_out(4),
            "gids16_out": self._gid_list_out(2),
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
                if kind in _EXIT_STRUCTS or kind in _INOUT_STRUCTS:
                    exit_.append((arg.name, index, self._struct_at_exit(size)))
                if kind not in _EXIT_STRUCTS:
                    entry.append((arg.name, index, self._struct_at_entry(size)))
            if kind in _LAYOUT_EXIT_KINDS:
                exit_.append((arg.name, index, self._exit_reader(kind, wide)))
                if kind in ("sockaddr_out", "sockopt_out") and index + 1 < len(syscall.args):
                    # strace shows the length going in and coming out: [128 => 16].
                    entry.append((syscall.args[index + 1].name, index + 1, self._socklen))
            if kind == "socketcall_args":
                exit_.append((arg.name, index, self._socketcall_exit))
            if kind in ("pollfd", "fdset"):
                # Read again at exit: the kernel writes the results in place.
                exit_.append((arg.name, index, self._exit_reader(kind, wide)))
        entry.extend(self._call_entry_steps(syscall.name, arch))
        exit_.extend(self._call_exit_steps(syscall.name))
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
        limit = self._string_limit
        if index == 1 and args[0] == STDERR_FD:
            # What a failing build step says on stderr is what its report
            # must show, whatever -s is (the text output still cuts at -s).
            limit = max(limit, STDERR_CAPTURE)
        return self._memory.read(pid, args[index], min(length, limit))

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

    def _ioctl_entry(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        size = IOCTL_ENTRY_SIZES.get(args[index - 1] & 0xFFFFFFFF)
        return self._memory.read(pid, args[index], size) if size and args[index] else None

    def _sockopt_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        length = _int32(args[index + 1]) if index + 1 < len(args) else 0
        want = min(length, max(self._string_limit, SOCKOPT_MIN_READ))
        return self._memory.read(pid, args[index], want) if want > 0 and args[index] else None

    def _msghdr_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        return self._msghdr(pid, args[index], arch != ARCH_I386, None)

    def _msghdr_head(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """recvmsg at entry: the header alone, for the msg_namelen going in."""
        return self._memory.read(pid, args[index], MSGHDR[1 if arch == ARCH_I386 else 0].size)

    def _socklen(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        raw = self._memory.read(pid, args[index], 4)
        return int.from_bytes(raw, "little") if raw and len(raw) == 4 else None

    def _clone_args(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        size = args[index + 1] if index + 1 < len(args) else 0
        return self._memory.read(pid, args[index], min(size, 88))

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
        only as many as -s shows."""
        words = nodemask_words(maxnode, 64 if wide else 32)
        if not addr or not words:
            return None
        return self._memory.read(pid, addr, (8 if wide else 4) * min(words, self._string_limit))

    def _cpuset_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        # The mask's size in bytes is the argument before it.
        return self._memory.read(pid, args[index], min(args[index - 1] & 0xFFFFFFFF, CPUSET_LIMIT))

    def _gid_list_in(self, size: int) -> Reader:
        """setgroups: the count is the argument before the list; only as
        many gids as -s shows are copied."""
        read = self._memory.read

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            count = _int32(args[index - 1])
            return read(pid, args[index], size * min(count, self._string_limit)) if count >= 0 else None

        return reader

    def _prctl_entry(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        if args[0] & 0xFFFFFFFF != PR_SET_NAME:
            return None
        raw = self._memory.read_cstring(pid, args[index], TASK_COMM_LEN)
        return None if raw is None else text_or_bytes(raw)

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

    def _call_entry_steps(self, name: str, arch: int) -> list[Step]:
        """Entry values that belong to no argument: the mask a sigreturn restores."""
        offsets = SIGRETURN_MASK.get((name, arch))
        return [] if offsets is None else [("mask", 0, self._sigreturn_mask(offsets))]

    def _call_exit_steps(self, name: str) -> list[ExitStep]:
        return [(key, 0, reader) for key, reader in self._call_exit_readers.get(name, ())]

    def _sigreturn_mask(self, offsets: tuple[int, ...]) -> Reader:
        read = self._memory.read

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            if arch == ARCH_X32:
                return None  # x32's frame has a layout of its own (it shares x86_64's plans)
            sp = stack_pointer(pid)
            if sp is None:
                return None
            if len(offsets) == 1:
                return read(pid, sp + offsets[0], 8)
            words = [read(pid, sp + offset, 4) for offset in offsets]
            return b"".join(w for w in words if w) if all(w and len(w) == 4 for w in words) else None

        return reader

    def _struct_at_entry(self, size: int) -> Reader:
        read = self._memory.read

        def reader(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            return read(pid, args[index], size)

        return reader

    # -- exit readers --------------------------------------------------

    def _buffer_out(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._memory.read(pid, args[index], min(ret, self._string_limit))

    def _ioctl_exit(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        size = IOCTL_EXIT_SIZES.get(args[index - 1] & 0xFFFFFFFF)
        return self._memory.read(pid, args[index], size) if size and args[index] else None

    def _path_out(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        # getcwd returns the length with the NUL; the path is shown whole.
        raw = self._memory.read(pid, args[index], min(ret, PATH_LIMIT))
        return None if raw is None else text_or_bytes(raw.split(b"\0", 1)[0])

    def _dirents(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        return self._memory.read(pid, args[index], min(ret, DIRENTS_LIMIT))

    def _cpuset_out(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        # sched_getaffinity returns the mask's size in bytes.
        return self._memory.read(pid, args[index], min(ret, CPUSET_LIMIT))

    def _gid_list_out(self, size: int) -> ExitReader:
        """getgroups: the count is the return value, whatever size was asked;
        only as many gids as -s shows are copied."""
        read = self._memory.read

        def reader(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            # getgroups(0, NULL) returns the count alone: nothing to read.
            return read(pid, args[index], size * min(ret, self._string_limit)) if args[index] else None

        return reader

    def _prctl_exit(self, pid: int, args: Sequence[int], index: int, ret: int) -> Value:
        size = PRCTL_EXIT_SIZES.get(args[0] & 0xFFFFFFFF)
        return self._memory.read(pid, args[index], size) if size else None

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
        return _int32(int.from_bytes(raw, "little")) if raw and len(raw) == 4 else None

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

        def sockopt_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            raw_len = memory.read(pid, args[index + 1], 4)
            if not raw_len or len(raw_len) < 4:
                return None
            length = _int32(int.from_bytes(raw_len, "little"))
            want = min(length, max(self._string_limit, SOCKOPT_MIN_READ))
            data = memory.read(pid, args[index], want) if want > 0 and args[index] else None
            # strace shows the length going in and the one the kernel wrote back.
            return [data, length]

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
            "sockopt_out": sockopt_out,
            "msghdr_out": msghdr_out,
            "mmsghdr_out": mmsghdr_out,
            "fcntl_arg": fcntl_out,
            "nodemask_out": nodemask_out,
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

    def _msghdr(self, pid: int, addr: int, wide: bool, total: int | None, raw: bytes | None = None) -> Value:
        """{"msghdr": the header's raw bytes, "name": msg_name's bytes, "iov":
        [[bytes, iov_len], ...], "control": msg_control's bytes}, each part
        nil when absent.  At exit `total` (the bytes received) bounds the
        buffers copied; msg_namelen and msg_controllen are then the kernel's."""
        layout = MSGHDR[0 if wide else 1]
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

    def _mmsghdrs(self, pid: int, addr: int, count: int, wide: bool) -> Value:
        """The first `count` entries of a struct mmsghdr array: each its
        msghdr (as _msghdr) with "msg_len"; received buffers are copied as far
        as msg_len reaches."""
        size = MMSGHDR_SIZES[0 if wide else 1]
        header = MSGHDR[0 if wide else 1].size
        raw = self._memory.read(pid, addr, size * min(count, MAX_RECORDS))
        if raw is None:
            return None
        out: list[Any] = []
        for offset in range(0, len(raw) - size + 1, size):
            msg_len = int.from_bytes(raw[offset + header : offset + header + 4], "little")
            entry = self._msghdr(pid, 0, wide, msg_len, raw[offset : offset + header])
            if isinstance(entry, dict):
                entry["msg_len"] = msg_len
            out.append(entry)
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


# Exit readers whose layout depends on the personality (Decoder._exit_reader).
_LAYOUT_EXIT_KINDS = frozenset(
    {"iov_out", "sockaddr_out", "sigset_out", "epoll_events_out", "sockopt_out", "msghdr_out", "mmsghdr_out",
     "fcntl_arg", "nodemask_out"}
)  # fmt: skip


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
