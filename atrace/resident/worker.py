"""The worker: a fork of the server that runs one client's trace.

It becomes, as far as the trace can tell, the atrace process its client
would have been: the client's environment, cwd, umask, rlimits, signal
state and stdio (fds received by SCM_RIGHTS; one the client had closed
stays closed). Then it runs the ordinary CLI main, except that its client
forks the command (cli.main's `hand_off`) and that ending by a signal is
the client's to do (`die`).

A thread reads the client's socket for the rest of the run: a forwarded
signal is raised here, where atrace's own handlers act on it as they would
in-process; the client's end of file (it was killed) kills this worker
with SIGKILL, which detaches every tracee as when atrace itself is killed.
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import resource
import signal
import socket
import sys
import threading
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from .. import cli, session, strace_options
from ..errors import AtraceError
from ..sinks import piped_command
from ..tracer.become import PYTHON_IGNORED
from ..tracer.launch import Command
from ..tracer.loop import seccomp_likely
from ..tracer.seccomp import Installer
from .wire import ProtocolError, is_open, receive, send

if TYPE_CHECKING:
    from .wire import Message


def serve(sock: socket.socket, request: Message, fds: list[int]) -> NoReturn:
    """Run the client's trace, or tell it to run in-process; never returns.
    (The server has checked who the client is: server.refusal.)"""
    try:
        _adopt(request, fds[0])
        reason, notes, filtered = _not_served(request["argv"])
        if reason is not None:
            send(sock, {"served": False, "why": reason})
            os._exit(0)
        # (with whether a seccomp filter is likely: the client then loads
        # what installing one takes while this worker starts the trace)
        send(sock, {"served": True, "filter": filtered})
        _take_stdio(request["stdio"], fds[1:])
    except (OSError, ProtocolError, KeyError, TypeError, ValueError):
        # (before the trace started: the client runs it in-process)
        os._exit(1)
    _Run(sock, notes).main(request["argv"])


def _adopt(request: Message, cwd: int) -> None:
    """The client's process state, as a process it started would have it."""
    os.fchdir(cwd)
    os.close(cwd)
    os.umask(request["umask"])
    os.environb.clear()
    os.environb.update(request["env"])
    for which, (soft, hard) in request["rlimits"].items():
        if resource.getrlimit(which) != (soft, hard):
            # raising a hard limit needs privilege: then not served (ValueError)
            resource.setrlimit(which, (soft, hard))
    ignored = frozenset(request["ignored"])
    for signo in signal.valid_signals():
        if signo in (signal.SIGKILL, signal.SIGSTOP):
            continue
        action = signal.SIG_IGN if signo in ignored or signo in PYTHON_IGNORED else signal.SIG_DFL
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signo, action)
    if signal.SIGINT not in ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as Python sets it up
    signal.pthread_sigmask(signal.SIG_SETMASK, request["mask"])


def _not_served(argv: list[str]) -> tuple[str | None, bool, bool]:
    """Why this invocation runs in-process (the options whose process
    relationships differ in a worker), or None; whether the client is to
    note the exits of unknown children (no -f, no -qq); and whether a
    seccomp filter is likely (loop.seccomp_likely; the tracer decides: a guess
    only saves or costs the client a few ms). Parsed with stdio still on
    /dev/null: a bad option is main's to report, once: served."""
    try:
        parser = cli.build_parser()
        config = cli.config_from_args(parser.parse_args(strace_options.optional_values(parser, argv)))
    except (Exception, SystemExit):
        return None, False, False
    tracer = config.tracer
    notes = not tracer.follow_forks and "exit" in tracer.unknown_notes
    if config.behaviour.daemonize:
        return "-D", notes, False
    if tracer.attach:
        return "-p", notes, False
    if config.listen:
        return "--listen", notes, False
    if config.output is not None and piped_command(config.output) is not None:
        return "-o |", notes, False
    if tracer.command is None:
        return "no command", notes, False
    return None, notes, seccomp_likely(tracer)


def _take_stdio(open_fds: list[int], fds: list[int]) -> None:
    given = dict(zip(open_fds, fds, strict=True))
    for fd in (0, 1, 2):
        if fd in given:
            os.dup2(given[fd], fd)
        else:
            os.close(fd)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    sys.stdin = _stream(0, "r", sys.stdin)
    sys.stdout = _stream(1, "w", sys.stdout)
    sys.stderr = _stream(2, "w", sys.stderr)
    # What session.py computed at import, in the server, is recomputed here.
    session._STDIO_AT_START = session._open_at_start()


def _stream(fd: int, mode: str, old: TextIO | None) -> TextIO | None:
    """The text stream Python would have made for fd at start-up."""
    if fd not in (0, 1, 2) or not is_open(fd):
        return None
    encoding = getattr(old, "encoding", None) or "utf-8"
    errors = "backslashreplace" if fd == 2 else (getattr(old, "errors", None) or "strict")
    raw = open(fd, mode + "b", closefd=False)  # noqa: SIM115 (it is sys's)
    return io.TextIOWrapper(raw, encoding, errors, line_buffering=fd == 2 or os.isatty(fd))


class _Run:
    """The served run: its client's socket, read by a thread of its own."""

    def __init__(self, sock: socket.socket, unknown_exit_note: bool) -> None:
        self.sock = sock
        self.unknown_exit_note = unknown_exit_note
        self.launched: queue.Queue[tuple[Message, list[int]]] = queue.Queue()
        self.done = False

    def main(self, argv: list[str]) -> NoReturn:
        threading.Thread(target=self._read, name="atrace-client", daemon=True).start()
        sys.argv = ["atrace", *argv]
        try:
            code = cli.main(argv, launch=self.hand_off, die=self.die)
        except SystemExit as end:  # --help, --version
            code = end.code if isinstance(end.code, int) else 0 if end.code is None else 1
        self._end({"exit": code})

    def _read(self) -> None:
        while True:
            try:
                message, fds = receive(self.sock)
            except (OSError, ProtocolError):
                if not self.done:
                    # The client is gone (killed): go as atrace would.
                    os.kill(os.getpid(), signal.SIGKILL)
                return
            if "signal" in message:
                os.kill(os.getpid(), int(message["signal"]))
            elif "launched" in message or "failed" in message:
                self.launched.put((message, fds))

    def hand_off(self, command: Command, installer: Installer | None) -> int:
        """On the tracer thread: have the client fork the command; its pid
        (stopped, not yet traced)."""
        plan: dict[str, Any] = {
            "executable": command.executable,
            "argv": command.argv,
            "env": command.env,
            "user": list(command.user) if command.user is not None else None,
            "stdout_to_stderr": command.stdout_to_stderr,
            "seccomp": installer.as_plan() if installer is not None else None,
            "unknown_exit_note": self.unknown_exit_note,
        }
        send(self.sock, {"plan": plan})
        message, fds = self.launched.get()
        for fd in fds:
            os.close(fd)
        if "failed" in message:
            raise AtraceError(f"{command.executable}: {message['failed']}")
        return int(message["launched"])

    def die(self, signo: int) -> NoReturn:
        """End by a signal: the client does (cli._die_by_signal's job)."""
        self._end({"die": signo})

    def _end(self, result: Message) -> NoReturn:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
        self.done = True
        with contextlib.suppress(OSError):
            send(self.sock, result)
        os._exit(0)
