"""End-to-end: the output modes (-o -, -ff, text on stderr, unix socket) and
reading a truncated trace."""

import io
import os
import re
import socket
import threading
from pathlib import Path

import msgpack
from conftest import atrace_argv, describe, read_events, read_header, run, syscalls

import atrace

FORMAT_MD = Path(__file__).resolve().parent.parent / "docs" / "FORMAT.md"


def documented_record_types() -> dict[str, tuple[int, list[str]]]:
    """name -> (type number, field names) from the record table of docs/FORMAT.md,
    the wire-format contract (so the tests follow the document)."""
    row = re.compile(r"^\|\s*(\d+)\s*\|\s*(\w+)\s*\|\s*`([^`]*)`")
    types = {}
    for line in FORMAT_MD.read_text().splitlines():
        m = row.match(line)
        if m:
            types[m.group(2)] = (int(m.group(1)), [f.strip() for f in m.group(3).split(",")])
    assert "header" in types and "trailer" in types, "record table not found in FORMAT.md"
    return types


FIELDS = documented_record_types()


def check_raw_stream(records: list, command: list[str]) -> None:
    """Checks a stream decoded by plain msgpack against docs/FORMAT.md."""
    assert records, "empty stream"
    assert all(isinstance(r, list) and r and isinstance(r[0], int) for r in records)
    assert records[0][0] == 0, "the header is not the first record"
    meta = records[0][1]
    assert meta["magic"] == "atrace"
    assert meta["format"] == 1
    assert meta["command"] == command
    assert meta["attach"] == []
    assert {"atrace_version", "arch", "start_ns", "tracer_pid", "fields", "types"} <= meta.keys()
    assert meta["arch"] == os.uname().machine
    for name, (number, fields) in FIELDS.items():
        assert meta["types"][name] == number, name
        if name != "header":
            # later versions may append fields, never change the documented ones
            assert meta["fields"][name][: len(fields)] == fields, name
    assert records[-1][0] == 15, "no trailer at the end"
    summary = records[-1][2]
    assert summary["events"] == len(records) - 2
    assert summary["lost"] == 0
    for r in records[1:]:  # every known record has at least its known fields
        for number, fields in FIELDS.values():
            if r[0] == number:
                assert len(r) >= 1 + len(fields), r


CLASSES = {
    "header": "Header",
    "syscall_entry": "SyscallEntry",
    "syscall_exit": "SyscallExit",
    "spawn": "Spawn",
    "exec": "Exec",
    "exit": "Exit",
    "signal": "Signal",
    "stopped": "Stopped",
    "attached": "Attached",
    "detached": "Detached",
    "lost": "Lost",
    "trailer": "Trailer",
}


def test_reader_classes_have_the_documented_fields():
    """Each event class exported by atrace has exactly FORMAT.md's fields,
    after a leading ``type``."""
    assert CLASSES.keys() == FIELDS.keys()
    for name, (_, fields) in FIELDS.items():
        cls = getattr(atrace, CLASSES[name])
        assert cls._fields == ("type", *fields), name


def test_output_dash_writes_msgpack_to_stdout_and_command_stdout_to_stderr():
    """``-o -``: the trace on stdout, readable with msgpack alone; the command's
    stdout is moved to atrace's stderr so the two do not mix."""
    cmd = ["/bin/echo", "hello-from-tracee"]
    proc = run(atrace_argv("-f", "-o", "-", "--", *cmd))
    assert proc.returncode == 0, describe(proc)
    assert proc.stderr.count(b"hello-from-tracee\n") == 1
    # stdout is nothing but msgpack records (the text "hello..." may only
    # appear inside the write() record's data buffer)
    unpacker = msgpack.Unpacker(io.BytesIO(proc.stdout), raw=False)
    records = list(unpacker)
    assert unpacker.tell() == len(proc.stdout)
    check_raw_stream(records, cmd)
    execs = [r for r in records if r[0] == 4]
    assert [r[5] for r in execs] == ["/bin/echo"]
    assert execs[0][6] == cmd
    exits = [r for r in records if r[0] == 5]
    assert [(r[4], r[5], r[6]) for r in exits] == [(0, None, False)]


