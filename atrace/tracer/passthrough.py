"""Pass-through: letting a tree that carries atrace's seccomp filter run on.

The filter installed in a launched command is inherited by every task it
starts and can never be removed, and a call it marks SECCOMP_RET_TRACE
fails with ENOSYS in a task that has no tracer (seccomp(2)). Detaching such
a task would change the program: its next execve (always in the filter)
would fail. So when atrace stops recording (its own failure, a detach
request) it stays the tracer of those tasks and restarts every stop at
once, recording nothing, until every task is gone:

* a signal-delivery stop: PTRACE_CONT with the signal (handlers, default
  actions, fatal signals: as untraced);
* a group-stop: PTRACE_LISTEN, so it stays stopped until SIGCONT and its
  parent's waitpid(WUNTRACED) still sees it (job control keeps working);
* seccomp, syscall and event stops: PTRACE_CONT, so the call runs as if
  untraced; the ptrace options the tasks were seized with still attach
  their new children, whose fork events name them here.

It reads nothing of the stop loop's state, which may be what failed: only
the tids it is given, and the wait statuses.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Iterable

from . import _ptrace as P


def pass_through(tids: Iterable[int], root: int, unannounced: Iterable[int] = (),
                 gone_unannounced: Iterable[int] = ()) -> int | None:  # fmt: skip
    """Restart every stop of these tasks (and of the children they start)
    until all are gone; return the wait status of `root`'s death, or None
    if it was not seen. `unannounced`: those of `tids` whose parent's fork
    event is still to come; `gone_unannounced`: children already reaped
    whose parent's fork event is still to come (it must not add them)."""
    # Each live task, and whether its parent's fork event was read: one that
    # dies before it must not be brought back by that event.
    live = dict.fromkeys(tids, True)
    live.update(dict.fromkeys(unannounced, False))
    # Deaths whose fork event is still to come (or of atrace's own children).
    gone = set(gone_unannounced)
    root_status = None
    message = ctypes.c_ulong()
    siginfo = ctypes.create_string_buffer(P.SIGINFO_SIZE)
    for tid in list(live):
        _restart_if_held(tid, siginfo)
    while live:
        try:
            pid, status = os.waitpid(-1, P.WALL)
        except ChildProcessError:
            break
        if not os.WIFSTOPPED(status):
            if not live.pop(pid, False):
                gone.add(pid)
            if pid == root:
                root_status = status
            continue
        if pid not in live:  # a new child whose parent's fork event is still to come
            live[pid] = False
            gone.discard(pid)  # (a pid used again)
        sig = os.WSTOPSIG(status)
        event = status >> 16
        named = event in P.SPAWN_EVENTS or event == P.PTRACE_EVENT_EXEC
        if named and P.ptrace(P.PTRACE_GETEVENTMSG, pid, 0, ctypes.addressof(message)) >= 0:
            other = message.value  # the new child, or the tid that exec'd
            if event == P.PTRACE_EVENT_EXEC:
                if other != pid:  # a thread exec'd: it has the leader's tid now
                    live.pop(other, None)
            elif other in gone:
                gone.discard(other)  # it lived and died already
            else:
                live[other] = True
        _restart(pid, sig, event)
    return root_status


def _restart(pid: int, sig: int, event: int) -> None:
    if event == P.PTRACE_EVENT_STOP and sig in P.GROUP_STOP_SIGNALS:
        P.ptrace(P.PTRACE_LISTEN, pid, 0, 0)
    elif event or sig == P.SYSCALL_STOP_SIGNAL:
        P.ptrace(P.PTRACE_CONT, pid, 0, 0)
    else:
        P.ptrace(P.PTRACE_CONT, pid, 0, sig)  # signal-delivery stop: deliver it


def _restart_if_held(tid: int, siginfo: ctypes.Array[ctypes.c_char]) -> None:
    """Restart `tid` if it sits in a ptrace-stop the stop loop never
    restarted (the stop being handled when it failed). Its siginfo says
    which stop: for a ptrace stop the kernel writes si_code as the wait
    status's upper bits (SIGTRAP|0x80, or SIGTRAP | event << 8, or the stop
    signal | PTRACE_EVENT_STOP << 8 for a group-stop); any other is a
    signal's own. A running or listening task answers ESRCH: its next stop
    comes to the loop."""
    if P.ptrace(P.PTRACE_GETSIGINFO, tid, 0, ctypes.addressof(siginfo)) < 0:
        return
    signo, _errno, code = P.SIGINFO.unpack_from(siginfo)[:3]
    if code >> 8 == P.PTRACE_EVENT_STOP and signo in P.GROUP_STOP_SIGNALS:
        _restart(tid, signo, P.PTRACE_EVENT_STOP)
    elif signo == signal.SIGTRAP and code == P.SYSCALL_STOP_SIGNAL:
        _restart(tid, P.SYSCALL_STOP_SIGNAL, 0)
    elif signo == signal.SIGTRAP and 0 < code >> 8 <= P.PTRACE_EVENT_STOP:
        _restart(tid, signo, code >> 8)
    else:
        _restart(tid, signo, 0)
