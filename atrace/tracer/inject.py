"""Syscall tampering (`-e inject=`, `-e fault=`), done at the tracee's stops.

The stop loop calls in here only for the calls of the injection table
(`TracerConfig.inject`, parsed by inject_spec.py), and only for calls it
records and shows (not the launched child's own calls before its exec),
as strace does:

* at the entry stop, `at_entry` counts the invocation (per task and per
  call, from 1, as strace's man page says: "per syscall and per tracee")
  and, when `when=` selects it, tampers: the call's number becomes -1
  (or the `syscall=` replacement), so the kernel skips it; `poke_enter`
  bytes are written where arguments point. What else the call gets is
  kept in a `Tamper` for its restart and exit;
* `resume` restarts the task with the signal to deliver (a signal given
  when restarting from a syscall stop is sent to the task: strace's
  `--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---`), or holds it
  for `delay_enter`/`delay_exit`;
* at the exit stop, `at_exit` writes the result register (`error=`,
  `retval=`) and `poke_exit` bytes; `note` adds to the exit record's data
  the list of what was done (docs/FORMAT.md, key `injected`), from which
  the text shows ` (INJECTED)` and ` (DELAYED)`.

A seccomp stop is an entry too, but the kernel ignores a signal given when
restarting from an event stop: under seccomp-bpf the signal is delivered
at the call's exit stop instead (the call itself is skipped or runs the
same).

Delays never block the tracer thread, which must keep serving the other
tasks: a held task is simply not restarted, and a *timer child* (a forked
process that sleeps until the earliest deadline, then exits) wakes the
loop's waitpid with its death; the loop hands that death to `on_timer`,
which restarts every task whose time has come.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import heapq
import os
import signal
import time
from collections.abc import Callable
from typing import Any

from ..syscalls import ARCH_X32, Syscall, by_name, lookup
from . import _ptrace as P
from .inject_spec import InjectSpec, InjectTable

PTRACE_PEEKDATA = 2
PTRACE_POKEDATA = 5
PTRACE_POKEUSER = 6
# struct user_regs_struct (x86_64), offsets in struct user: the syscall
# number the kernel dispatches on (orig_rax) and the result (rax). The same
# for 32-bit tracees: a 64-bit tracer sees the 64-bit layout.
ORIG_RAX_OFFSET = 15 * 8
RAX_OFFSET = 10 * 8
_MASK64 = (1 << 64) - 1
_SKIP = -1 & _MASK64  # an invalid number: the kernel runs nothing
# Timer children wake up this early at most (the loop restarts whatever is
# due within it, rather than forking again for a few microseconds).
_EARLY_NS = 200_000

# process_vm_writev for the pokes (cold: a call with argtypes is fine).
_libc = ctypes.CDLL(None, use_errno=True)
_process_vm_writev = _libc.process_vm_writev
_process_vm_writev.restype = ctypes.c_ssize_t


class _Iovec(ctypes.Structure):
    _fields_ = (("base", ctypes.c_void_p), ("len", ctypes.c_size_t))


class Tamper:
    """What one invocation gets beyond its entry: the restart's signal, the
    result to write at exit, the delays and exit pokes, and the notes."""

    __slots__ = ("call", "delay_enter_ns", "delay_exit_ns", "done", "entry_signal", "exit_signal", "number",
                 "poke_exit", "ret")  # fmt: skip

    def __init__(self, spec: InjectSpec, call: Syscall | None) -> None:
        self.call = call  # the call tampered with (its arguments for the pokes)
        self.entry_signal = 0
        self.exit_signal = 0
        self.ret: int | None = None  # the result written at exit
        self.delay_enter_ns = spec.delay_enter_ns
        self.delay_exit_ns = spec.delay_exit_ns
        self.poke_exit = spec.poke_exit
        self.done: list[str] = []  # what was done, for the exit record
        self.number = -1  # the call's own number when it was replaced (to undo it on a detach)


def _say(text: str) -> None:
    """A warning on stderr, worded as strace's (the trace goes on)."""
    os.write(2, f"atrace: {text}\n".encode())


