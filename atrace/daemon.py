"""-D/-DD/-DDD: the tracer as the command's detached grandchild.

Normally atrace forks the command and traces its child. With -D the roles
turn round, as with strace: the process the caller started (its pid, its
parent) becomes the command, and the tracer runs in a grandchild that then
belongs to nobody the caller knows (with -DD in a process group of its own,
with -DDD in a session of its own), so the caller's signals to the command's
process group or session do not reach it.

This runs before trio and before any thread: a fork copies one thread only.
"""

from __future__ import annotations

import os
from typing import NoReturn

from .tracer import _ptrace as P
from .tracer.become import exit_failed, wait_for_go
from .tracer.launch import CallerSignals, Command, become_command, exec_or_exit

# prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY): under Yama's ptrace_scope 1
# only an ancestor may trace a process, and the tracer is a descendant.
PR_SET_PTRACER = 0x59616D61
PR_SET_PTRACER_ANY = (1 << 64) - 1


def split(command: Command, caller: CallerSignals, level: int) -> tuple[int, int]:
    """Fork the tracer off. Returns, in the tracer grandchild only, the
    command's pid and the pipe to tell it to go on once seized; the
    original process becomes the command and never returns."""
    command_pid = os.getpid()
    P.prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0)
    wait_end, go = os.pipe()
    middle = os.fork()
    if middle == 0:
        if os.fork():
            os._exit(0)  # the middle child: gone at once, so the tracer has no parent the caller knows
        os.close(wait_end)
        if level == 2:
            os.setpgid(0, 0)
        elif level >= 3:
            os.setsid()
        return command_pid, go
    os.close(go)
    os.waitpid(middle, 0)
    _become_command(command, caller, wait_end)


def _become_command(command: Command, caller: CallerSignals, wait_end: int) -> NoReturn:
    """Wait until the tracer has seized this process, then exec the command
    (what the launched child does in launch.fork_stopped)."""
    try:
        wait_for_go(wait_end)
        become_command(command, caller)
    except OSError as err:
        exit_failed(err)
    exec_or_exit(command)
