"""End-to-end: job control (group-stop and SIGCONT) under the tracer."""

import signal

from conftest import describe, exits_by_tid, of_type, root_pid

import atrace


def test_child_stops_itself_parent_sees_stop_and_continue(program, trace_set):
    """raise(SIGSTOP) in a child; the parent waits with WUNTRACED/WCONTINUED.

    Covers group-stop under ptrace (PTRACE_SEIZE + PTRACE_LISTEN, or the
    older re-injection dance): the tracer must let the child really stop so
    that its parent's waitpid(WUNTRACED) reports WIFSTOPPED, must not resume
    it by itself, and must let SIGCONT resume it.  The trace shows the
    SIGSTOP delivery, a Stopped event with signo 19, and the SIGCONT.
    """
    proc, events = trace_set([program("stop_self")], "none")
    assert proc.returncode == 31, describe(proc)
    assert proc.stdout == b"child resumed\n"
    pid = root_pid(events)
    [spawn] = of_type(events, atrace.Spawn, tid=pid)
    child = spawn.child_tid

    stops = of_type(events, atrace.Stopped, tid=child)
    assert [s.signo for s in stops] == [signal.SIGSTOP]
    assert stops[0].signo == 19
    child_signals = [s.signo for s in of_type(events, atrace.Signal, tid=child)]
    assert child_signals == [signal.SIGSTOP, signal.SIGCONT]
    # the order in the child's stream: SIGSTOP delivered, stopped, SIGCONT
    child_events = [e for e in events if isinstance(e, (atrace.Signal, atrace.Stopped)) and e.tid == child]
    assert [type(e).__name__ for e in child_events] == ["Signal", "Stopped", "Signal"]
    [cont] = of_type(events, atrace.Signal, tid=child, signo=signal.SIGCONT)
    assert cont.sender_pid == pid
    assert [e.code for e in exits_by_tid(events)[child]] == [0]
    # no other task stopped
    assert of_type(events, atrace.Stopped) == stops
