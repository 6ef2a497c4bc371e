"""The stop loop's fast paths: every stop of a long run of calls recorded
exactly, with what is read at each stop. (What is asked of the kernel
while a tracee waits in an event stop: tests/test_exit_cpu.py.)"""

from __future__ import annotations

from conftest import describe, syscalls

import atrace

CALLS = 3000


def test_every_getppid_of_a_long_run_recorded(program, trace_set) -> None:
    """3000 getppid calls in a row: the loop's tightest cycle (nothing to
    read, the next stop microseconds after the restart). Each one has its
    entry and its exit, in order, with the same return value."""
    proc, events = trace_set([program("stop_loop"), "getppid", str(CALLS)], "getppid")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == f"{CALLS}\n".encode()
    entries, exits = syscalls(events, "getppid")
    assert len(entries) == CALLS
    assert len(exits) == CALLS
    assert len({e.ret for e in exits}) == 1 and exits[0].ret > 0
    # Entry and exit alternate: no stop was taken for the other.
    calls = [e for e in events if isinstance(e, (atrace.SyscallEntry, atrace.SyscallExit)) and e.nr == entries[0].nr]
    assert [type(e) for e in calls] == [atrace.SyscallEntry, atrace.SyscallExit] * CALLS


def test_every_openat_path_read(program, trace_set) -> None:
    """3000 openat+close pairs: each openat entry's path is read from the
    stopped tracee (garbled or dropped reads would show here); under
    seccomp with -e trace=openat the closes leave no record at all."""
    proc, events = trace_set([program("stop_loop"), "openat", str(CALLS)], "openat")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == f"{CALLS}\n".encode()
    # Nothing of atrace's own child before its exec is shown (nor held and
    # shown as the exec's entry): the trace starts at the exec.
    first_exec = next(i for i, e in enumerate(events) if isinstance(e, atrace.Exec))
    assert not [e for e in events[:first_exec] if isinstance(e, atrace.SyscallEntry) and e.name != "execve"]
    entries, exits = syscalls(events, "openat")
    ours = [i for i, e in enumerate(entries) if e.data == {"filename": "/dev/null"}]
    assert len(ours) == CALLS
    # The program's opens are its last CALLS openat calls (the loader's
    # come first), each returning the same lowest free fd.
    assert ours == list(range(len(entries) - CALLS, len(entries)))
    fds = {x.ret for x in exits[-CALLS:]}
    assert len(exits) == len(entries) and len(fds) == 1 and fds.pop() >= 3
    closes, close_exits = syscalls(events, "close")
    if trace_set_mode(events) == "seccomp":
        # Outside the set: not one close stopped or left a record.
        assert closes == [] and close_exits == []
    else:
        assert len(closes) >= CALLS and len(close_exits) >= CALLS


def trace_set_mode(events) -> str:
    """Which of trace_set's runs this is: every call is recorded only in
    the every-call run (the program's execve is recorded in both; its
    loader's mmap calls only without a set)."""
    return "every-call" if syscalls(events, "mmap")[0] else "seccomp"
