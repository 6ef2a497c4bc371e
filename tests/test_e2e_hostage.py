"""atrace never holds a tracee hostage (issue 12).

Whatever its outputs do (a pipe nobody reads, a live reader that stopped
reading), Ctrl-C while attached lets every tracee go at once, in the state
it was in; a live reader never slows the trace or the file output; -ff does
not run out of fds; a second tracer cannot take a live one's socket.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import msgpack
import pytest
from conftest import (
    DEFAULT_TIMEOUT,
    atrace_argv,
    atrace_env,
    kill_group,
    read_events,
    run,
    unix_socket_clients,
    wait_until,
)
from test_e2e_attach import targets, wait_traced_by  # noqa: F401  (targets is a fixture)

import atrace

LOST, TRAILER = 10, 15


def _start(argv: list[Any], **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(a) for a in argv], env=atrace_env(), start_new_session=True, **kwargs)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        kill_group(proc.pid)
        proc.wait()


def _all_detached(tracees: list[Any]) -> bool:
    return all(t.tracer_pids() == {0} for t in tracees)


def _check_prior_states(flood: Any, sleeper: Any, stopped: Any, frozen: tuple[int, ...]) -> None:
    """Running runs, sleeping sleeps (and wakes), stopped stays stopped."""
    assert flood.advances(), "the running target does not run after the detach"
    assert sleeper.advances(), "the sleeping target does not wake after the detach"
    assert sleeper.state()[0] in "SR", sleeper.state()
    assert stopped.state().startswith("T"), stopped.state()
    time.sleep(0.3)
    assert stopped.counters() == frozen, "the stopped target was resumed by the detach"
    os.kill(stopped.pid, signal.SIGCONT)
    assert stopped.advances()
    assert [t.finish() for t in (flood, sleeper, stopped)] == [61, 61, 61]


def _three_targets(targets: Any) -> tuple[Any, Any, Any, tuple[int, ...]]:  # noqa: F811
    flood, sleeper, stopped = targets("calls"), targets("sleep"), targets("sleep")
    os.kill(stopped.pid, signal.SIGSTOP)
    wait_until(lambda: stopped.state().startswith("T"), what="SIGSTOP to take effect")
    return flood, sleeper, stopped, stopped.counters()


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_sigint_detaches_while_the_output_pipe_is_full(targets: Any, tmp_path: Path, stream: str) -> None:  # noqa: F811
    """`atrace -o - -p PID | (never reads)`, and `atrace -p PID 2>&1 | (never
    reads)` (strace text on stderr): once the pipe and the outbox are full,
    the traced process is held in its stops (backpressure, nothing is
    dropped). SIGINT must still let every tracee go at once, and atrace must
    end, counting what it could not write."""
    flood, sleeper, stopped, frozen = _three_targets(targets)
    read_end, write_end = os.pipe()
    err = tmp_path / "stderr"
    pids = [a for t in (flood, sleeper, stopped) for a in ("-p", t.pid)]
    with open(err, "wb") as err_file:
        if stream == "stdout":
            proc = _start(atrace_argv("-o", "-", *pids), stdout=write_end, stderr=err_file, stdin=subprocess.DEVNULL)
        else:
            proc = _start(atrace_argv(*pids), stdout=subprocess.DEVNULL, stderr=write_end, stdin=subprocess.DEVNULL)
    os.close(write_end)
    try:
        wait_traced_by([flood, sleeper, stopped], proc.pid)
        # The situation under test: the running target is held by the full pipe.
        wait_until(lambda: not flood.advances(within=1.0), timeout=180, what="the full pipe to hold the target")
        start = time.monotonic()
        os.kill(proc.pid, signal.SIGINT)
        wait_until(lambda: _all_detached([flood, sleeper, stopped]), timeout=30, what="the detach")
        print(f"{stream}: detached {time.monotonic() - start:.2f} s after SIGINT, the pipe still full")
        if stream == "stderr":
            # atrace's own last words go to the blocked pipe too: only once
            # its reader goes away can atrace end (as strace).
            os.close(read_end)
            read_end = -1
        assert proc.wait(timeout=30) == 1
        print(f"{stream}: atrace exited {time.monotonic() - start:.2f} s after SIGINT")
    finally:
        _stop(proc)
        if read_end >= 0:
            os.close(read_end)
    stderr = err.read_text()
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    if stream == "stdout":
        lost = re.search(r"^atrace: (\d+) events lost \(<stdout>: its reader stopped reading", stderr, re.M)
        assert lost and int(lost.group(1)) > 0, stderr
    _check_prior_states(flood, sleeper, stopped, frozen)


def _wait_for_path(path: Path, proc: subprocess.Popen[bytes]) -> None:
    wait_until(lambda: path.exists() or proc.poll() is not None, timeout=DEFAULT_TIMEOUT, what=f"{path}")
    assert proc.poll() is None, f"the tracer ended early ({proc.returncode})"


def _stalled_reader(path: Path) -> socket.socket:
    """A reader that connects and never reads (with a small receive buffer)."""
    reader = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)

    def connected() -> bool:
        try:
            reader.connect(str(path))
        except ConnectionRefusedError:  # bound, not listening yet: the path exists from bind() on
            return False
        return True

    wait_until(connected, what="the tracer to listen")
    wait_until(lambda: unix_socket_clients(path) >= 1, what="the tracer to accept the reader")
    return reader


def _read_all(reader: socket.socket) -> list[list[Any]]:
    reader.settimeout(DEFAULT_TIMEOUT)
    unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, max_buffer_size=0)
    while chunk := reader.recv(1 << 20):
        unpacker.feed(chunk)
    return list(unpacker)


def test_sigint_detaches_while_a_live_reader_is_stalled(targets: Any, tmp_path: Path) -> None:  # noqa: F811
    """A --listen reader that stops reading holds nothing: the trace and the
    file go on (the file grows far past what any buffer could hold), SIGINT
    detaches, atrace ends and its file is complete."""
    flood, sleeper, stopped, frozen = _three_targets(targets)
    sock_path, trace = tmp_path / "live.sock", tmp_path / "t.atrace"
    pids = [a for t in (flood, sleeper, stopped) for a in ("-p", t.pid)]
    err = tmp_path / "stderr"
    with open(err, "wb") as err_file:
        proc = _start(atrace_argv("-o", trace, "--listen", f"unix:{sock_path}", *pids), stderr=err_file)
    reader = None
    try:
        _wait_for_path(sock_path, proc)
        wait_traced_by([flood, sleeper, stopped], proc.pid)
        reader = _stalled_reader(sock_path)
        # Far more than the socket buffers, the reader's own buffer in atrace
        # and the outbox hold: the stalled reader held up nothing.
        wait_until(lambda: trace.stat().st_size > 24 << 20, timeout=300, what="the trace file to grow")
        assert flood.advances(), "the running target is held"
        os.kill(proc.pid, signal.SIGINT)
        wait_until(lambda: _all_detached([flood, sleeper, stopped]), timeout=30, what="the detach")
        assert proc.wait(timeout=30) == -signal.SIGINT, err.read_text()
        received = _read_all(reader)
    finally:
        _stop(proc)
        if reader is not None:
            reader.close()
    assert "Traceback" not in err.read_text(), err.read_text()
    events = read_events(trace)
    assert isinstance(events[-1], atrace.Trailer) and events[-1].summary["lost"] == 0
    assert {e.tid for e in events if isinstance(e, atrace.Detached)} == {flood.pid, sleeper.pid, stopped.pid}
    # The stalled reader got the start of the stream, then was dropped.
    assert received[0][0] == 0 and received[0][1]["magic"] == "atrace"
    assert received[-1][0] != TRAILER
    _check_prior_states(flood, sleeper, stopped, frozen)


DD = "dd if=/dev/zero of=/dev/null bs=64k count=200 2>/dev/null"


def _dd_calls(events: list[Any]) -> Counter[str]:
    """What the dd process did: its calls by name, and its 64 KiB copies."""
    dd = next(e.tgid for e in events if isinstance(e, atrace.Exec) and e.filename and "dd" in str(e.filename))
    calls = Counter(e.name for e in events if isinstance(e, atrace.SyscallEntry) and e.tgid == dd)
    exits = [e for e in events if isinstance(e, atrace.SyscallExit) and e.tgid == dd and e.ret == 65536]
    calls["(returned 65536)"] = len(exits)
    return calls


def test_a_stalled_live_reader_does_not_slow_a_launched_command(tmp_path: Path) -> None:
    """Launch mode: a reader that never reads while dd copies 13 MB through
    the trace (-s 65536 records each buffer). The command finishes, the
    file output holds every event: the same as a run without the listener,
    and the truth (200 reads and 200 writes of 64 KiB)."""
    fifo = tmp_path / "go"
    os.mkfifo(fifo)
    script = f"read x < {fifo}; {DD}"
    sock_path, trace, alone = tmp_path / "live.sock", tmp_path / "t.atrace", tmp_path / "alone.atrace"
    proc = _start(atrace_argv("-f", "-s", "65536", "-o", trace, "--listen", f"unix:{sock_path}", "sh", "-c", script),
                  stderr=subprocess.PIPE)  # fmt: skip
    reader = None
    try:
        _wait_for_path(sock_path, proc)
        reader = _stalled_reader(sock_path)
        fifo.write_text("go\n")
        _out, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        received = _read_all(reader)
    finally:
        _stop(proc)
        if reader is not None:
            reader.close()
    writer = threading.Thread(target=lambda: fifo.write_text("go\n"))
    writer.start()
    without = run(atrace_argv("-f", "-s", "65536", "-o", alone, "sh", "-c", script))
    writer.join()
    assert without.returncode == 0, without.stderr
    events = read_events(trace)
    assert isinstance(events[-1], atrace.Trailer) and events[-1].summary["lost"] == 0
    calls = _dd_calls(events)
    assert calls["(returned 65536)"] == 400 and calls["write"] >= 200 and calls["read"] >= 200, calls
    assert calls == _dd_calls(read_events(alone))
    assert received[0][0] == 0 and received[-1][0] != TRAILER  # dropped at the end, never waited for


def test_a_reader_that_falls_behind_gets_a_counted_gap(tmp_path: Path) -> None:
    """A reader that stops reading for a while, then reads again, gets a
    `lost` record where it missed events; what it received plus what its
    lost records count is exactly what the file holds from its first event
    on, and its trailer counts the same total."""
    go1, go2 = tmp_path / "go1", tmp_path / "go2"
    os.mkfifo(go1)
    os.mkfifo(go2)
    script = f"read x < {go1}; {DD}; read x < {go2}; cat /etc/hostname > /dev/null"
    sock_path, trace = tmp_path / "live.sock", tmp_path / "t.atrace"
    proc = _start(atrace_argv("-f", "-s", "65536", "-o", trace, "--listen", f"unix:{sock_path}", "sh", "-c", script),
                  stderr=subprocess.PIPE)  # fmt: skip
    reader = None
    try:
        _wait_for_path(sock_path, proc)
        reader = _stalled_reader(sock_path)
        go1.write_text("go\n")

        def dd_done() -> bool:
            done = list(atrace.read(trace))  # a prefix of the trace being written
            return sum(1 for e in done if isinstance(e, atrace.Exit)) >= 1

        wait_until(dd_done, timeout=120, what="dd to finish")
        got: list[list[Any]] = []
        receiving = threading.Thread(target=lambda: got.extend(_read_all(reader)))  # type: ignore[arg-type]
        receiving.start()
        go2.write_text("go\n")
        _out, stderr = proc.communicate(timeout=120)
        receiving.join(DEFAULT_TIMEOUT)
        assert proc.returncode == 0, stderr
    finally:
        _stop(proc)
        if reader is not None:
            reader.close()
    assert got[0][0] == 0 and got[-1][0] == TRAILER, "the reader did not get a complete stream"
    gaps = [r for r in got if r[0] == LOST]
    assert gaps and all(g[3] == "the reader fell behind" and g[2] > 0 for g in gaps), gaps
    missed = sum(g[2] for g in gaps)
    assert got[-1][2]["lost"] == missed
    with open(trace, "rb") as f:
        written = [r for r in msgpack.Unpacker(f, raw=False, strict_map_key=False) if r[0] not in (0, TRAILER)]
    shown = [r for r in got if r[0] not in (0, LOST, TRAILER)]
    first = written.index(shown[0])
    assert len(shown) + missed == len(written) - first
    assert len(shown) < len(written) - first


def test_ff_writes_every_task_under_a_low_fd_limit(program: Any, tmp_path: Path) -> None:
    """-ff on 2,000 short-lived children under `ulimit -n 256`: 2,001 complete
    files and the command's own exit status."""
    exe = program("fork_many")

    def low_fd_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    prefix = tmp_path / "t"
    proc = run(atrace_argv("-ff", "-o", prefix, exe, "2000"), preexec_fn=low_fd_limit, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert proc.stderr == b""
    files = sorted(tmp_path.glob("t.*"))
    assert len(files) == 2001
    for path in files:
        events = read_events(path)
        assert isinstance(events[-1], atrace.Trailer) and events[-1].summary["lost"] == 0, path
        assert sum(1 for e in events if isinstance(e, atrace.Exit)) == 1, path


def test_a_second_listener_cannot_take_a_live_socket(tmp_path: Path) -> None:
    """--listen on the path of a running tracer's socket is refused in one
    line, and the first tracer keeps serving; a socket left by a dead one
    is replaced."""
    sock_path, fifo = tmp_path / "live.sock", tmp_path / "go"
    os.mkfifo(fifo)
    first = _start(atrace_argv("-o", "/dev/null", "--listen", f"unix:{sock_path}", "sh", "-c", f"read x < {fifo}"),
                   stderr=subprocess.PIPE)  # fmt: skip
    try:
        _wait_for_path(sock_path, first)
        second = run(atrace_argv("-o", "/dev/null", "--listen", f"unix:{sock_path}", "true"))
        assert second.returncode == 1
        assert (
            second.stderr.decode() == f"atrace: cannot listen on unix:{sock_path}: another process is listening there\n"
        )
        reader = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        reader.connect(str(sock_path))
        fifo.write_text("go\n")
        records = _read_all(reader)
        reader.close()
        assert records[0][1]["tracer_pid"] == first.pid and records[-1][0] == TRAILER
        assert first.wait(DEFAULT_TIMEOUT) == 0
    finally:
        _stop(first)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(sock_path))  # bound, never listening: what a killed tracer leaves
    stale.close()
    again = run(atrace_argv("-o", "/dev/null", "--listen", f"unix:{sock_path}", "true"))
    assert again.returncode == 0, again.stderr


