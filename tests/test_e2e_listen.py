"""--listen: live readers connect to a running tracer, several at once.

The traced shell announces each step on a FIFO and waits for the test's go
before the next one, so the test knows the tracer is still running while the
readers receive events: nothing here depends on timing luck.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import msgpack
from conftest import DEFAULT_TIMEOUT, atrace_argv, atrace_env, unix_socket_clients, wait_until


def _wait_for_socket(path: Path, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + DEFAULT_TIMEOUT
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else b""
        assert time.monotonic() < deadline, "tracer never started listening"
        time.sleep(0.02)


def _records_until(sock: socket.socket, wanted: callable, timeout: float = DEFAULT_TIMEOUT) -> list[list]:  # type: ignore[valid-type]
    """Read msgpack records from a live socket until `wanted(records)`."""
    unpacker = msgpack.Unpacker(raw=False)
    records: list[list] = []
    sock.settimeout(timeout)
    while not wanted(records):
        chunk = sock.recv(65536)
        if not chunk:
            break
        unpacker.feed(chunk)
        records.extend(unpacker)
    return records


def _opened(records: list[list], path: str) -> bool:
    return any(r[0] == 1 and r[6] == "openat" and (r[8] or {}).get("filename") == path for r in records)


def test_two_live_readers_see_events_while_the_tracer_runs(tmp_path: Path) -> None:
    """Two readers connect to one tracer; both get the header, then events of
    a step that happens after they connected, while the command still runs;
    the tracer's own output file is complete as well."""
    sock_path = tmp_path / "live.sock"
    fifo = tmp_path / "go"
    os.mkfifo(fifo)
    marker = tmp_path / "after-connect"
    script = f"read x < {fifo}; cat {marker} 2>/dev/null; read x < {fifo}; exit 4"
    trace_file = tmp_path / "t.atrace"
    proc = subprocess.Popen(
        atrace_argv("-f", "-o", trace_file, "--listen", f"unix:{sock_path}", "--", "sh", "-c", script),
        env=atrace_env(),
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_socket(sock_path, proc)
        readers = [socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(2)]
        for reader in readers:
            reader.connect(str(sock_path))
        heads = [_records_until(r, lambda recs: len(recs) >= 1) for r in readers]
        for head in heads:
            assert head[0][0] == 0 and head[0][1]["magic"] == "atrace"
        with open(fifo, "w") as go:  # step 1: the shell opens the marker
            go.write("1\n")
        seen = [_records_until(r, lambda recs: _opened(recs, str(marker))) for r in readers]
        for records in seen:
            assert _opened(records, str(marker)), "a live reader missed an event"
        assert proc.poll() is None, "the tracer ended before the readers saw the event"
        with open(fifo, "w") as go:  # step 2: the shell exits 4
            go.write("2\n")
        assert proc.wait(DEFAULT_TIMEOUT) == 4, proc.stderr.read() if proc.stderr else b""
        tails = [_records_until(r, lambda recs: bool(recs) and recs[-1][0] == 15) for r in readers]
        for records in tails:
            assert records[-1][0] == 15, "the live stream did not end with the trailer"
            assert records[-1][2]["exit_code"] == 4
        for reader in readers:
            reader.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not sock_path.exists(), "the listening socket was not removed"
    with open(trace_file, "rb") as f:
        records = list(msgpack.Unpacker(f, raw=False))
    assert _opened(records, str(marker)) and records[-1][0] == 15


def test_tail_connects_to_a_listening_tracer(tmp_path: Path) -> None:
    """`atrace tail unix:PATH` prints the live events as strace text and ends
    when the tracer finishes."""
    sock_path = tmp_path / "live.sock"
    fifo = tmp_path / "go"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        atrace_argv(
            "-o",
            "/dev/null",
            "--listen",
            f"unix:{sock_path}",
            "--",
            "sh",
            "-c",
            f"read x < {fifo}; exec cat /nonexistent-tail-marker",
        ),
        env=atrace_env(),
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_socket(sock_path, proc)
        tail = subprocess.Popen(
            atrace_argv("tail", f"unix:{sock_path}"), env=atrace_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        # The tail must be connected before the step below, or it misses it.
        wait_until(lambda: unix_socket_clients(sock_path) >= 1, what="the tail to connect")
        with open(fifo, "w") as go:
            go.write("go\n")
        out, err = tail.communicate(timeout=DEFAULT_TIMEOUT)
        assert proc.wait(DEFAULT_TIMEOUT) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = out.decode()
    assert tail.returncode == 0, err
    opened = [line for line in text.splitlines() if line.startswith('openat(AT_FDCWD, "/nonexistent-tail-marker"')]
    assert opened, text
    assert opened[0].endswith("= -1 ENOENT (No such file or directory)"), opened
    assert text.rstrip().endswith("+++ exited with 1 +++")