def test_output_file_header_and_trailer(trace, tmp_path):
    """``-o FILE``: header first (magic, command), trailer last with the exit
    code and the number of events; read through atrace.read."""
    proc, events = trace(["/bin/sh", "-c", "exit 9"])
    assert proc.returncode == 9
    header = read_header(tmp_path / "trace0.msgpack")
    assert header.meta["magic"] == "atrace"
    assert header.meta["command"] == ["/bin/sh", "-c", "exit 9"]
    assert isinstance(events[-1], atrace.Trailer)
    assert events[-1].summary["exit_code"] == 9
    assert events[-1].summary["signal"] is None
    assert events[-1].summary["events"] == len(events) - 1  # header and trailer excluded


def test_reader_yields_header_first(trace, tmp_path):
    """atrace.read yields the Header as its first event (the reader API
    contract: Header is one of the typed events read() yields), then the
    same records plain msgpack sees, as typed NamedTuples."""
    proc, _ = trace(["/bin/true"])
    assert proc.returncode == 0
    path = tmp_path / "trace0.msgpack"
    events = list(atrace.read(str(path)))
    with open(path, "rb") as f:
        records = list(msgpack.Unpacker(f, raw=False))
    assert isinstance(events[0], atrace.Header)
    assert events[0].meta == records[0][1]
    assert len(events) == len(records)
    for event, record in zip(events, records, strict=True):
        assert event.type == record[0]
        assert list(event[1:]) == record[1 : len(event)]


def test_ff_writes_one_complete_file_per_task(program, tmp_path):
    """``-ff -o PREFIX``: one file PREFIX.TID per task (here 9 threads), each
    a complete trace holding only that task's records."""
    prefix = tmp_path / "per-task"
    proc = run(atrace_argv("-ff", "-o", prefix, "--", program("threads_getppid")), cwd=tmp_path)
    assert proc.returncode == 0, describe(proc)
    worker_tids = {int(t) for t in re.findall(rb"^tid (\d+)$", proc.stdout, re.M)}
    files = sorted(p for p in tmp_path.iterdir() if p.name.startswith("per-task"))
    assert not (tmp_path / "per-task").exists(), "a plain PREFIX file was written too"
    suffixes = {int(p.name.split(".", 1)[1]) for p in files}
    assert len(files) == 9
    assert worker_tids < suffixes
    [leader] = suffixes - worker_tids

    for path in files:
        tid = int(path.name.split(".", 1)[1])
        header = read_header(path)
        assert header.meta["command"] == [str(program("threads_getppid"))], path
        events = read_events(path)
        assert isinstance(events[-1], atrace.Trailer), path
        foreign = [e for e in events if getattr(e, "tid", tid) != tid]
        assert not foreign, (path, foreign[:3])
        entries, exits = syscalls(events, "getppid")
        expected = 0 if tid == leader else 500
        assert (len(entries), len(exits)) == (expected, expected), path


