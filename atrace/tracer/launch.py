"""Starting the traced command: fork, stop, and exec in a pristine state.

The child is forked by the tracer thread (ptrace binds a tracee to the thread
that seized it). Before it execs it restores what atrace's own start-up and
its threads changed, so the command inherits what atrace's caller gave:
signal dispositions (Python ignores SIGPIPE and SIGXFSZ and installs a
SIGINT handler), the signal mask, and fds 0-2 only (every fd atrace opens is
close-on-exec, Python's default).
"""

from __future__ import annotations

import os
import shutil
import signal
from dataclasses import dataclass, field
from typing import NoReturn

from ..errors import AtraceError
from .become import become, ignored_signals, stop_then_exec
from .become import exec_or_exit as _exec_or_exit
from .seccomp import Installer


@dataclass(frozen=True, slots=True)
class CallerSignals:
    """Signal state atrace inherited, captured on the main thread at start."""

    mask: frozenset[int]
    ignored: frozenset[int]

    @classmethod
    def capture(cls) -> CallerSignals:
        mask = frozenset(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, []))
        return cls(mask, ignored_signals())


@dataclass(frozen=True, slots=True)
class Command:
    executable: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    stdout_to_stderr: bool = False
    # -u USER: (uid, gid, supplementary groups) the command runs as; the
    # child drops to them before it stops for the tracer and execs.
    user: tuple[int, int, list[int]] | None = None


def resolve(argv: list[str]) -> str:
    """The file execvp would run for argv[0], or AtraceError saying why not."""
    name = argv[0]
    if "/" in name:
        path = name
        try:
            os.stat(path)
        except OSError as err:
            raise AtraceError(f"Can't stat '{name}': {err.strerror}") from None
    else:
        found = shutil.which(name)
        if found is None:
            raise AtraceError(f"Can't stat '{name}': command not found in PATH")
        path = found
    # A file that exists but cannot run (a directory, no x bit) is not
    # refused here: as strace, the command's execve is made and traced, and
    # its error is then the run's one line ("exec: Permission denied").
    return path


def fork_stopped(command: Command, caller: CallerSignals, seccomp: Installer | None = None) -> int:
    """Fork a child that stops itself with SIGSTOP, then execs the command.

    With `seccomp`, the child installs that filter after its stop (the
    tracer has seized it by then and sees the install call's result) and
    just before its exec; a failed install is not the child's business: it
    execs all the same and the tracer falls back.

    Returns the child's pid; the child is stopped (or about to be) and not
    yet traced. Runs on the tracer thread.
    """
    pid = os.fork()
    if pid:
        return pid
    # Child: only async-signal-safe-ish work from here to exec.
    install = seccomp.install if seccomp is not None else None
    command_line = (command.executable, command.argv, command.env)
    stop_then_exec(caller.ignored, caller.mask, command.stdout_to_stderr, command.user, command_line, install)


def become_command(command: Command, caller: CallerSignals) -> None:
    """In the process about to exec the command: the caller's signal state,
    -o -'s stdout, -u's user."""
    become(caller.ignored, caller.mask, command.stdout_to_stderr, command.user)


def exec_or_exit(command: Command) -> NoReturn:
    _exec_or_exit(command.executable, command.argv, command.env)
