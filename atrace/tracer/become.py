"""Becoming the traced command: what a forked process does before its exec.

One place for it, used by the three ways a command is started: forked by
the tracer thread (launch.fork_stopped), the caller's own process with -D
(daemon.py), and the resident server's thin client (resident/client.py),
which imports nothing heavy: this module needs only os and _signal (the
signal module's C half: signal.py imports enum, which costs the client
milliseconds; the functions are the same, with plain ints for signals).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal
    from collections.abc import Callable, Iterable
    from typing import NoReturn
else:
    import _signal as signal

# Python sets these to SIG_IGN at start-up, whatever the caller had; like
# Python's own subprocess module we give the command the default back.
PYTHON_IGNORED = frozenset({int(signal.SIGPIPE), int(signal.SIGXFSZ)})

# -u USER: (uid, gid, supplementary groups)
User = tuple[int, int, list[int]]


def ignored_signals() -> frozenset[int]:
    """The signals this process ignores, except the ones Python itself
    ignored at start-up (whether its caller did is unknown)."""
    return frozenset(int(s) for s in signal.valid_signals() if int(s) not in PYTHON_IGNORED and _is_ignored(int(s)))


def _is_ignored(signo: int) -> bool:
    try:
        return signal.getsignal(signo) == signal.SIG_IGN
    except (OSError, ValueError):
        return False


def become(ignored: Iterable[int], mask: Iterable[int], stdout_to_stderr: bool, user: User | None) -> None:
    """In the process about to exec the command: the caller's signal state,
    -o -'s stdout, -u's user."""
    restore_signals(frozenset(ignored), mask)
    if stdout_to_stderr:
        os.dup2(2, 1)
    if user is not None:
        uid, gid, groups = user
        os.setgroups(groups)
        os.setgid(gid)
        os.setuid(uid)


def restore_signals(ignored: frozenset[int], mask: Iterable[int]) -> None:
    """Back to the caller's signal state (dispositions and mask), in a child about to exec."""
    signal.set_wakeup_fd(-1)
    for signo in signal.valid_signals():
        if signo in (signal.SIGKILL, signal.SIGSTOP):
            continue
        try:  # noqa: SIM105 (no contextlib: start-up time)
            signal.signal(signo, signal.SIG_IGN if signo in ignored else signal.SIG_DFL)
        except (OSError, ValueError):
            pass  # (signals glibc reserves for itself, 32 and 33, cannot be set)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def stop_then_exec(
    ignored: Iterable[int],
    mask: Iterable[int],
    stdout_to_stderr: bool,
    user: User | None,
    command: tuple[str, list[str], dict[str, str]],
    install: Callable[[], object] | None = None,
) -> NoReturn:
    """The launched child (forked by the tracer thread, or by the resident
    client): become the command, stop with SIGSTOP until the tracer has
    seized and continued us, install the seccomp filter if any (a failed
    install is the tracer's to see), then exec the command (executable,
    argv, env)."""
    try:
        become(ignored, mask, stdout_to_stderr, user)
        os.kill(os.getpid(), signal.SIGSTOP)
        if install is not None:
            install()
    except OSError as err:
        exit_failed(err)
    exec_or_exit(*command)


def wait_for_go(wait_end: int) -> None:
    """Block until a tracer that is not our parent has seized us and
    written the go byte; end-of-file means it failed (and said why)."""
    if os.read(wait_end, 1) != b"x":
        os._exit(1)
    os.close(wait_end)


def exec_or_exit(executable: str, argv: list[str], env: dict[str, str]) -> NoReturn:
    try:
        os.execve(executable, argv, env)
    except OSError as err:
        exit_failed(err)
    finally:
        os._exit(127)


def exit_failed(err: OSError) -> NoReturn:
    """As strace: the failed execve is in the trace, this says why, and the
    run exits 1."""
    os.write(2, f"atrace: exec: {err.strerror}\n".encode())
    os._exit(1)


# linux/prctl.h, linux/seccomp.h
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2


_prctl: Callable[[int, int, int, int, int], int] | None = None


def load_prctl() -> Callable[[int, int, int, int, int], int]:
    """libc's prctl through ctypes, imported here only (~5-8 ms): only a
    client that installs a filter pays for it, and the resident client
    loads it while its worker starts, when told a filter is coming."""
    global _prctl
    if _prctl is None:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
        prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)
        prctl.restype = ctypes.c_int
        _prctl = prctl
    return _prctl


def prepare_filter(program: bytes, count: int, no_new_privs: bool) -> Callable[[], int]:
    """The install of a seccomp filter given as its `count` struct
    sock_filter records (seccomp.Installer.as_plan), ready to call in a
    forked child: everything is imported and allocated here, before the
    fork (after its stop the child must make only the prctl calls: any
    other call, such as an import's, would be in the trace). The install
    returns 0, or -1 (the tracer sees why)."""
    prctl = load_prctl()
    import ctypes

    buffer = ctypes.create_string_buffer(program, max(1, len(program)))
    # struct sock_fprog: unsigned short len; (padding) struct sock_filter *filter
    header = count.to_bytes(2, "little") + bytes(6) + ctypes.addressof(buffer).to_bytes(8, "little")
    fprog = ctypes.create_string_buffer(header)
    fprog_address = ctypes.addressof(fprog)

    def install() -> int:
        _keep = (buffer, fprog)  # alive as long as the install can run
        if no_new_privs and prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return -1
        result: int = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog_address, 0, 0)
        return result

    return install
