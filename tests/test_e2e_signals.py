"""End-to-end: signal delivery, injection, syscall restart, death by SIGKILL."""

import os
import re
import shlex
import signal

from conftest import atrace_argv, describe, exits_by_tid, of_type, root_pid, run, syscalls

import atrace

ERESTARTSYS = 512
EINTR = 4


def test_100_sigusr1_all_delivered_to_handler(program, trace_set):
    """kill(getpid(), SIGUSR1) x 100 with a counting handler.

    Covers signal-delivery-stops: each one must be reported as a Signal
    event and the signal re-injected with PTRACE_SYSCALL(sig) - a tracer that
    suppresses (or duplicates) it changes what the program counts.
    """
    proc, events = trace_set([program("sigusr1_count")], "kill")
    assert proc.returncode == 41, describe(proc)
    assert proc.stdout == b"handled 100\n"
    pid = root_pid(events)

    sigs = of_type(events, atrace.Signal, signo=signal.SIGUSR1)
    assert len(sigs) == 100
    assert all(s.tid == pid and s.tgid == pid for s in sigs)
    # sent with kill(): si_code SI_USER (0), si_pid the process itself
    assert all((s.code, s.sender_pid, s.sender_uid) == (0, pid, os.getuid()) for s in sigs), sigs[:3]
    entries, exits = syscalls(events, "kill")
    assert len(entries) == len(exits) == 100
    assert all(e.ret == 0 for e in exits)


def test_sigkill_while_thread_blocked_in_read(program, trace_set):
    """A process kills itself with SIGKILL while another thread is in read().

    Covers tasks vanishing mid-syscall (no syscall-exit stop, no signal
    stop for SIGKILL) and the tracer mirroring the root's death: like strace,
    atrace must then kill itself with the same signal (exit status 137 in a
    shell, returncode -9 here).
    """
    proc, events = trace_set([program("killed_in_read")], "read")
    assert proc.returncode == -signal.SIGKILL, describe(proc)
    m = re.match(rb"reader (\d+) blocked\n$", proc.stdout)
    assert m, describe(proc)
    reader = int(m.group(1))
    pid = root_pid(events)

    by_tid = exits_by_tid(events)
    assert [(e.code, e.signal) for e in by_tid.get(pid, [])] == [(None, 9)]
    assert [(e.code, e.signal) for e in by_tid.get(reader, [])] == [(None, 9)]
    # the reader's read was entered and never returned
    entries, exits = syscalls(events, "read", tid=reader)
    assert len(entries) == 1 and exits == []
    trailers = of_type(events, atrace.Trailer)
    assert len(trailers) == 1 and trailers[0].summary["signal"] == 9


def test_sigkill_exit_status_seen_by_shell(program, tmp_path):
    """``sh -c 'atrace ... PROG; echo $?'`` prints 137 for a SIGKILLed PROG.

    Same corner as above, seen the way a user sees it (strace prints 137).
    """
    argv = shlex.join(atrace_argv("-f", "-o", tmp_path / "t.msgpack", "--", program("killed_in_read")))
    proc = run(["/bin/sh", "-c", f"{argv}; echo status=$?"], cwd=tmp_path)
    assert proc.stdout.endswith(b"status=137\n"), describe(proc)


def test_read_restarted_after_sa_restart_handler(program, trace_set):
    """read() on a pipe interrupted by SIGALRM (SA_RESTART) is restarted.

    Covers ERESTARTSYS: the tracer sees the read exit with -512, a signal
    stop for SIGALRM, the handler's syscalls and rt_sigreturn, then the read
    entered again by the kernel's restart.  The tracer must not turn the
    restart into EINTR (e.g. by clobbering registers); the program checks it.
    """
    proc, events = trace_set([program("restart_read")], "read,rt_sigreturn")
    assert proc.returncode == 51, describe(proc)
    assert proc.stdout == b"read 1 byte(s) after 1 signal(s)\n"
    pid = root_pid(events)

    entries, exits = syscalls(events, "read", tid=pid)
    # the last two read calls: the interrupted one and its restart
    assert [e.ret for e in exits[-2:]] == [-ERESTARTSYS, 1]
    assert entries[-1].args[0] == entries[-2].args[0]  # same fd
    assert all(e.ret != -EINTR for e in exits)
    # the SIGALRM was delivered between the two
    interrupted, restarted = exits[-2], entries[-1]
    between = events[events.index(interrupted) : events.index(restarted)]
    assert [s.signo for s in of_type(between, atrace.Signal)] == [signal.SIGALRM]
    assert of_type(between, atrace.SyscallEntry, name="rt_sigreturn")
