"""Readers of the calls whose memory depends on a command argument: prctl's
options, seccomp's operations, the System V IPC commands, socket options...
(tracer thread only).

Each reader looks at the command first, so a call that needs nothing reads
nothing; what a command reads is data in atrace.syscalls (prctls.py,
cmds.py), shared with the renderer.  atrace.tracer.decoding registers these
next to the argument readers of atrace.tracer.readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..syscalls import ARCH_I386, prctls
from ..syscalls.abi import signed
from ..syscalls.cmds import IN, OUT, read_size
from ..syscalls.kinds import MMSGHDR
from ._ptrace import MemoryReader
from .readers import BPF_MAXINSNS, MAX_RECORDS, PATH_LIMIT, ExitReader, Reader, Value, read_fprog, text_or_bytes

# getsockopt/setsockopt values that are structs (linger, ucred, timeval,
# ip_mreq, group_req: 136 bytes) are read whole even below the -s size.
SOCKOPT_MIN_READ = 136
# futex_waitv takes at most this many waiters (linux/futex.h).
FUTEX_WAITV_MAX = 128
# fsconfig's commands (linux/mount.h) whose key or value is read.
FSCONFIG_SET_STRING, FSCONFIG_SET_BINARY, FSCONFIG_SET_FD = 1, 2, 5
FSCONFIG_PATHS = (3, 4)  # FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY
# kexec_load takes at most this many segments (linux/kexec.h).
KEXEC_SEGMENT_MAX = 16
# Socket filter options: a struct sock_fprog to set, an instruction array to get.
SOL_SOCKET, SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF = 1, 26, 51


# struct sched_attr's size with sched_util_min and sched_util_max (SCHED_ATTR_SIZE_VER1).
SCHED_ATTR_MAX = 56
USER_DESC_SIZE = 16


class CallReaders:
    """The command-dependent readers, bound to one tracee memory and -s."""

    def __init__(self, memory: MemoryReader, string_limit: int) -> None:
        self._memory = memory
        self._string_limit = string_limit

    def entry(self, name: str, call: str) -> Reader | None:
        """The entry reader `name` for the call `call`, if it is one of these."""
        if name == "prctl_in":
            return self._prctl_entry
        if name == "sockopt_in":
            return self._sockopt_in
        if name == "futex_waiters":
            return self._futex_waiters
        if name == "fsconfig_key":
            return self._fsconfig_key
        if name == "fsconfig_value":
            return self._fsconfig_value
        if name == "kexec_segments":
            return self._kexec_segments
        if name == "kexec_cmdline":
            return self._kexec_cmdline
        if name == "sembufs":
            return self._sembufs
        if name == "msgbuf_in":
            return self._msgbuf_in
        if name == "mmsghdr_heads":
            return self._mmsghdr_heads
        if name == "sched_attr_in":
            return self._sched_attr_in
        if name == "user_desc_head":
            return self._user_desc_head
        if name != "cmd_in":
            return None

        def cmd_in(pid: int, arch: int, args: Sequence[int], index: int, /) -> Value:
            wide = arch != ARCH_I386
            size = read_size(call, args, IN, wide)
            return None if size is None else self.read_shape(pid, args[index], size, wide)

        return cmd_in

    def exit(self, name: str, call: str, wide: bool) -> ExitReader | None:
        """The exit reader `name` for the call and ABI (`wide`: 64-bit longs)."""

        def prctl_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            found = prctls.exit_read(args, 8 if wide else 4)
            return None if found is None else self._memory.read(pid, args[found[0]], found[1])

        def cmd_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            size = read_size(call, args, OUT, wide)
            if size == "ret":
                size = min(ret, self._string_limit)
            return None if size is None else self.read_shape(pid, args[index], size, wide)

        def sockopt_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            raw_len = self._memory.read(pid, args[index + 1], 4)
            if not raw_len or len(raw_len) < 4:
                return None
            length = signed(int.from_bytes(raw_len, "little"), 32)
            if args[1] & 0xFFFFFFFF == SOL_SOCKET and args[2] & 0xFFFFFFFF == SO_ATTACH_FILTER:
                # SO_GET_FILTER: the length is a count of instructions.
                want = 8 * min(length, BPF_MAXINSNS)
            else:
                want = min(length, max(self._string_limit, SOCKOPT_MIN_READ))
            data = self._memory.read(pid, args[index], want) if want > 0 and args[index] else None
            # strace shows the length going in and the one the kernel wrote back.
            return [data, length]

        def msgbuf_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            """msgrcv's struct msgbuf: mtype and the `ret` bytes received, cut at -s."""
            word = 8 if wide else 4
            return self._memory.read(pid, args[index], word + min(ret, self._string_limit)) if args[index] else None

        def sched_attr_out(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            return self._memory.read(pid, args[index], min(args[index + 1] & 0xFFFFFFFF, SCHED_ATTR_MAX))

        def sched_attr_size(pid: int, args: Sequence[int], index: int, ret: int, /) -> Value:
            # E2BIG: the kernel wrote the size it supports into attr.size.
            return self._memory.read(pid, args[index], 4) if ret < 0 else None

        readers: dict[str, ExitReader] = {"prctl_out": prctl_out, "cmd_out": cmd_out, "sockopt_out": sockopt_out,
                                          "msgbuf_out": msgbuf_out, "sched_attr_out": sched_attr_out,
                                          "sched_attr_size": sched_attr_size}  # fmt: skip
        return readers.get(name)

    # -- prctl -----------------------------------------------------------

    def _prctl_entry(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        found = prctls.entry_read(args)
        if found is None:
            return None
        at, what = found
        addr = args[at]
        if what == "name":
            # Raw, NUL or not: strace shows a name with no NUL in its first
            # 15 bytes cut, and an unterminated short one as its address.
            return self._memory.read(pid, addr, prctls.TASK_COMM_LEN)
        if what == "vma_name":
            return self._string(pid, addr)
        return self.fprog(pid, addr, arch != ARCH_I386)

    def _sched_attr_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """struct sched_attr, as much of it as is readable up to what strace knows."""
        return self._memory.read(pid, args[index], SCHED_ATTR_MAX)

    def _user_desc_head(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """get_thread_area's struct user_desc, as far as readable (entry_number at least, for strace's line)."""
        return self._memory.read(pid, args[index], USER_DESC_SIZE)

    def fprog(self, pid: int, addr: int, wide: bool) -> Value:
        return read_fprog(self._memory, pid, addr, wide)

    def _futex_waiters(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        count = min(args[index + 1] & 0xFFFFFFFF, FUTEX_WAITV_MAX, self._string_limit)
        return self._memory.read(pid, args[index], 24 * count) if count and args[index] else None

    def _kexec_segments(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        count = args[index - 1]
        if not args[index] or count > KEXEC_SEGMENT_MAX:
            return None
        size = 32 if arch != ARCH_I386 else 16
        # One past -s: strace marks a cut array "..." only when more is readable.
        return self._memory.read(pid, args[index], size * min(count, self._string_limit + 1))

    def _kexec_cmdline(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        length = min(args[index - 1], self._string_limit + 1)
        return self._memory.read(pid, args[index], length) if args[index] and length else None

    def _string(self, pid: int, addr: int) -> Value:
        """Raw bytes, NUL or not, one past -s: whether the string goes on
        (strace's "...") or ends unterminated (its address) is the renderer's."""
        return self._memory.read(pid, addr, self._string_limit + 1)

    def _fsconfig_key(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        return self._string(pid, args[index]) if args[1] & 0xFFFFFFFF <= FSCONFIG_SET_FD else None

    def _fsconfig_value(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        cmd = args[1] & 0xFFFFFFFF
        if cmd == FSCONFIG_SET_STRING:
            return self._string(pid, args[index])
        if cmd == FSCONFIG_SET_BINARY:
            size = min(signed(args[index + 1], 32), self._string_limit)
            if size == 0:
                return b""
            return self._memory.read(pid, args[index], size) if size > 0 and args[index] else None
        if cmd in FSCONFIG_PATHS:
            return self.read_shape(pid, args[index], "path", arch != ARCH_I386)
        return None

    # -- socket options --------------------------------------------------

    def _mmsghdr_heads(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """recvmmsg at entry: the entries' raw bytes, for each msg_namelen going in."""
        count = min(args[index + 1] & 0xFFFFFFFF, MAX_RECORDS)
        return self._memory.read(pid, args[index], MMSGHDR.size(arch) * count) if args[index] else None

    def _msgbuf_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """msgsnd's struct msgbuf: mtype (a long of the ABI) and mtext, cut at -s."""
        word = 4 if arch == ARCH_I386 else 8
        size = args[index + 1] & (0xFFFFFFFF if arch == ARCH_I386 else (1 << 64) - 1)
        return self._memory.read(pid, args[index], word + min(size, self._string_limit)) if args[index] else None

    def _sembufs(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        """semop's struct sembuf array (6 bytes each): as many as -s shows
        and one more (which tells `...`); the count is the next argument."""
        count = args[index + 1] & 0xFFFFFFFF
        return self._memory.read(pid, args[index], 6 * min(count, self._string_limit + 1)) if args[index] else None

    def _sockopt_in(self, pid: int, arch: int, args: Sequence[int], index: int) -> Value:
        length = signed(args[index + 1], 32) if index + 1 < len(args) else 0
        level, name = args[1] & 0xFFFFFFFF, args[2] & 0xFFFFFFFF
        if level == SOL_SOCKET and name in (SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF):
            return self.fprog(pid, args[index], arch != ARCH_I386) if args[index] else None
        want = min(length, max(self._string_limit, SOCKOPT_MIN_READ))
        return self._memory.read(pid, args[index], want) if want > 0 and args[index] else None

    # -- commands whose argument is a struct -----------------------------

    def read_shape(self, pid: int, addr: int, size: int | str, wide: bool) -> Value:
        """`size` bytes at addr; "fprog" a sock_fprog and its program."""
        if size == "fprog":
            return self.fprog(pid, addr, wide)
        if size == "path":
            raw = self._memory.read_cstring(pid, addr, PATH_LIMIT)
            return None if raw is None else text_or_bytes(raw)
        return self._memory.read(pid, addr, int(size)) if addr and size else None
