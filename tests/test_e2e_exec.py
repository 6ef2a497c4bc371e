"""End-to-end: execve corner cases (exec from a non-leader thread)."""

import re

from conftest import describe, exits_by_tid, of_type, syscalls

import atrace


def test_execve_from_non_leader_thread(program, trace_set):
    """A non-leader thread calls execve(): it takes over the leader's tid.

    Covers PTRACE_EVENT_EXEC with a tid change (the tracer learns the old tid
    from PTRACE_GETEVENTMSG): the Exec event has tid == tgid == pid and
    old_tid == the thread's tid; the old tid disappears without an Exit
    record, the leader it replaced gets no Exit either (a second, bogus exit
    of pid), and the new program runs to its own exit code.
    """
    proc, events = trace_set([program("exec_from_thread")], "execve")
    assert proc.returncode == 42, describe(proc)
    m = re.match(rb"pid (\d+) tid (\d+)\nafter-exec pid (\d+) tid (\d+)\n$", proc.stdout)
    assert m, describe(proc)
    pid, thread_tid, new_pid, new_tid = map(int, m.groups())
    assert thread_tid != pid and new_pid == new_tid == pid

    [ex] = of_type(events, atrace.Exec, old_tid=thread_tid)
    assert ex.tid == ex.tgid == pid
    assert ex.argv[1:] == ["after-exec"]
    assert ex.filename == str(program("exec_from_thread"))
    assert len([e for e in of_type(events, atrace.Exec, tid=pid) if e.argv[1:] == ["after-exec"]]) == 1

    # execve was entered by the thread (tid != pid) ...
    entries, _ = syscalls(events, "execve", tid=thread_tid)
    assert len(entries) == 1
    # ... and returns 0 in the leader's tid: the exec event stop comes first,
    # so the first syscall exit of pid after the Exec event is that execve's
    after = events[events.index(ex) + 1 :]
    first_exit = next((e for e in after if isinstance(e, atrace.SyscallExit) and e.tid == pid), None)
    assert first_exit is not None, "no syscall exit of pid after the exec"
    assert (first_exit.nr, first_exit.ret) == (entries[0].nr, 0)

    by_tid = exits_by_tid(events)
    assert thread_tid not in by_tid, by_tid[thread_tid]
    assert len(by_tid.get(pid, [])) == 1, by_tid.get(pid)
    assert by_tid[pid][0].code == 42
    # nothing at all is recorded under the old tid after the Exec
    assert not [e for e in after if getattr(e, "tid", None) == thread_tid]
