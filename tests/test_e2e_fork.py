"""End-to-end: process creation (vfork, fork+exec loops, mass kill of children)."""

import re

from conftest import describe, exits_by_tid, of_type, root_pid

import atrace


def test_vfork_then_exec_in_child(program, trace_set):
    """vfork() then execve() in the child.

    Covers PTRACE_EVENT_VFORK: the parent is suspended by the kernel until
    the child execs, so a tracer that waits on the parent before letting the
    child run deadlocks.  The trace has a Spawn of kind "vfork" and the
    child's Exec of /bin/echo.
    """
    proc, events = trace_set([program("vfork_exec")], "none")
    assert proc.returncode == 11, describe(proc)
    m = re.search(rb"^child (\d+) ok$", proc.stdout, re.M)
    assert m and b"vfork-child\n" in proc.stdout, describe(proc)
    child = int(m.group(1))
    pid = root_pid(events)

    [spawn] = of_type(events, atrace.Spawn, tid=pid)
    assert spawn.kind == "vfork"
    assert spawn.child_tid == spawn.child_tgid == child
    [ex] = of_type(events, atrace.Exec, tid=child)
    assert ex.tgid == ex.old_tid == child
    assert ex.filename == "/bin/echo"
    assert ex.argv == ["echo", "vfork-child"]
    # the Spawn happened before the child's exec
    assert spawn.ts <= ex.ts
    assert [e.code for e in exits_by_tid(events)[child]] == [0]


def test_shell_loop_500_fork_exec(trace_set):
    """A shell runs /bin/true 500 times: 500 fork(or vfork)+exec+exit cycles.

    Covers auto-attach of children and exec tracking at a high rate: exactly
    500 Exec events of /bin/true (plus the shell's own), 500 Spawns by the
    shell, 501 exits, all with code 0.
    """
    script = "i=0; while [ $i -lt 500 ]; do /bin/true; i=$((i+1)); done"
    proc, events = trace_set(["/bin/sh", "-c", script], "none", timeout=180)
    assert proc.returncode == 0, describe(proc)
    sh = root_pid(events)

    execs = of_type(events, atrace.Exec)
    true_execs = [e for e in execs if e.filename == "/bin/true"]
    assert len(true_execs) == 500
    assert len(execs) == 501
    assert [e.filename for e in execs if e.tid == sh] == ["/bin/sh"]

    spawns = of_type(events, atrace.Spawn, tid=sh)
    assert len(spawns) == 500
    assert {s.child_tid for s in spawns} == {e.tid for e in true_execs}
    by_tid = exits_by_tid(events)
    assert len(by_tid) == 501
    assert all([e.code for e in ex] == [0] for ex in by_tid.values())


def test_2000_children_sigkilled_at_once(program, trace_set):
    """2000 children SIGKILLed together with kill(-pgid, SIGKILL).

    Covers a storm of tracee deaths: many tasks die at once, some possibly
    before the tracer saw their first stop (PTRACE_EVENT_EXIT is not
    reported for SIGKILL in all states).  The tracer must not crash or hang,
    must record one Exit with signal 9 per child and must propagate the
    parent's exit code.
    """
    proc, events = trace_set([program("mass_kill")], "none", timeout=300)
    assert proc.returncode == 21, describe(proc)
    assert proc.stdout == b"killed 2000\n"
    pid = root_pid(events)

    spawns = of_type(events, atrace.Spawn, tid=pid)
    assert len(spawns) == 2000
    children = {s.child_tid for s in spawns}
    by_tid = exits_by_tid(events)
    assert children <= by_tid.keys(), f"{len(children - by_tid.keys())} children have no Exit"
    for child in children:
        [ex] = by_tid[child]
        assert (ex.code, ex.signal) == (None, 9), ex
    assert [(e.code, e.signal) for e in by_tid[pid]] == [(21, None)]
    assert not of_type(events, atrace.Lost)