def test_text_mode_on_stderr_strace_style(program):
    """No -o: strace-format text on stderr, with [pid N] prefixes for the
    child, unfinished/resumed pairs, a signal line and exit lines."""
    proc = run(atrace_argv("-f", "--", program("fork_text")))
    assert proc.returncode == 0, describe(proc)
    m = re.match(rb"child (\d+) of (\d+)\n$", proc.stdout)
    assert m, describe(proc)
    child, root = map(int, m.groups())
    text = proc.stderr.decode(errors="replace")
    lines = text.splitlines()
    # strace pads the pid ("[pid  123] "); the first task's lines may carry
    # the prefix too while other tasks are alive (strace does so)
    child_tag = rf"\[pid +{child}\] "
    root_prefix = rf"(?:\[pid +{root}\] )?"

    assert "+++ exited with 0 +++" in lines, text
    assert re.search(rf"^{child_tag}\+\+\+ exited with 0 \+\+\+$", text, re.M), text
    assert re.search(rf"^{child_tag}getppid\(\)\s+= {root}$", text, re.M), text
    assert lines[0].startswith("execve("), "the first line (the first task's) has a [pid] prefix"
    assert re.search(rf"^{root_prefix}wait4\({child},.*<unfinished \.\.\.>$", text, re.M), text
    assert re.search(rf"^{root_prefix}<\.\.\. wait4 resumed>.*= {child}$", text, re.M), text
    assert re.search(
        rf"^{root_prefix}--- SIGUSR1 \{{si_signo=SIGUSR1, si_code=SI_USER, "
        rf"si_pid={root}, si_uid={os.getuid()}\}} ---$",
        text,
        re.M,
    ), text
    # the child's lines are prefixed: only the child sleeps and calls getppid
    assert len([ln for ln in lines if re.match(child_tag, ln)]) >= 4
    assert not [ln for ln in lines if ln.startswith(("getppid(", "clock_nanosleep("))]


def test_text_mode_killed_by_sigkill_line(program):
    """No -o: a SIGKILLed command ends with ``+++ killed by SIGKILL +++``."""
    proc = run(atrace_argv("-f", "--", program("killed_in_read")))
    assert b"reader" in proc.stdout, describe(proc)
    lines = proc.stderr.decode(errors="replace").splitlines()
    assert "+++ killed by SIGKILL +++" in lines, lines[-10:]
    # (atrace's own exit status is checked in test_e2e_signals.py)


def test_output_to_unix_socket(tmp_path):
    """``-o unix:/path``: the stream is sent to a listening unix socket; the
    test reads it with a plain socket and msgpack."""
    path = str(tmp_path / "sink.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    server.settimeout(30)
    chunks = []

    def receive():
        conn, _ = server.accept()
        conn.settimeout(60)
        with conn:
            while data := conn.recv(65536):
                chunks.append(data)

    reader = threading.Thread(target=receive, daemon=True)
    reader.start()
    cmd = ["/bin/sh", "-c", "echo via-socket; exit 4"]
    proc = run(atrace_argv("-f", "-o", f"unix:{path}", "--", *cmd))
    reader.join(timeout=60)
    server.close()
    assert not reader.is_alive(), "the socket stream did not end"
    assert proc.returncode == 4, describe(proc)
    assert proc.stdout == b"via-socket\n"
    records = list(msgpack.Unpacker(io.BytesIO(b"".join(chunks)), raw=False))
    check_raw_stream(records, cmd)
    assert records[-1][2]["exit_code"] == 4


def test_truncated_trace_is_readable_up_to_the_cut(trace, tmp_path):
    """A trace cut in the middle of a record (writer killed) reads back, with
    atrace.read, as every record before the cut and nothing else."""
    proc, events = trace(["/bin/sh", "-c", "echo a; echo b"])
    assert proc.returncode == 0
    full = next(tmp_path.glob("trace*.msgpack")).read_bytes()
    # record boundaries, found with plain msgpack
    unpacker = msgpack.Unpacker(io.BytesIO(full), raw=False)
    ends = []
    for _ in unpacker:
        ends.append(unpacker.tell())
    assert ends[-1] == len(full)
    assert len(ends) == 1 + len(events)  # the header, then the events
    k = len(ends) // 2
    start, end = ends[k - 1], ends[k]  # record number k spans [start, end)
    assert end - start > 2
    for cut in (start + 1, (start + end) // 2, end - 1):
        cut_file = tmp_path / f"cut-{cut}.msgpack"
        cut_file.write_bytes(full[:cut])
        # records 1..k-1 (record 0 is the header) are complete
        assert read_events(cut_file) == events[: k - 1]
        with open(cut_file, "rb") as f:  # a binary file object works too
            assert [e for e in atrace.read(f) if not isinstance(e, atrace.Header)] == events[: k - 1]
