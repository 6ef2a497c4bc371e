"""Thin ctypes bindings for the few kernel calls the tracer thread makes.

Only what the stop loop needs, bound once at import: the cold calls with
argtypes and errno, the hot ones (raw_ptrace, process_vm_readv) without, as
explained below.  Constants are the kernel's values
(include/uapi/linux/ptrace.h); python-ptrace has most of them but not
PTRACE_SEIZE, PTRACE_INTERRUPT, PTRACE_LISTEN or PTRACE_GET_SYSCALL_INFO
(tests/test_memory_reader.py checks ours against those it has).
"""

from __future__ import annotations

import ctypes
import os
import signal
import struct

_libc = ctypes.CDLL(None, use_errno=True)

# Requests.
PTRACE_CONT = 7
PTRACE_GETREGS = 12
PTRACE_KILL = 8
PTRACE_DETACH = 17
PTRACE_SYSCALL = 24
PTRACE_SETOPTIONS = 0x4200
PTRACE_GETEVENTMSG = 0x4201
PTRACE_GETSIGINFO = 0x4202
PTRACE_SEIZE = 0x4206
PTRACE_INTERRUPT = 0x4207
PTRACE_LISTEN = 0x4208
PTRACE_GET_SYSCALL_INFO = 0x420E

# Options.
PTRACE_O_TRACESYSGOOD = 0x01
PTRACE_O_TRACEFORK = 0x02
PTRACE_O_TRACEVFORK = 0x04
PTRACE_O_TRACECLONE = 0x08
PTRACE_O_TRACEEXEC = 0x10
PTRACE_O_TRACEEXIT = 0x40
PTRACE_O_TRACESECCOMP = 0x80
PTRACE_O_EXITKILL = 0x100000

# Events, as found in the wait status bits 16..23.
PTRACE_EVENT_FORK = 1
PTRACE_EVENT_VFORK = 2
PTRACE_EVENT_CLONE = 3
PTRACE_EVENT_EXEC = 4
PTRACE_EVENT_EXIT = 6
PTRACE_EVENT_SECCOMP = 7
PTRACE_EVENT_STOP = 128
# The events that name a new task, and the kind of spawn each is.
SPAWN_EVENTS = {PTRACE_EVENT_FORK: "fork", PTRACE_EVENT_VFORK: "vfork", PTRACE_EVENT_CLONE: "clone"}
# The stop signal of a syscall stop under PTRACE_O_TRACESYSGOOD.
SYSCALL_STOP_SIGNAL = signal.SIGTRAP | 0x80
# The whole wait status of a syscall stop (stopped, 0x7f, by SIGTRAP|0x80,
# no event bits) and of a seccomp stop (stopped by SIGTRAP, event 7).
SYSCALL_STOP_STATUS = 0x7F | (SYSCALL_STOP_SIGNAL << 8)
SECCOMP_STOP_STATUS = 0x7F | (signal.SIGTRAP << 8) | (PTRACE_EVENT_SECCOMP << 16)
# A PTRACE_EVENT_STOP with one of these is a group-stop (others: a new
# task's first stop, PTRACE_INTERRUPT, a LISTEN wake-up).
GROUP_STOP_SIGNALS = frozenset({signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU})

# PTRACE_GET_SYSCALL_INFO ops.
SYSCALL_INFO_ENTRY = 1
SYSCALL_INFO_EXIT = 2
SYSCALL_INFO_SECCOMP = 3  # laid out as an entry: nr, args (then ret_data)

AUDIT_ARCH_X86_64 = 0xC000003E
AUDIT_ARCH_I386 = 0x40000003
X32_SYSCALL_BIT = 0x40000000

WALL = 0x40000000
PR_SET_PDEATHSIG = 1

_ptrace = _libc.ptrace
_ptrace.argtypes = (ctypes.c_long, ctypes.c_long, ctypes.c_ulong, ctypes.c_ulong)
_ptrace.restype = ctypes.c_long

# The same C functions bound for the stop loop's hot path. These requests
# never block, so they keep the GIL (PyDLL) instead of releasing and
# re-acquiring it: that saves the handoff, and the trio thread cannot slip in
# and hold the tracer up for a whole switch interval. No errno either: the
# only failure the hot path expects is ESRCH, and -1 says enough.
#
# They have no argtypes on purpose: converting four arguments through
# argtypes doubles the cost of a call (0.9 us against 0.45 us measured here).
# Callers pass small ints (request, pid, signal: ctypes passes them as C int,
# which the x86_64 ABI widens to the register) and addresses only as
# prebuilt c_void_p objects.
_hot_libc = ctypes.PyDLL(None)
raw_ptrace = _hot_libc.ptrace
raw_ptrace.restype = ctypes.c_long

