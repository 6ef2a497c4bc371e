"""The thin client: the `atrace` process hands its run to a resident server.

It imports light stdlib only (the point is to start in milliseconds). It
sends the worker what the run depends on (argv, environment, cwd, umask,
stdio, rlimits, signal state), forks the command itself when the worker
sends the plan (so the command is this process's child, with everything
the caller gave it), forwards the signals in-process atrace would act on,
and ends as the worker says: an exit code or a death by a signal.

Before the worker says it serves the run, any failure means "run
in-process" (None); after that, the run is the worker's.
"""

from __future__ import annotations

import os
import resource
import sys

from ..tracer.become import ignored_signals, load_prctl, prepare_filter, stop_then_exec
from . import place
from .wire import ProtocolError, is_open, receive, send, unix_socket

# The C halves of signal and socket (their Python halves import enum):
# mypy checks against the full modules, which have the same functions.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal
    import socket as _socket
    from collections.abc import Callable
    from typing import NoReturn

    from .wire import Message
else:
    import _signal as signal
    import _socket

# The namespaces a worker must share with its client: the pids it sees and
# seizes, the files it opens, the creds it checks are then the same.
NAMESPACES = ("pid", "mnt", "user", "net", "ipc", "uts", "cgroup")

# Signals forwarded to the worker. The four atrace stops on (-I decides
# what they do there) always; these only if the caller did not ignore them
# (atrace would have died by them; the worker does, and so do we).
ALWAYS_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
FORWARDED_UNLESS_IGNORED = (signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM)

HANDSHAKE_TIMEOUT = 20.0  # seconds
UCRED_SIZE = 12  # struct ucred: int pid, uid, gid


def peer_ids(sock: _socket.socket) -> tuple[int, int]:
    """The uid and gid of the process at the other end."""
    cred = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, UCRED_SIZE)
    return int.from_bytes(cred[4:8], "little"), int.from_bytes(cred[8:12], "little")


def run(argv: list[str]) -> int | None:
    """Run through a server: the exit code, or None to run in-process."""
    if not place.enabled() or argv[:1] in (["tail"], ["report"], ["resident"]):
        return None
    directory = place.socket_dir(create=True)
    if directory is None:
        return None
    key = place.code_key()
    # Which of fds 0-2 the caller gave us, before our socket may take one.
    stdio = [fd for fd in (0, 1, 2) if is_open(fd)]
    sock = _connect(directory, key)
    if sock is None:
        return None
    try:
        reply = _handshake(sock, key, argv, stdio)
    except (OSError, ProtocolError):
        sock.close()
        return None
    if reply.get("served") is not True:
        sock.close()
        return None
    if reply.get("filter"):
        # ctypes for the filter's install, loaded while the worker starts
        # the trace (its plan comes ~15 ms later), not once the plan is here
        load_prctl()
    return _serve(sock, stdio)


def _connect(directory: str, key: str) -> _socket.socket | None:
    """The server's socket, checked to be ours; without one, start a
    server for the next run (this one runs in-process)."""
    sock = unix_socket()
    try:
        sock.connect(os.path.join(directory, place.socket_name(key)))
        ids = peer_ids(sock)
    except OSError:
        sock.close()
        spawn_server(key)
        return None
    if ids != (os.getuid(), os.getgid()):
        sock.close()
        return None
    return sock


def _handshake(sock: _socket.socket, key: str, argv: list[str], stdio: list[int]) -> Message:
    cwd = os.open(".", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    umask = os.umask(0o22)
    os.umask(umask)
    request: Message = {
        "op": "run",
        "key": key,
        "argv": argv,
        "env": dict(os.environb),
        "umask": umask,
        "stdio": stdio,
        "ns": namespaces(),
        "creds": credentials(),
        "rlimits": rlimits(),
        "ignored": sorted(ignored_signals()),
        "mask": sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])),
    }
    try:
        send(sock, request, [cwd, *stdio])
    finally:
        os.close(cwd)
    # A server that does not answer (stopped, swamped) is given up on, and
    # the run goes in-process; were its worker to answer later, it would
    # find this end closed and end (its reader sees end-of-file).
    sock.settimeout(HANDSHAKE_TIMEOUT)
    reply, fds = receive(sock)
    sock.settimeout(None)
    for fd in fds:
        os.close(fd)
    return reply


