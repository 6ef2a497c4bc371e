"""Starting the traced command: fork, stop, and exec in a pristine state.

The child is forked by the tracer thread (ptrace binds a tracee to the thread
that seized it). Before it execs it restores what atrace's own start-up and
its threads changed, so the command inherits what atrace's caller gave:
signal dispositions (Python ignores SIGPIPE and SIGXFSZ and installs a
SIGINT handler), the signal mask, and fds 0-2 only (every fd atrace opens is
close-on-exec, Python's default).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from dataclasses import dataclass, field
from typing import NoReturn

from ..errors import AtraceError
from .seccomp import Installer

# Python sets these to SIG_IGN at start-up, whatever the caller had; like
# Python's own subprocess module we give the command the default back.
_PYTHON_IGNORED = {signal.SIGPIPE, signal.SIGXFSZ}


@dataclass(frozen=True, slots=True)
class CallerSignals:
    """Signal state atrace inherited, captured on the main thread at start."""

    mask: frozenset[int]
    ignored: frozenset[int]

    @classmethod
    def capture(cls) -> CallerSignals:
        mask = frozenset(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, []))
        ignored = frozenset(int(s) for s in signal.valid_signals() if s not in _PYTHON_IGNORED and _is_ignored(int(s)))
        return cls(mask, ignored)


def _is_ignored(signo: int) -> bool:
    try:
        return signal.getsignal(signo) is signal.SIG_IGN
    except (OSError, ValueError):
        return False


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
    try:
        become_command(command, caller)
        os.kill(os.getpid(), signal.SIGSTOP)
        if seccomp is not None:
            seccomp.install()
    except OSError as err:
        exit_failed(err)
    exec_or_exit(command)


def become_command(command: Command, caller: CallerSignals) -> None:
    """In the process about to exec the command: the caller's signal state,
    -o -'s stdout, -u's user."""
    restore_signals(caller)
    if command.stdout_to_stderr:
        os.dup2(2, 1)
    if command.user is not None:
        uid, gid, groups = command.user
        os.setgroups(groups)
        os.setgid(gid)
        os.setuid(uid)


def exec_or_exit(command: Command) -> NoReturn:
    try:
        os.execve(command.executable, command.argv, command.env)
    except OSError as err:
        exit_failed(err)
    finally:
        os._exit(127)


def exit_failed(err: OSError) -> NoReturn:
    """As strace: the failed execve is in the trace, this says why, and the
    run exits 1."""
    os.write(2, f"atrace: exec: {err.strerror}\n".encode())
    os._exit(1)


def restore_signals(caller: CallerSignals) -> None:
    """Back to the caller's signal state (dispositions and mask), in a child about to exec."""
    signal.set_wakeup_fd(-1)
    for signo in signal.valid_signals():
        if signo in (signal.SIGKILL, signal.SIGSTOP):
            continue
        # (signals glibc reserves for itself, 32 and 33, cannot be set)
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signo, signal.SIG_IGN if signo in caller.ignored else signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, caller.mask)