def _write_memory(pid: int, addr: int, data: bytes) -> int:
    """Write `data` into the tracee at `addr`; the bytes written. As strace
    does: process_vm_writev, and where it cannot (not permitted, or the
    pages are read-only: a string literal) PTRACE_POKEDATA word by word,
    reading the words a write only partly covers first. A short write is
    said on stderr."""
    size = len(data)
    buffer = ctypes.create_string_buffer(data, size)
    local = _Iovec(ctypes.addressof(buffer), size)
    remote = _Iovec(addr, size)
    written = _process_vm_writev(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    if written >= 0:
        if written != size:
            _say(f"pid:{pid} short write ({written} < {size}) @{addr:#x}")
        return int(written)
    if ctypes.get_errno() not in (errno.ENOSYS, errno.EPERM, errno.EFAULT, errno.EIO):
        return 0
    done = 0
    while done < size:
        word_at = (addr + done) & ~7
        skip = addr + done - word_at
        count = min(8 - skip, size - done)
        word = b""
        if skip or count < 8:
            ctypes.set_errno(0)
            old = P.ptrace(PTRACE_PEEKDATA, pid, word_at, 0)
            if ctypes.get_errno():  # a word may be -1: only errno tells a failure
                break
            word = (old & _MASK64).to_bytes(8, "little")
        new = word[:skip] + data[done : done + count] + word[skip + count :] if word else data[done : done + 8]
        if P.ptrace(PTRACE_POKEDATA, pid, word_at, int.from_bytes(new, "little")) < 0:
            break
        done += count
    if 0 < done < size:
        _say(f"pid:{pid} short write ({done} < {size}) @{addr:#x}")
    return done


def _poke(pid: int, call: Syscall | None, args: tuple[int, ...], pokes: tuple[tuple[int, bytes], ...]) -> bool:
    """poke_enter/poke_exit: each argument's bytes written where it points.
    True when any was written; what could not be is said on stderr, in
    strace's words."""
    count = len(call.args) if call is not None else 6
    poked = False
    for index, data in pokes:
        if index >= count:
            name = call.name if call is not None else "?"
            _say(f"Failed to tamper with process {pid}: requested to tamper with argument #{index + 1}, "
                 f"but system call '{name}' has only {count} arguments")  # fmt: skip
        elif args[index] and _write_memory(pid, args[index], data):
            poked = True
        else:
            _say(f"Failed to tamper with process {pid}: couldn't poke")
    return poked


class Injector:
    """The tracer thread's tampering (one per Tracer)."""

    def __init__(self, table: InjectTable, restart: Callable[[int, int, int], None]) -> None:
        self._table = table
        self._restart = restart  # (tid, request, signal): the loop's restart of a held task
        # syscall= replacements, per ABI: number to write instead of -1.
        self._replacements: dict[tuple[int, str], int] = {}
        # Held tasks: (deadline ns, order, tid, request, signal, the call's
        # own number if it was replaced at this entry, else -1).
        self._held: list[tuple[int, int, int, int, int, int]] = []
        self._order = 0
        self._timers: dict[int, int] = {}  # timer child pid -> its deadline

    # -- at the stops ---------------------------------------------------

    def at_entry(self, counts: dict[tuple[int, int], int], pid: int, arch: int, nr: int,
                 args: tuple[int, ...], seccomp_stop: bool) -> Tamper | None:  # fmt: skip
        """Count this invocation in `counts` (the task's own) and tamper
        with it if its spec says so; None when it is left alone."""
        spec = self._table.get(arch, {}).get(nr)
        if spec is None:
            return None
        key = (arch, nr)
        count = counts.get(key, 0) + 1
        counts[key] = count
        if not spec.when.matches(count):
            return None
        tamper = Tamper(spec, lookup(arch, nr))
        if spec.poke_enter and _poke(pid, tamper.call, args, spec.poke_enter):
            tamper.done.append("poke_enter")
        if spec.skips:
            number = self._replacement(arch, spec.syscall) if spec.syscall else _SKIP
            if P.ptrace(PTRACE_POKEUSER, pid, ORIG_RAX_OFFSET, number) >= 0:
                tamper.number = nr | (P.X32_SYSCALL_BIT if arch == ARCH_X32 else 0)
                tamper.ret = -spec.error if spec.error is not None else _signed(spec.retval or 0)
                tamper.done.append("error" if spec.error is not None else "retval")
        if spec.signal:
            if seccomp_stop:
                tamper.exit_signal = spec.signal
            else:
                tamper.entry_signal = spec.signal
            tamper.done.append("signal")
        if spec.delay_enter_ns:
            tamper.done.append("delay_enter")
        if spec.delay_exit_ns:
            tamper.done.append("delay_exit")
        return tamper

    def _replacement(self, arch: int, name: str) -> int:
        key = (arch, name)
        number = self._replacements.get(key)
        if number is None:
            call = by_name(arch, name)
            number = _SKIP if call is None else call.nr | (P.X32_SYSCALL_BIT if arch == ARCH_X32 else 0)
            self._replacements[key] = number
        return number

    @staticmethod
    def at_exit(tamper: Tamper, pid: int, args: tuple[int, ...], ret: int) -> int:
        """The result the tracee gets: the injected one, written into its
        result register, else the kernel's."""
        if tamper.poke_exit and _poke(pid, tamper.call, args, tamper.poke_exit):
            tamper.done.append("poke_exit")
        if tamper.ret is None:
            return ret
        if P.ptrace(PTRACE_POKEUSER, pid, RAX_OFFSET, tamper.ret & _MASK64) < 0:
            return ret
        return tamper.ret

    @staticmethod
    def note(tamper: Tamper, data: dict[str, Any] | None) -> dict[str, Any] | None:
        """The exit record's data with what was done under `injected`."""
        if not tamper.done:
            return data
        data = {} if data is None else data
        data["injected"] = tamper.done
        return data

    def resume(self, tid: int, tamper: Tamper, request: int, at_exit: bool) -> None:
        """Restart a tampered task: with its signal, now or after its delay."""
        sig = tamper.exit_signal if at_exit else tamper.entry_signal
        delay = tamper.delay_exit_ns if at_exit else tamper.delay_enter_ns
        if delay:
            self._hold(tid, request, sig, delay, -1 if at_exit else tamper.number)
        else:
            P.raw_ptrace(request, tid, 0, sig)

    # -- delays ---------------------------------------------------------

    def _hold(self, tid: int, request: int, sig: int, delay_ns: int, number: int) -> None:
        deadline = time.monotonic_ns() + delay_ns
        self._order += 1
        heapq.heappush(self._held, (deadline, self._order, tid, request, sig, number))
        self._arm()

    def _arm(self) -> None:
        """A timer child for the earliest deadline, unless one comes by then."""
        if not self._held:
            return
        deadline = self._held[0][0]
        if any(at <= deadline for at in self._timers.values()):
            return
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)  # out of the terminal's signals
                P.prctl(P.PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
                time.sleep(max(deadline - time.monotonic_ns(), 0) / 1e9)
            finally:
                os._exit(0)
        self._timers[pid] = deadline

    def owns(self, pid: int) -> bool:
        """`pid` is one of our timer children (its death is not a tracee's)."""
        return pid in self._timers

    def on_timer(self, pid: int) -> None:
        """A timer child died: restart the tasks whose time has come."""
        self._timers.pop(pid, None)
        due = time.monotonic_ns() + _EARLY_NS
        while self._held and self._held[0][0] <= due:
            _deadline, _order, tid, request, sig, _number = heapq.heappop(self._held)
            self._restart(tid, request, sig)
        self._arm()

    def release_all(self) -> None:
        """Restart every held task now: atrace is detaching, and lets them go
        as they were. A call held at its entry whose number was replaced
        gets it back, since no exit stop will come to set its result: it
        runs as if never tampered with."""
        held, self._held = self._held, []
        for _deadline, _order, tid, request, sig, number in sorted(held):
            if number >= 0:
                P.ptrace(PTRACE_POKEUSER, tid, ORIG_RAX_OFFSET, number)
            self._restart(tid, request, sig)

    def close(self) -> None:
        """End the timer children (the loop is over)."""
        for pid in list(self._timers):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        self._timers.clear()


def _signed(value: int) -> int:
    """retval= as the signed 64-bit register value the loop records."""
    return value - (1 << 64) if value >= 1 << 63 else value