def namespaces() -> dict[str, str]:
    found = {}
    for name in NAMESPACES:
        try:
            found[name] = os.readlink(f"/proc/self/ns/{name}")
        except OSError:
            found[name] = ""
    return found


# /proc/self/status lines a worker must share with its client: what it may
# do (ids, groups, capabilities: the seccomp filter's no_new_privs depends
# on CAP_SYS_ADMIN) and what it is under (no_new_privs, a seccomp filter).
CREDENTIALS = (b"Uid:", b"Gid:", b"Groups:", b"CapInh:", b"CapPrm:", b"CapEff:", b"CapBnd:", b"CapAmb:",
               b"NoNewPrivs:", b"Seccomp:")  # fmt: skip


def credentials() -> list[bytes]:
    try:
        with open("/proc/self/status", "rb") as status:
            return [line.strip() for line in status if line.startswith(CREDENTIALS)]
    except OSError:
        return []


def rlimits() -> dict[int, tuple[int, int]]:
    found = {}
    for name in dir(resource):
        if name.startswith("RLIMIT_"):
            which = getattr(resource, name)
            found[which] = resource.getrlimit(which)
    return found


class _Run:
    """The served run: the signal state the command is to get, and the
    last signal forwarded (the worker may die by it without a word)."""

    def __init__(self, sock: _socket.socket, stdio: list[int]) -> None:
        self.sock = sock
        self.stdio = stdio  # which of fds 0-2 were open at our start
        self.ignored = ignored_signals()
        self.mask = frozenset(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, []))
        self.forwarded: int | None = None
        self.command = 0  # its pid, once forked
        # Without -f, in-process atrace reaps a child it never traced (one
        # the command cloned with CLONE_PARENT: ours here) and says so.
        self.unknown_exit_note = False

    def reap(self, signo: int, frame: object) -> None:
        """On SIGCHLD: reap our children, as in-process atrace, their parent,
        would (the command: only after its tracer has seen its end; a
        CLONE_PARENT child of the command: or it would stay a zombie)."""
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid <= 0:
                return
            if pid != self.command and self.unknown_exit_note:
                os.write(2, f"atrace: Exit of unknown pid {pid} ignored\n".encode())

    def forward(self, signo: int, frame: object) -> None:
        self.forwarded = signo
        try:  # noqa: SIM105 (contextlib is not imported here: start-up time)
            send(self.sock, {"signal": signo})
        except OSError:
            pass  # the worker is gone: its end of file tells us

    def listen(self) -> None:
        for signo in ALWAYS_FORWARDED:
            signal.signal(signo, self.forward)
        for signo in FORWARDED_UNLESS_IGNORED:
            if signo not in self.ignored:
                signal.signal(signo, self.forward)


def _serve(sock: _socket.socket, stdio: list[int]) -> int:
    state = _Run(sock, stdio)
    state.listen()
    while True:
        try:
            message, fds = receive(sock)
        except (OSError, ProtocolError):
            # The worker died without a word: killed by the signal we
            # forwarded (atrace would have been), or something went wrong.
            if state.forwarded is not None:
                die_by_signal(state.forwarded)
            os.write(2, b"atrace: the resident server's worker ended without a result\n")
            return 1
        if "plan" in message:
            _launch(state, message["plan"])
        elif "exit" in message:
            return int(message["exit"])
        elif "die" in message:
            die_by_signal(int(message["die"]))
        for fd in fds:
            os.close(fd)