def _free_port(family: socket.AddressFamily, host: str) -> int:
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def test_listen_on_ipv6(tmp_path: Path) -> None:
    try:
        port = _free_port(socket.AF_INET6, "::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    fifo = tmp_path / "go"
    os.mkfifo(fifo)
    tracer = _start(atrace_argv("-o", "/dev/null", "--listen", f"tcp:[::1]:{port}", "sh", "-c", f"read x < {fifo}"),
                    stderr=subprocess.PIPE)  # fmt: skip
    tail = None
    try:
        wait_until(lambda: _tcp6_sockets(port, "0A") or tracer.poll() is not None, what="the tracer to listen")
        assert tracer.poll() is None, tracer.stderr.read() if tracer.stderr else b""
        tail = _start(atrace_argv("tail", f"tcp:[::1]:{port}"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # both ends of the connection, once the tracer has accepted it
        wait_until(lambda: _tcp6_sockets(port, "01") >= 2 or tail.poll() is not None, what="tail to connect")
        fifo.write_text("go\n")
        out, err = tail.communicate(timeout=DEFAULT_TIMEOUT)
        assert tail.returncode == 0, err
        assert "+++ exited with 0 +++" in out.decode()
        assert tracer.wait(DEFAULT_TIMEOUT) == 0
    finally:
        _stop(tracer)
        if tail is not None:
            _stop(tail)


def _tcp6_sockets(port: int, state: str) -> int:
    """IPv6 sockets in `state` (01 established, 0A listening) with `port` at
    either end (/proc/net/tcp6)."""
    with open("/proc/net/tcp6") as f:
        rows = [line.split() for line in f.readlines()[1:]]
    return sum(1 for row in rows if row[3] == state and any(end.endswith(f":{port:04X}") for end in row[1:3]))


def test_exec_of_a_file_that_is_not_a_program(tmp_path: Path) -> None:
    """As strace: the failed execve is shown with its error, and the run exits 1."""
    junk = tmp_path / "not-a-program"
    junk.write_bytes(b"\x01\x02\x03 not an executable format\n")
    junk.chmod(0o755)
    trace = tmp_path / "t.atrace"
    proc = run(atrace_argv("-o", trace, junk))
    assert proc.returncode == 1
    assert proc.stderr.decode() == "atrace: exec: Exec format error\n"  # strace's words
    events = read_events(trace)
    entries = [e for e in events if isinstance(e, atrace.SyscallEntry)]
    exits = [e for e in events if isinstance(e, atrace.SyscallExit)]
    assert [e.name for e in entries] == ["execve"] and [e.ret for e in exits] == [-8]  # ENOEXEC
    assert entries[0].data["filename"] == str(junk)
    assert [(e.code, e.signal) for e in events if isinstance(e, atrace.Exit)] == [(1, None)]
    text = run(atrace_argv(junk))
    lines = text.stderr.decode().splitlines()
    failed = [line for line in lines if line.startswith(f'execve("{junk}", [')]
    assert len(failed) == 1 and failed[0].endswith("= -1 ENOEXEC (Exec format error)"), lines
    assert lines[-1] == "+++ exited with 1 +++" and text.returncode == 1
    assert not any("exit_group" in line for line in lines), lines


@pytest.mark.parametrize(
    "option, address, message",
    [
        ("--listen", "tcp:::1:9000", "write an IPv6 host in brackets, tcp:[::1]:9000"),
        ("--listen", "tcp:localhost:http", "expected tcp:HOST:PORT"),
        ("--listen", "unix:", "expected unix:/PATH"),
        ("-o", "tcp:[::1]:99999", "expected tcp:HOST:PORT"),
        ("--listen", "/tmp/no-scheme.sock", "expected unix:/PATH or tcp:HOST:PORT"),
    ],
)
def test_bad_addresses_are_one_line_and_start_nothing(tmp_path: Path, option: str, address: str, message: str) -> None:
    marker = tmp_path / "ran"
    proc = run(atrace_argv(option, address, "sh", "-c", f"touch {marker}"))
    assert proc.returncode == 1
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("atrace: ") and message in lines[0], lines
    assert not marker.exists(), "the command ran although atrace could not start"
