"""-p with -f: an attached process's *future* children are traced too, and
after the detach the process goes on forking and running them normally."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from conftest import DEFAULT_TIMEOUT, atrace_argv, atrace_env, kill_group, of_type, proc_status, read_events, wait_until

import atrace


def _traced(pid: int) -> bool:
    return proc_status(pid).get("TracerPid", "0") != "0"


def test_attach_with_f_follows_new_children_and_detach_leaves_the_loop_working(tmp_path: Path) -> None:
    fifo = tmp_path / "go"
    os.mkfifo(fifo)
    log = tmp_path / "log"
    # A shell that runs a child per line it reads: it sleeps in read() when
    # we attach, and forks+execs only after that. An empty read (the shell
    # reopened the fifo before our writer closed it: a race on a loaded
    # machine) must not end the loop, or the test would blame the detach.
    loop = subprocess.Popen(
        ["sh", "-c", f'while :; do read x < {fifo} || continue; /bin/echo "child-$x" >> {log}; done'],
        start_new_session=True,
    )
    trace_file = tmp_path / "t.atrace"
    tracer = subprocess.Popen(
        atrace_argv("-f", "-o", trace_file, "-p", str(loop.pid)), env=atrace_env(), stderr=subprocess.PIPE
    )
    try:
        wait_until(lambda: _traced(loop.pid), what="atrace to attach")
        with open(fifo, "w") as go:
            go.write("one\n")
        wait_until(lambda: log.exists() and "child-one" in log.read_text(), what="the first child to run")
        tracer.send_signal(signal.SIGINT)
        # Detached by SIGINT, atrace ends by it (as strace).
        assert tracer.wait(DEFAULT_TIMEOUT) == -signal.SIGINT, tracer.stderr.read() if tracer.stderr else b""
        assert tracer.stderr is not None
        notices = tracer.stderr.read().decode().splitlines()
        # As strace says it, on stderr, whatever -o is.
        assert notices == [f"atrace: Process {loop.pid} attached", f"atrace: Process {loop.pid} detached"]
        assert not _traced(loop.pid), "still traced after the detach"
        # The loop still works untraced: a second child runs.
        with open(fifo, "w") as go:
            go.write("two\n")
        wait_until(lambda: "child-two" in log.read_text(), what="the loop to go on after the detach")
        assert loop.poll() is None
    finally:
        kill_group(loop.pid)
        loop.wait(DEFAULT_TIMEOUT)
        if tracer.poll() is None:
            tracer.kill()
    events = read_events(trace_file)
    assert of_type(events, atrace.Attached, tid=loop.pid)
    spawns = of_type(events, atrace.Spawn, tgid=loop.pid)
    assert spawns, "the fork after the attach was not followed"
    child = spawns[0].child_tid
    execs = of_type(events, atrace.Exec, tid=child)
    assert execs and execs[0].argv == ["/bin/echo", "child-one"]
    assert of_type(events, atrace.Exit, tid=child, code=0)
    assert of_type(events, atrace.Detached, tid=loop.pid)
    assert isinstance(events[-1], atrace.Trailer)
