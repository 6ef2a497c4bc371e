"""strace-format text from events.

One renderer serves the tracer's stderr output and `atrace tail`. It keeps
strace's conventions: a `[pid N]` prefix while more than one task is alive,
the return value aligned at column 40 (-a), `<unfinished ...>` when another task's
line comes between a call's entry and its exit, then `<... NAME resumed>`.
Display options (-t/-tt/-ttt, -r, -T, -n, -v, -x, -s) are applied here;
the filters (-e status=, -z/-Z, -P, -e trace-fds=, -e signal=) run before,
as a stage of their own (render/stage.py), so the renderer shows every
event it is given.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..events import records as R
from ..syscalls import ARCH_I386, ARCH_X86_64, Syscall, lookup
from ..syscalls.calls import NEVER_RETURN
from . import decode, socketcall
from .call import Call, hex0
from .dumps import call_dump
from .flags import set_const_style
from .fmt_signal import format_siginfo
from .injected import injection_notes
from .names import signal_name
from .options import TextOptions
from .pid_texts import pid_text
from .quoting import fd_path_text, quote
from .returns import format_error, format_return

# Not a wire record: the filter stage hands the renderer a call it hides
# with this type, so that strace's "[ Process PID=N runs in 32 bit mode. ]"
# still comes when the call is made, as strace notes every call's ABI
# whether it shows the call or not.
HIDDEN_ENTRY = -1


_EXIT_COMM = R.Exit._fields.index("comm")
# The return value of a call a signal interrupted, which restart_syscall resumes.
_ERESTART_RESTARTBLOCK = -516


@dataclass(slots=True)
class _Pending:
    entry: R.SyscallEntry
    syscall: Syscall | None
    split: int  # index of the first argument printed at exit
    total: int  # how many arguments the line has
    head: list[str]  # arguments printed at entry


class TextRenderer:
    def __init__(self, options: TextOptions | None = None) -> None:
        self.options = options or TextOptions()
        self._pending: dict[int, _Pending] = {}
        self._live: set[int] = set()
        self._open_line: int | None = None  # tid whose entry line is not finished
        self._open_width = 0  # characters already printed on that line
        self._out: list[str] = []
        self._arch: dict[int, int] = {}  # personality last seen per process
        self._last_ts: int | None = None  # for -r
        self._last_nr: dict[int, int] = {}  # for -n: strace numbers a task's every line
        self._comm: dict[int, str] = {}  # -Y: each task's command name, from its calls' `comm`
        # The call a signal interrupted with ERESTART_RESTARTBLOCK, per task:
        # its restart_syscall says what it resumes.
        self._interrupted: dict[int, str] = {}
        self._narrow: set[int] = set()  # -i: tasks making i386 calls (8-digit addresses)

    def render(self, events: Iterable[R.Event]) -> str:
        """Text for a batch of events; may end in an unfinished line."""
        out = self._out
        new = tuple.__new__
        set_const_style(self.options.const_style)  # -X, for every formatter
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

    def _prefix(self, tid: int, ts: int) -> str:
        options = self.options
        # -Y: the task's command name after its pid, as strace
        comm = f"<{self._comm[tid]}>" if self._comm and tid in self._comm else ""
        if options.pid_column:
            text = f"{tid}{comm} " if comm else f"{tid:<5} "
        elif options.always_show_pid or len(self._live) > 1:
            text = f"[pid {tid:>5}{comm}] "
        else:
            text = ""
        if options.relative:
            delta = 0 if self._last_ts is None else max(ts - self._last_ts, 0)
            self._last_ts = ts
            text += f"{delta // 1_000_000_000:6d}{_fraction(delta, options.relative_digits)} "
        if options.timestamps:
            digits = options.timestamp_digits
            if digits is None:
                digits = 0 if options.timestamps == 1 else 6
            text += _timestamp(ts, options.timestamps, digits)
        return text

    def _start_line(self, tid: int, ts: int) -> str:
        """Interrupt another task's open line, then return the prefix."""
        self._live.add(tid)
        if self._open_line is not None:
            self._out.append(" <unfinished ...>\n")
            self._open_line = None
        return self._prefix(tid, ts)

    def _ip_text(self, tid: int, ip: int | None) -> str:
        """-i: the address a line happened at, `?`s where there is none
        (a task's exit), as wide as the task's word."""
        if not self.options.instruction_pointer:
            return ""
        width = 8 if tid in self._narrow else 16
        return f"[{'?' * width}] " if ip is None else f"[{ip:0{width}x}] "

    def _line(self, tid: int, ts: int, text: str, ip: int | None = None) -> None:
        text = self._ip_text(tid, ip) + text
        number = self._last_nr.get(tid) if self.options.syscall_numbers else None
        if number is not None:
            # strace's -n puts the task's last syscall number on its
            # exit and signal lines too (`[ 231] +++ exited with 0 +++`)
            text = f"[{number:4d}] {text}"
        self._out.append(self._start_line(tid, ts) + text + "\n")

    def _call(self, entry: R.SyscallEntry, syscall: Syscall, ret: int | None,
              exit_data: dict[str, Any] | None) -> Call:  # fmt: skip
        return Call(syscall, entry.arch, entry.args, entry.data or {}, exit_data, ret, self.options)

    def _personality(self, entry: R.SyscallEntry) -> None:
        """strace's note when a process starts making calls of the other ABI."""
        wide = entry.arch != ARCH_I386
        last = self._arch.get(entry.tgid, ARCH_X86_64) != ARCH_I386
        if wide != last and self.options.personality_notes and "personality" not in self.options.quiet:
            self._arch[entry.tgid] = entry.arch
            if self._open_line is not None:
                self._out.append(" <unfinished ...>\n")
                self._open_line = None
            self._out.append(f"[ Process PID={entry.tgid} runs in {'64' if wide else '32'} bit mode. ]\n")

    # -- handlers ------------------------------------------------------

    def _on_entry(self, entry: R.SyscallEntry) -> None:
        # (Every call's line passes here: the options and the personality
        # are checked inline, not through a method call each.)
        options = self.options
        data = entry.data
        if data and "comm" in data:
            self._comm[entry.tid] = fd_path_text(data["comm"])
        syscall = lookup(entry.arch, entry.nr)
        if (entry.arch == ARCH_I386) != (self._arch.get(entry.tgid, ARCH_X86_64) == ARCH_I386):
            self._personality(entry)
        if options.syscall_numbers:
            self._last_nr[entry.tid] = entry.nr
        if options.instruction_pointer:
            self._note_width(entry)
        if syscall is not None and syscall.name == "socketcall":
            entry, syscall = socketcall.unwrap(entry, syscall)
        if syscall is None or syscall.name in options.raw:
            # Unknown, or -e raw=: every argument as a hex number, at entry.
            head = [hex(a) if a else "0" for a in entry.args[: 6 if syscall is None else len(syscall.args)]]
            split = total = len(head)
        else:
            call = self._call(entry, syscall, None, None)
            head = decode.arguments(call)
            if syscall.name == "restart_syscall" and entry.tid in self._interrupted:
                head = [f"<... resuming interrupted {self._interrupted.pop(entry.tid)} ...>"]
            total = len(head)
            split = decode.split(syscall, total, call)
            head = head[:split]
        pending = _Pending(entry, syscall, split, total, head)
        prefix = self._start_line(entry.tid, entry.ts)
        text = prefix + self._head_text(pending)
        if syscall is not None and syscall.name in NEVER_RETURN and not (data and data.get("tampered")):
            # No exit stop will come: the line is complete now (strace).
            text += ")"
            self._out.append(text + _padding(len(text), options.columns) + "= ?\n")
            return
        self._pending[entry.tid] = pending
        self._out.append(text)
        self._open_line = entry.tid
        self._open_width = len(text)

    def _head_text(self, pending: _Pending) -> str:
        entry = pending.entry
        options = self.options
        number = f"[{entry.nr:4d}] " if options.syscall_numbers else ""
        if options.instruction_pointer:
            number += self._ip_text(entry.tid, self._entry_ip(entry))
        text = f"{number}{entry.name}(" + ", ".join(pending.head)
        if pending.split < pending.total and pending.head:
            text += ", "
        return text

    def _on_exit(self, event: R.SyscallExit) -> None:
        pending = self._pending.pop(event.tid, None)
        if pending is None:
            # Joined mid-call (a live tail, an attach): the entry is not
            # in this stream. The exit has the number but not the
            # personality: the process's last known one, else x86_64's.
            syscall = lookup(self._arch.get(event.tgid, ARCH_X86_64), event.nr)
            name = syscall.name if syscall is not None else f"syscall_{event.nr}"
            self._line(event.tid, event.ts, f"<... {name} resumed>) = {format_return(syscall, event.ret)}")
            return
        entry, syscall = pending.entry, pending.syscall
        options = self.options
        exit_data: dict[str, Any] | None = event.data
        if event.ret == _ERESTART_RESTARTBLOCK:
            self._interrupted[event.tid] = entry.name
        tail: list[str]
        if syscall is not None and syscall.name in options.raw:
            tail = []
            result = format_error(event.ret) or hex0(event.ret & (1 << 64) - 1)
        elif syscall is not None:
            exit_data = event.data if event.data is not None else {}
            if entry.nr != syscall.nr and "args" in exit_data:
                exit_data = socketcall.exit_data(exit_data)
            # Every argument shown at entry, and a plain call has one part
            # per argument: formatting them again (a 4 KiB string quoted
            # twice) would only be cut away.
            shown = pending.split >= pending.total and syscall.name not in decode.CALLS
            # (most calls: nothing more to show than the value, without a Call)
            plain = decode.plain_result(syscall, exit_data, event.ret) if shown else None
            if plain is not None:
                tail = []
                result = plain
            else:
                # An empty map, not None: the call is known to have returned.
                call = self._call(entry, syscall, event.ret, exit_data)
                tail = [] if shown else decode.arguments(call)[pending.split :]
                result = decode.result(call, event.ret)
        else:
            tail = []
            result = format_return(None, event.ret)
        if exit_data and "injected" in exit_data:
            result += injection_notes(exit_data["injected"])
        if options.syscall_times:
            elapsed = max(event.ts - entry.ts, 0)
            result += f" <{elapsed // 1_000_000_000}{_fraction(elapsed, options.times_digits)}>"
        if self._open_line == event.tid:
            self._open_line = None
            text = ", ".join(tail) + ")"
            width = self._open_width + len(text)
        else:
            text = self._start_line(event.tid, event.ts) + self._ip_text(event.tid, self._entry_ip(entry))
            text += f"<... {entry.name} resumed>" + ", ".join(tail) + ")"
            width = len(text)
        self._out.append(text + _padding(width, options.columns) + "= " + result + "\n")
        if syscall is not None and (options.dump_read or options.dump_write):
            self._out.append(call_dump(syscall, entry.args, entry.data or {}, exit_data, event.ret, options, entry.tid))

    def _unreturned(self, tid: int, ts: int) -> None:
        """The task's call in progress will never return: `= ?`."""
        pending = self._pending.pop(tid, None)
        if pending is None:
            return
        # Arguments shown only at a call's exit are unknown (strace).
        rest = " <unfinished ...>)" if pending.split < pending.total else ")"
        if self._open_line == tid:
            self._open_line = None
            text = rest
            width = self._open_width + len(rest)
        else:
            text = self._start_line(tid, ts) + self._ip_text(tid, self._entry_ip(pending.entry))
            text += f"<... {pending.entry.name} resumed>" + rest
            width = len(text)
        self._out.append(text + _padding(width, self.options.columns) + "= ?\n")

    def _note_width(self, entry: R.SyscallEntry) -> None:
        if entry.arch == ARCH_I386:
            self._narrow.add(entry.tid)
        else:
            self._narrow.discard(entry.tid)

    @staticmethod
    def _entry_ip(entry: R.SyscallEntry) -> int | None:
        ip = entry.data.get("ip") if entry.data else None
        return ip if isinstance(ip, int) else None

    def _on_hidden_entry(self, entry: R.SyscallEntry) -> None:
        if self.options.instruction_pointer:
            self._note_width(entry)
        self._personality(entry)
        if self.options.syscall_numbers:
            self._last_nr[entry.tid] = entry.nr

    def _on_exit_task(self, event: R.Exit) -> None:
        self._unreturned(event.tid, event.ts)
        # -Y: its name as it exited (records from before `comm`, or built
        # short by the tracer for a task it saw die first, end earlier)
        comm = event[_EXIT_COMM] if len(event) > _EXIT_COMM else None
        if comm is not None:
            self._comm[event.tid] = fd_path_text(comm)
        shown = self.options.filter
        if event.signal is not None and shown is not None and not shown.wants_signal(event.signal):
            pass  # strace shows `+++ killed by SIG` only for the -e signal= set
        elif event.signal is not None:
            core = " (core dumped)" if event.core_dumped else ""
            self._line(event.tid, event.ts, f"+++ killed by {signal_name(event.signal)}{core} +++")
        elif "exit" not in self.options.quiet:
            self._line(event.tid, event.ts, f"+++ exited with {event.code} +++")
        self._live.discard(event.tid)

    def _on_signal(self, event: R.Signal) -> None:
        fields: dict[str, Any] = {"si_signo": event.signo, "si_code": event.code, "si_pid": event.sender_pid,
                                  "si_uid": event.sender_uid}  # fmt: skip
        extra = event.extra or {}
        if "pid_ns" in extra:
            # --pidns-translation: the sender as atrace's pid namespace numbers it
            fields["si_pid"] = pid_text(event.sender_pid, None, extra["pid_ns"])
        if "addr" in extra:
            fields["si_addr"] = extra["addr"]
        if "status" in extra:
            fields.update(si_status=extra["status"], si_utime=extra["utime"], si_stime=extra["stime"])
        name = signal_name(event.signo)
        self._line(event.tid, event.ts, f"--- {name} {format_siginfo(fields)} ---", extra.get("ip"))

    def _on_spawn(self, event: R.Spawn) -> None:
        self._live.add(event.tid)
        self._live.add(event.child_tid)
        if event.tgid in self._arch:
            self._arch.setdefault(event.child_tgid, self._arch[event.tgid])

    def _on_exec(self, event: R.Exec) -> None:
        if event.old_tid != event.tid:
            # The old leader's call in progress ended with the exec; the
            # exec'ing thread's pending execve continues under the leader's tid.
            self._unreturned(event.tid, event.ts)
            moved = self._pending.pop(event.old_tid, None)
            if moved is not None:
                self._pending[event.tid] = moved
                if self._open_line == event.old_tid:
                    # strace closes the execve line with the task's new pid
                    self._out.append(f" <pid changed to {event.tid} ...>\n")
                    self._open_line = None
            # The old tid is gone already: this line counts one task less.
            self._live.discard(event.old_tid)
            # (strace's quiet names this message both ways)
            if not {"superseded", "thread-execve"} & self.options.quiet:
                self._line(event.tid, event.ts, f"+++ superseded by execve in pid {event.old_tid} +++")

    def _on_stopped(self, event: R.Stopped) -> None:
        self._line(event.tid, event.ts, f"--- stopped by {signal_name(event.signo)} ---")

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


def _fraction(ns: int, digits: int) -> str:
    """`.` and the first `digits` digits of the nanoseconds in ns; nothing
    for whole seconds."""
    if digits <= 0:
        return ""
    return "." + f"{ns % 1_000_000_000:09d}"[:digits]


def _timestamp(ts: int, style: int, digits: int) -> str:
    """-t/-tt (style 1, 2): the time of day; -ttt (3): seconds since the epoch."""
    seconds = ts // 1_000_000_000
    whole = str(seconds) if style >= 3 else time.strftime("%H:%M:%S", time.localtime(seconds))
    return f"{whole}{_fraction(ts, digits)} "


def _padding(width: int, column: int) -> str:
    """Spaces before `= ret`; strace counts the column (-a, default 40) from
    the start of the line, pid prefix included."""
    return " " * (column - width) if width < column else " "


_CLASSES: dict[int, Any] = {number: cls for number, (_name, cls) in R.RECORDS.items()}
_CLASSES[HIDDEN_ENTRY] = R.SyscallEntry
_HANDLERS: dict[int, Any] = {
    HIDDEN_ENTRY: TextRenderer._on_hidden_entry,
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
