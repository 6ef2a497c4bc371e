"""strace-format text from events.

One renderer serves the tracer's stderr output and `atrace tail`. It keeps
strace's conventions: a `[pid N]` prefix while more than one task is alive,
the return value aligned at column 40, `<unfinished ...>` when another task's
line comes between a call's entry and its exit, then `<... NAME resumed>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..events import records as R
from ..syscalls import ARCH_X86_64, Syscall, lookup
from .args import format_arg, format_return, quote
from .names import signal_name, si_code_name

RETURN_COLUMN = 40
# Argument kinds the kernel fills in: printed when the call returns.
OUT_KINDS = frozenset(
    {"buf_out", "stat_out", "statx_out", "sockaddr_out", "iov_out", "timespec_out", "wait_status_out", "rusage_out"}
)


@dataclass(slots=True)
class TextOptions:
    string_limit: int = 32
    hex_strings: int = 0  # -x: 1 non-printable as \x, -xx: 2 everything
    always_show_pid: bool = False
    pid_column: bool = False  # strace -o FILE -f style: "PID  " on every line


@dataclass(slots=True)
class _Pending:
    entry: R.SyscallEntry
    syscall: Syscall | None
    split: int  # index of the first argument printed at exit


class TextRenderer:
    def __init__(self, options: TextOptions | None = None) -> None:
        self.options = options or TextOptions()
        self._pending: dict[int, _Pending] = {}
        self._live: set[int] = set()
        self._open_line: int | None = None  # tid whose entry line is not finished
        self._open_width = 0  # characters already printed on that line
        self._out: list[str] = []

    def render(self, events: Iterable[R.Event]) -> str:
        """Text for a batch of events; may end in an unfinished line."""
        out = self._out
        new = tuple.__new__
        for event in events:
            kind = event[0]
            handler = _HANDLERS.get(kind)
            if handler is not None:
                # Raw tuples from the tracer become their typed view here.
                handler(self, new(_CLASSES[kind], event))
        text = "".join(out)
        out.clear()
        return text

    def finish(self) -> str:
        """Close a dangling line at the end of the stream."""
        if self._open_line is not None:
            self._open_line = None
            return " <unfinished ...>\n"
        return ""

    # -- helpers -------------------------------------------------------

    def _prefix(self, tid: int) -> str:
        if self.options.pid_column:
            return f"{tid:<5} "
        if self.options.always_show_pid or len(self._live) > 1:
            return f"[pid {tid:>5}] "
        return ""

    def _start_line(self, tid: int) -> str:
        """Interrupt another task's open line, then return the prefix."""
        self._live.add(tid)
        if self._open_line is not None:
            self._out.append(" <unfinished ...>\n")
            self._open_line = None
        return self._prefix(tid)

    def _line(self, tid: int, text: str) -> None:
        self._out.append(self._start_line(tid) + text + "\n")

    def _args(self, entry: R.SyscallEntry, syscall: Syscall | None, start: int, stop: int,
              ret: int | None, exit_data: dict[str, Any] | None) -> list[str]:
        if syscall is None:
            return [hex(a) for a in entry.args[start:stop]]
        parts = []
        for index in range(start, stop):
            arg = syscall.args[index]
            parts.append(format_arg(arg.kind, arg.name, entry.args, index, entry.data, exit_data, ret, self.options))
        return parts

    # -- handlers ------------------------------------------------------

    def _on_entry(self, entry: R.SyscallEntry) -> None:
        syscall = lookup(entry.arch, entry.nr)
        nargs = syscall.nargs if syscall is not None else 6
        split = nargs
        if syscall is not None:
            for index, arg in enumerate(syscall.args):
                if arg.kind in OUT_KINDS:
                    split = index
                    break
        pending = _Pending(entry, syscall, split)
        self._pending[entry.tid] = pending
        prefix = self._start_line(entry.tid)
        head = self._args(entry, syscall, 0, split, None, None)
        text = f"{prefix}{entry.name}(" + ", ".join(head)
        if split < nargs and head:
            text += ", "
        self._out.append(text)
        self._open_line = entry.tid
        self._open_width = len(text)

    def _on_exit(self, event: R.SyscallExit) -> None:
        pending = self._pending.pop(event.tid, None)
        if pending is None:
            # Attached mid-call: strace shows the resumption of an unknown call.
            self._line(event.tid, f"<... syscall_{event.nr} resumed>) = {event.ret}")
            return
        entry, syscall = pending.entry, pending.syscall
        nargs = syscall.nargs if syscall is not None else 6
        tail = self._args(entry, syscall, pending.split, nargs, event.ret, event.data)
        if self._open_line == event.tid:
            self._open_line = None
            text = ", ".join(tail) + ")"
            width = self._open_width + len(text)
        else:
            text = self._start_line(event.tid) + f"<... {entry.name} resumed>" + ", ".join(tail) + ")"
            width = len(text)
        self._out.append(text + _padding(width) + "= " + format_return(syscall, event.ret) + "\n")

    def _unreturned(self, tid: int) -> None:
        """The task's call in progress will never return: `= ?`."""
        pending = self._pending.pop(tid, None)
        if pending is None:
            return
        if self._open_line == tid:
            self._open_line = None
            text = ")"
            width = self._open_width + 1
        else:
            text = self._start_line(tid) + f"<... {pending.entry.name} resumed>)"
            width = len(text)
        self._out.append(text + _padding(width) + "= ?\n")

    def _on_exit_task(self, event: R.Exit) -> None:
        self._unreturned(event.tid)
        if event.signal is not None:
            core = " (core dumped)" if event.core_dumped else ""
            self._line(event.tid, f"+++ killed by {signal_name(event.signal)}{core} +++")
        else:
            self._line(event.tid, f"+++ exited with {event.code} +++")
        self._live.discard(event.tid)

    def _on_signal(self, event: R.Signal) -> None:
        name = signal_name(event.signo)
        fields = [f"si_signo={name}", f"si_code={si_code_name(event.signo, event.code)}"]
        extra = event.extra or {}
        if "addr" in extra:
            fields.append(f"si_addr={_pointer(extra['addr'])}")
        elif event.code <= 0 or "status" in extra:
            fields += [f"si_pid={event.sender_pid}", f"si_uid={event.sender_uid}"]
            if "status" in extra:
                status = extra["status"]
                shown = signal_name(status) if event.code in (2, 3, 4, 5, 6) else str(status)
                fields += [f"si_status={shown}", f"si_utime={extra['utime']}", f"si_stime={extra['stime']}"]
        self._line(event.tid, f"--- {name} {{{', '.join(fields)}}} ---")

    def _on_spawn(self, event: R.Spawn) -> None:
        self._live.add(event.tid)
        self._live.add(event.child_tid)

    def _on_exec(self, event: R.Exec) -> None:
        if event.old_tid != event.tid:
            # The old leader's call in progress ended with the exec; the
            # exec'ing thread's pending execve continues under the leader's tid.
            self._unreturned(event.tid)
            moved = self._pending.pop(event.old_tid, None)
            if moved is not None:
                self._pending[event.tid] = moved
                if self._open_line == event.old_tid:
                    self._out.append(" <unfinished ...>\n")
                    self._open_line = None
            # As strace says it: the leader was superseded by the execve that
            # thread old_tid made; that thread no longer exists on its own.
            self._live.discard(event.old_tid)
            self._line(event.tid, f"+++ superseded by execve in pid {event.old_tid} +++")

    def _on_stopped(self, event: R.Stopped) -> None:
        self._line(event.tid, f"--- stopped by {signal_name(event.signo)} ---")

    def _on_attached(self, event: R.Attached) -> None:
        self._live.add(event.tid)

    def _on_detached(self, event: R.Detached) -> None:
        if self._open_line == event.tid:
            self._out.append(" <detached ...>\n")
            self._open_line = None
        self._pending.pop(event.tid, None)
        self._live.discard(event.tid)

    def _on_lost(self, event: R.Lost) -> None:
        self._out.append(f"atrace: {event.events} events lost ({quote(event.reason.encode(), 200)})\n")


def _padding(width: int) -> str:
    """Spaces before `= ret`; strace counts the column from the start of
    the line, pid prefix included."""
    return " " * (RETURN_COLUMN - width) if width < RETURN_COLUMN else " "


def _pointer(value: int) -> str:
    return "NULL" if value == 0 else hex(value)


_CLASSES: dict[int, Any] = {number: cls for number, (_name, cls) in R.RECORDS.items()}
_HANDLERS: dict[int, Any] = {
    R.SYSCALL_ENTRY: TextRenderer._on_entry,
    R.SYSCALL_EXIT: TextRenderer._on_exit,
    R.EXIT: TextRenderer._on_exit_task,
    R.SIGNAL: TextRenderer._on_signal,
    R.SPAWN: TextRenderer._on_spawn,
    R.EXEC: TextRenderer._on_exec,
    R.STOPPED: TextRenderer._on_stopped,
    R.ATTACHED: TextRenderer._on_attached,
    R.DETACHED: TextRenderer._on_detached,
    R.LOST: TextRenderer._on_lost,
}

__all__ = ["ARCH_X86_64", "TextOptions", "TextRenderer"]