prctl = _libc.prctl
prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)
prctl.restype = ctypes.c_int


def ptrace(request: int, pid: int, addr: int = 0, data: int = 0) -> int:
    """Call ptrace(2); return its result, or -errno on failure (no exception).

    Failure is ordinary here (a task killed under us answers ESRCH), so the
    caller branches on the sign instead of catching.
    """
    result: int = _ptrace(request, pid, addr, data)
    if result == -1:
        err = ctypes.get_errno()
        if err:
            return -err
    return result


class _Iovec(ctypes.Structure):
    _fields_ = (("base", ctypes.c_void_p), ("len", ctypes.c_size_t))


# Hot too (every path argument): no argtypes, iovec arrays passed by prebuilt
# reference, as for raw_ptrace above.
_process_vm_readv = _hot_libc.process_vm_readv
_process_vm_readv.restype = ctypes.c_ssize_t

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class MemoryReader:
    """Reads tracee memory with process_vm_readv into one reused buffer.

    One instance belongs to the tracer thread. Reads never cross into a page
    the caller did not ask for, so a string that ends just before an unmapped
    page is still read whole.
    """

    MAX_IOV = 64

    def __init__(self, size: int = 64 * 1024) -> None:
        self._size = size
        self._buf = ctypes.create_string_buffer(size)
        self._addr = ctypes.addressof(self._buf)
        self._local = (_Iovec * self.MAX_IOV)()
        self._remote = (_Iovec * self.MAX_IOV)()
        self._local_ref = ctypes.byref(self._local)
        self._remote_ref = ctypes.byref(self._remote)
        # (Indexing a ctypes array builds a new object each time: the first
        # elements, which every single read uses, are kept.)
        self._first_local = self._local[0]
        self._first_remote = self._remote[0]
        self._view = memoryview(self._buf).cast("B")

    def read(self, pid: int, addr: int, length: int) -> bytes | None:
        """Up to `length` bytes at `addr`; fewer when the read faults midway."""
        if addr == 0 or length <= 0:
            return b"" if length <= 0 else None
        length = min(length, self._size)
        local = self._first_local
        local.base = self._addr
        local.len = length
        remote = self._first_remote
        remote.base = addr
        remote.len = length
        got: int = _process_vm_readv(pid, self._local_ref, 1, self._remote_ref, 1, 0)
        if got <= 0:
            return None
        return self._view[:got].tobytes()

    def read_cstrings(self, pid: int, addrs: list[int], limit: int) -> list[bytes | None]:
        """NUL-terminated strings at each address, at most `limit` bytes each.

        All strings are fetched with one process_vm_readv (one iovec each,
        each ending at its page's end); only a string longer than what its
        first page holds costs a further read.
        """
        results: list[bytes | None] = []
        for start in range(0, len(addrs), self.MAX_IOV):
            results.extend(self._read_cstrings_batch(pid, addrs[start : start + self.MAX_IOV], limit))
        return results

    def _read_cstrings_batch(self, pid: int, addrs: list[int], limit: int) -> list[bytes | None]:
        local, remote = self._local, self._remote
        offsets: list[int] = []
        lengths: list[int] = []
        offset = 0
        count = 0
        for addr in addrs:
            chunk = min(limit + 1, PAGE_SIZE - (addr & (PAGE_SIZE - 1)))
            if offset + chunk > self._size:
                break
            local[count].base = self._addr + offset
            local[count].len = chunk
            remote[count].base = addr
            remote[count].len = chunk
            offsets.append(offset)
            lengths.append(chunk)
            offset += chunk
            count += 1
        got = _process_vm_readv(pid, self._local_ref, count, self._remote_ref, count, 0) if count else 0
        view = self._view
        # Copy every string's bytes out of the shared buffer before any
        # fallback read below reuses that buffer.
        chunks = [
            view[offsets[i] : offsets[i] + min(lengths[i], max(0, got - offsets[i]))].tobytes() for i in range(count)
        ]
        results: list[bytes | None] = []
        for i, addr in enumerate(addrs):
            if i >= count or addr == 0:
                results.append(self.read_cstring(pid, addr, limit) if addr else None)
                continue
            data, chunk = chunks[i], lengths[i]
            nul = data.find(b"\0")
            if nul >= 0:
                results.append(data[:nul])
            elif len(data) == chunk and chunk <= limit:
                # The string runs on past its first page: finish it alone.
                results.append(self.read_cstring(pid, addr, limit))
            elif len(data) == chunk:
                results.append(data[:limit])
            else:
                results.append(data if data else None)
        return results

    def read_cstring(self, pid: int, addr: int, limit: int) -> bytes | None:
        """One NUL-terminated string, read a page at a time, cut at `limit`;
        None when its memory cannot be read or ends before its NUL.

        This is the hottest read (every path argument), so the common case
        is one process_vm_readv and one C-level scan: a NUL stored just past
        the bytes read lets the buffer's `.value` find the end without
        copying the chunk first. The read runs to the end of the page after
        the string's first one (a path of PATH_MAX bytes fits whatever its
        start): a string that crosses a page needs no second read, and one
        that runs into unreadable memory comes back short (the kernel
        copies up to the fault), as a read of its first page alone would.
        """
        if addr == 0:
            return None
        chunk = 2 * PAGE_SIZE - (addr & (PAGE_SIZE - 1))
        if chunk > limit + 1:
            chunk = limit + 1
        if chunk >= self._size:
            chunk = self._size - 1  # room for the NUL stored after it
        local = self._first_local
        local.len = chunk
        local.base = self._addr
        remote = self._first_remote
        remote.base = addr
        remote.len = chunk
        got: int = _process_vm_readv(pid, self._local_ref, 1, self._remote_ref, 1, 0)
        if got <= 0:
            return None
        self._view[got] = 0
        value: bytes = self._buf.value
        if len(value) < got or got >= limit:
            # Its NUL read, or `limit` bytes without one (a longer string,
            # cut there, whether or not the byte after them is readable).
            return value[:limit]
        if got < chunk:
            return None  # readable memory ends before the NUL: strace shows the address
        # No NUL in two pages: the string goes on (rare).
        parts = [value]
        total = got
        addr += got
        while total < limit:
            data = self.read(pid, addr, limit + 1 - total)
            if not data:
                return None  # unterminated, as above
            nul = data.find(b"\0")
            if nul >= 0:
                parts.append(data[:nul])
                break
            parts.append(data)
            total += len(data)
            addr += len(data)
        return b"".join(parts)[:limit]


