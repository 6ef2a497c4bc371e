"""Readers of the calls whose memory depends on a command argument: prctl's
options, seccomp's operations, the System V IPC commands, ptrace's
requests... (tracer thread only).

Each reader looks at the command first, so a call that needs nothing reads
nothing; what a command reads is data in atrace.syscalls (prctls.py,
cmds.py), shared with the renderer.  atrace.tracer.decoding registers these
next to the argument readers of atrace.tracer.readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..syscalls import ARCH_I386, prctls
from ..syscalls.cmds import IN, OUT, read_size
from ._ptrace import MemoryReader
from .readers import ExitReader, Reader, Value, text_or_bytes

# A classic BPF program has at most BPF_MAXINSNS (4096) instructions of 8 bytes.
BPF_MAXINSNS = 4096


class CallReaders:
    """The command-dependent readers, bound to one tracee memory and -s."""

    def __init__(self, memory: MemoryReader, string_limit: int) -> None:
        self._memory = memory
        self._string_limit = string_limit

    def entry(self, name: str, call: str) -> Reader | None:
        """The entry reader `name` for the call `call`, if it is one of these."""
        if name == "prctl_in":
            return self._prctl_entry
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

        return {"prctl_out": prctl_out, "cmd_out": cmd_out}.get(name)

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
            # One byte past -s tells whether the name goes on (strace's "...").
            raw = self._memory.read_cstring(pid, addr, self._string_limit + 1)
            return None if raw is None else text_or_bytes(raw)
        return self.fprog(pid, addr, arch != ARCH_I386)

    def fprog(self, pid: int, addr: int, wide: bool) -> Value:
        """A struct sock_fprog: [len, filter address, the instructions' bytes
        or nil] (a seccomp filter, a socket filter)."""
        size = 16 if wide else 8
        raw = self._memory.read(pid, addr, size)
        if raw is None or len(raw) < size:
            return None
        count = int.from_bytes(raw[:2], "little")
        filt = int.from_bytes(raw[size // 2 : size], "little")
        code = self._memory.read(pid, filt, 8 * min(count, BPF_MAXINSNS)) if count and filt else None
        return [count, filt, code]

    # -- commands whose argument is a struct -----------------------------

    def read_shape(self, pid: int, addr: int, size: int | str, wide: bool) -> Value:
        """`size` bytes at addr; "fprog" a sock_fprog and its program."""
        if size == "fprog":
            return self.fprog(pid, addr, wide)
        return self._memory.read(pid, addr, int(size)) if addr and size else None