def _launch(state: _Run, plan: Message) -> None:
    """Fork the command, stopped as fork_stopped's child stops, and tell
    the worker its pid once it is (the worker seizes and continues it)."""
    seccomp = plan["seccomp"]
    install = prepare_filter(seccomp[0], seccomp[1], seccomp[2]) if seccomp is not None else None
    # No forwarding handler may run in the child before it resets them.
    everything = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        pid = os.fork()
    except OSError as err:
        signal.pthread_sigmask(signal.SIG_SETMASK, everything)
        send(state.sock, {"failed": f"fork: {err.strerror}"})
        return
    if pid == 0:
        _become_command(state, plan, install)
    signal.pthread_sigmask(signal.SIG_SETMASK, everything)
    _, status = os.waitpid(pid, os.WUNTRACED)
    if not os.WIFSTOPPED(status):
        send(state.sock, {"failed": "the child ended before it could be traced"})
        return
    state.command = pid
    state.unknown_exit_note = bool(plan["unknown_exit_note"])
    send(state.sock, {"launched": pid})
    signal.signal(signal.SIGCHLD, state.reap)
    state.reap(signal.SIGCHLD, None)
    _release_stdio(state.stdio, keep_stdout=plan["stdout_to_stderr"])


def _become_command(state: _Run, plan: Message, install: Callable[[], int] | None) -> NoReturn:
    # The worker must see our end of file if we die, not wait for the exec.
    os.close(state.sock.detach())
    user = plan["user"]
    stop_then_exec(
        state.ignored,
        state.mask,
        plan["stdout_to_stderr"],
        (user[0], user[1], user[2]) if user else None,
        (plan["executable"], plan["argv"], plan["env"]),
        install,
    )


def _release_stdio(stdio: list[int], keep_stdout: bool) -> None:
    """As in-process atrace once the command is seized (session.py's
    release_standard_fds): our fd 0, and fd 1 unless it is the trace's
    output (`-o -`), point at /dev/null, so that when the command closes
    its stdin or stdout the other end of the pipe sees it at once. (Only
    those we were started with: a closed one stays closed.)"""
    chosen = [fd for fd in ((0,) if keep_stdout else (0, 1)) if fd in stdio]
    if not chosen:
        return
    try:
        null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return
    for fd in chosen:
        os.dup2(null, fd, inheritable=False)
    if null not in chosen:
        os.close(null)


def die_by_signal(signo: int) -> NoReturn:
    """End by the signal the in-process atrace would have ended by (never
    with a core dump), as cli._die_by_signal does."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if signo not in (signal.SIGKILL, signal.SIGSTOP):
        signal.signal(signo, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signo])
    os.kill(os.getpid(), signo)
    os._exit(128 + signo)


def spawn_server(key: str) -> None:
    """Start a server in the background for the next run: double fork and
    setsid (no parent or terminal of ours), stdio on /dev/null, cwd /, no
    fd of the caller's (a pipe held open would keep its reader waiting)."""
    first = os.fork()
    if first:
        os.waitpid(first, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, 1 << 16)
        os.chdir("/")
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        env = dict(os.environ)
        # The same package as ours, whatever sys.path the caller had.
        parent = os.path.dirname(place.PACKAGE_DIR)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [parent, env.get("PYTHONPATH")]))
        os.execve(sys.executable, [sys.executable, "-m", "atrace.resident.server", place.socket_name(key)], env)
    finally:
        os._exit(127)


def control(argv: list[str]) -> int:
    """`atrace resident status|stop`."""
    if argv not in (["status"], ["stop"]):
        os.write(2, b"atrace: usage: atrace resident status|stop\n")
        return 1
    directory = place.socket_dir(create=False)
    key = place.code_key()
    sock = unix_socket()
    try:
        if directory is None:
            raise FileNotFoundError
        sock.connect(os.path.join(directory, place.socket_name(key)))
        send(sock, {"op": argv[0], "key": key})
        reply, _ = receive(sock)
    except (OSError, ProtocolError):
        _say("atrace: no resident server\n")
        return 1 if argv == ["status"] else 0
    finally:
        sock.close()
    if argv == ["stop"]:
        _say(f"atrace: resident server {reply.get('pid')} stopping\n")
        return 0
    _say("".join(f"{name}: {reply.get(name)}\n" for name in ("pid", "runs", "refused", "worker_cpu", "socket", "key")))
    return 0


def _say(text: str) -> None:
    """To stdout in one write; a reader that went away (`| head -1`) is no error."""
    try:  # noqa: SIM105 (no contextlib: the client's start-up time)
        os.write(1, text.encode())
    except BrokenPipeError:
        pass