# struct ptrace_syscall_info: op, pad[3], arch, ip, sp, then nr + args[6]
# (entry) or rval + is_error (exit), overlaid at offset 24.
SYSCALL_INFO = struct.Struct("<B3xI16xQ6Q")
SYSCALL_INFO_SIZE = 88
_SP_OFFSET = 16
# The stop loop's PTRACE_GET_SYSCALL_INFO buffer (one tracer thread, one
# buffer). Readers that run during a stop find the rest of the info there.
SYSCALL_INFO_BUFFER = ctypes.create_string_buffer(SYSCALL_INFO_SIZE)


def stack_pointer(pid: int) -> int | None:
    """The stack pointer of `pid` in its current syscall stop.

    SYSCALL_INFO unpacks only what every stop needs; the few readers that
    need the stack pointer (a sigreturn's signal frame lies there) run
    during the stop of `pid`, right after the loop filled the buffer, so
    they take it from there instead of asking the kernel again.
    """
    return int.from_bytes(SYSCALL_INFO_BUFFER.raw[_SP_OFFSET : _SP_OFFSET + 8], "little")


# struct user_regs_struct (x86_64): 27 registers; the ones a syscall needs
# when no syscall stop told them (a fork event under seccomp).
_REGS_SIZE = 27 * 8
_RBX, _RDI, _ORIG_RAX = 5, 14, 15
_regs = (ctypes.c_uint64 * 27)()


def syscall_in_progress(pid: int) -> tuple[int, int, int] | None:
    """(audit arch, number, first argument) of the call `pid` is stopped in.

    For event stops, where PTRACE_GET_SYSCALL_INFO gives the arch but
    neither the number nor the arguments: those come from the registers
    (the first argument is rdi on x86_64/x32, ebx on i386, whether the
    program is 32-bit or used int $0x80).
    """
    if ptrace(PTRACE_GET_SYSCALL_INFO, pid, SYSCALL_INFO_SIZE, ctypes.addressof(SYSCALL_INFO_BUFFER)) <= 0:
        return None
    arch = int.from_bytes(SYSCALL_INFO_BUFFER.raw[4:8], "little")
    if ptrace(PTRACE_GETREGS, pid, 0, ctypes.addressof(_regs)) < 0:
        return None
    first = _regs[_RDI] if arch == AUDIT_ARCH_X86_64 else _regs[_RBX] & 0xFFFFFFFF
    return arch, _regs[_ORIG_RAX] & 0xFFFFFFFF, first


# siginfo_t: signo, errno, code, then the union at offset 16: the kill/
# SIGCHLD view (pid, uid, status, utime, stime); a fault's si_addr overlays pid.
SIGINFO = struct.Struct("<iii4xiIi4xqq")
SIGINFO_SIZE = 128
