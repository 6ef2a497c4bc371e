"""The resident server: `python -m atrace.resident.server SOCKET-NAME`.

Started in the background by a client that found none (client.spawn_server).
It imports everything a run imports, freezes those objects out of the
garbage collector's sight (a forked worker then does not write to, hence
copy, the pages they live on), and forks a worker per run.

Plain blocking code: no trio.run here. A fork inside trio.run would copy
its scheduler's state and threads half-way (the child has one thread and
locks held by others), so the server only imports trio; each worker starts
its own trio.run from a clean single-threaded fork.

One server per code key: the lock file next to the socket is held for the
server's life, and a stale socket is unlinked only while holding it. The
server exits after ATRACE_RESIDENT_IDLE seconds (300) without a connection.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import os
import signal
import socket
import sys
import time
from typing import TYPE_CHECKING

from . import client, place
from .wire import ProtocolError, receive, send

if TYPE_CHECKING:
    from .wire import Message

# Parts of the package a worker never runs: they are left to be imported
# by the in-process paths that need them.
NOT_PRELOADED = ("atrace.report", "atrace.analysis", "atrace.tail", "atrace.listen", "atrace.resident.server")
HANDSHAKE_TIMEOUT = 5.0
REAP_EVERY = 1.0


def preload() -> None:
    """Import what a text run and a msgpack run import, and the rest of the
    package. (Walked as files: pkgutil skips the folders without an
    __init__.py, which are packages all the same.)"""
    for name in sorted(package_modules()):
        if name.startswith(NOT_PRELOADED):
            continue
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def warm_up() -> None:
    """Parse a command line once, before the fork: argparse and the option
    tables fill caches (compiled patterns...) that every worker would
    otherwise fill again (a cold parse costs ~10 ms of CPU, a warm one 3)."""
    from .. import cli, strace_options

    with contextlib.suppress(Exception, SystemExit):
        parser = cli.build_parser()
        argv = ["-f", "-e", "trace=%file", "-s", "64", "true"]
        cli.config_from_args(parser.parse_args(strace_options.optional_values(parser, argv)))


def package_modules() -> list[str]:
    names = []
    root = os.path.dirname(place.PACKAGE_DIR)
    for folder, dirs, files in os.walk(place.PACKAGE_DIR):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        prefix = os.path.relpath(folder, root).replace(os.sep, ".")
        for file in files:
            if file.endswith(".py") and file != "__main__.py":
                stem = file[:-3]
                names.append(prefix if stem == "__init__" else f"{prefix}.{stem}")
    return names


class Server:
    def __init__(self, key: str, path: str, lock: int) -> None:
        self.key = key
        self.path = path
        self.lock = lock
        self.runs = 0
        self.refused = 0
        self.cpu = 0.0  # of the workers reaped so far (user + system, their children's too)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)

    def listen(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)  # stale: its server is gone (we hold the lock)
        old = os.umask(0o177)
        try:
            self.listener.bind(self.path)
        finally:
            os.umask(old)
        self.listener.listen(64)
        # (woken each REAP_EVERY seconds to reap the workers that ended)
        self.listener.settimeout(min(REAP_EVERY, place.idle_seconds()))

    def loop(self) -> None:
        idle = place.idle_seconds()
        last = time.monotonic()
        while True:
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                self._reap()
                if time.monotonic() - last >= idle:
                    return
                continue
            last = time.monotonic()
            with conn:
                if not self._handle(conn):
                    return
            self._reap()

    def _reap(self) -> None:
        """Reap the workers that ended, adding up their CPU time (status)."""
        while True:
            try:
                pid, _, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.cpu += usage.ru_utime + usage.ru_stime

    def _handle(self, conn: socket.socket) -> bool:
        """One connection; False: stop serving."""
        conn.settimeout(HANDSHAKE_TIMEOUT)
        try:
            request, fds = receive(conn)
        except (OSError, ProtocolError):
            return True
        try:
            op = request.get("op")
            if op == "run":
                reason = refusal(conn, request, fds, self.key)
                if reason is not None:
                    self.refused += 1
                    send(conn, {"served": False, "why": reason})
                else:
                    self.runs += 1
                    self._fork_worker(conn, request, fds)
            elif request.get("key") == self.key:
                send(conn, self._status())
                return op != "stop"
        except OSError:
            pass
        finally:
            for fd in fds:
                os.close(fd)
        return True

    def _status(self) -> Message:
        return {
            "pid": os.getpid(),
            "runs": self.runs,
            "refused": self.refused,
            "worker_cpu": round(self.cpu, 6),
            "socket": self.path,
            "key": self.key.replace("\0", " "),
        }

    def _fork_worker(self, conn: socket.socket, request: Message, fds: list[int]) -> None:
        if os.fork():
            return
        try:
            # The worker holds neither the listener nor the lock: a new
            # server may start while a long trace runs on.
            self.listener.close()
            os.close(self.lock)
            conn.settimeout(None)
            from . import worker

            worker.serve(conn, request, fds)
        finally:
            os._exit(1)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        self.listener.close()


def refusal(conn: socket.socket, request: Message, fds: list[int], key: str) -> str | None:
    """Why this client cannot be served transparently, or None: another
    user (the socket's directory should have kept it out), other code,
    other namespaces (pids, mounts... would not be the client's), other
    groups, capabilities, no_new_privs or seccomp mode."""
    if client.peer_ids(conn) != (os.getuid(), os.getgid()):
        return "another user"
    if request.get("key") != key:
        return "other code"
    if request.get("ns") != client.namespaces():
        return "other namespaces"
    if request.get("creds") != client.credentials():
        return "other credentials"
    if not isinstance(request.get("stdio"), list) or len(fds) != 1 + len(request["stdio"]):
        return "fds missing"
    return None


def _default_signals() -> None:
    """A clean signal state, whatever the spawning client had (each
    worker then sets its client's)."""
    for signo in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signo, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def main(argv: list[str]) -> int:
    key = place.code_key()
    if argv[1:2] != [place.socket_name(key)]:
        return 1  # not the code the client runs: it would never find us
    directory = place.socket_dir(create=True)
    if directory is None:
        return 1
    _default_signals()
    path = os.path.join(directory, place.socket_name(key))
    lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return 0  # another server for this code runs
    preload()
    warm_up()
    gc.freeze()
    server = Server(key, path, lock)
    try:
        server.listen()
        server.loop()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
