"""Shared fixtures and helpers for atrace's end-to-end tests.

The end-to-end tests run the real tracer (``python -m atrace``) on small C
programs from ``tests/programs`` and check both what the program observed
(its output and exit code) and what the tracer recorded (the events read back
with ``atrace.read``).

* ``program(name)`` compiles ``tests/programs/NAME.c`` once per session with
  ``gcc -O1 -Wall -pthread`` and returns the path of the executable.
* ``trace(cmd, ...)`` runs ``atrace -f -o TRACE -- cmd`` and returns
  ``(completed_process, events)``; ``trace_set(cmd, calls)`` runs it with
  every call stopping and again under seccomp-bpf with ``-e trace=CALLS``.
* ``run(argv, ...)`` runs any command with a timeout; a hang kills the whole
  process group and fails the test instead of hanging the run.

Helpers used by several test modules (``of_type``, ``root_pid`` ...) are
plain functions here; test modules import them with ``from conftest import``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import msgpack
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PROGRAMS_DIR = Path(__file__).resolve().parent / "programs"

# Every subprocess gets a timeout so that a hung tracer fails the test
# instead of hanging CI.
DEFAULT_TIMEOUT = 60.0

SIGNALS_BY_NUMBER = {s.value: s.name for s in signal.Signals}

# Tests end traced commands with SIGINT and SIGQUIT. A test run started
# with them ignored (a background job of a shell without job control) would
# hand that on to every command (ignored signals survive exec), and those
# tests would then wait for a command that cannot die by them.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if signal.getsignal(signal.SIGQUIT) is signal.SIG_IGN:
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


# --------------------------------------------------------------------------
# Running things
# --------------------------------------------------------------------------


def atrace_argv(*args: str) -> list[str]:
    """argv that runs the tracer from this work tree: ``python -m atrace ARGS``."""
    return [sys.executable, "-m", "atrace", *map(str, args)]


def atrace_env() -> dict[str, str]:
    """Environment for the tracer: this work tree first on PYTHONPATH."""
    env = dict(os.environ)
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + old if old else "")
    return env


def run(
    argv,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    input: bytes | None = None,
    cwd=None,
    env=None,
    preexec_fn=None,
    stdin=None,
) -> subprocess.CompletedProcess:
    """Run ``argv`` to completion, capturing stdout and stderr (bytes).

    The command runs in a new session (its own process group); if it is
    still running after ``timeout`` seconds the whole group is SIGKILLed and
    the test fails with the tail of its stderr.
    """
    if input is not None:
        stdin = subprocess.PIPE
    elif stdin is None:
        stdin = subprocess.DEVNULL
    proc = subprocess.Popen(
        [str(a) for a in argv],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env if env is not None else atrace_env(),
        preexec_fn=preexec_fn,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)
        out, err = proc.communicate()
        pytest.fail(
            f"timed out after {timeout} s: {' '.join(map(str, argv))}\n"
            f"stderr tail:\n{err[-3000:].decode(errors='replace')}"
        )
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def kill_group(pgid: int) -> None:
    """SIGKILL a process group, ignoring an already empty group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def read_events(path) -> list:
    """The events of a trace file, read with ``atrace.read``, header left out.

    Whether the reader yields the Header first or only exposes it as an
    attribute is checked by one dedicated test
    (test_e2e_outputs.py::test_reader_yields_header_first); the other tests
    get the events without it, and the header from ``read_header``.
    """
    import atrace  # imported late so a missing package fails tests, not collection

    path = Path(path)
    if not path.exists():
        pytest.fail(f"atrace wrote no trace file at {path}")
    return [e for e in atrace.read(str(path)) if not isinstance(e, atrace.Header)]


def read_header(path):
    """The Header of a trace file: the first event yielded, or ``.header``."""
    import atrace

    reader = atrace.read(str(path))
    header = getattr(reader, "header", None)
    if not isinstance(header, atrace.Header):
        header = next(iter(reader), None)
    assert isinstance(header, atrace.Header), f"no header in {path}"
    return header


def describe(proc: subprocess.CompletedProcess) -> str:
    """A short description of a finished process, for assertion messages."""
    rc = proc.returncode
    how = f"killed by {SIGNALS_BY_NUMBER.get(-rc, -rc)}" if rc < 0 else f"exit {rc}"
    return (
        f"{how}\n--- stdout ---\n{proc.stdout[-2000:].decode(errors='replace')}"
        f"\n--- stderr ---\n{proc.stderr[-4000:].decode(errors='replace')}"
    )


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in proc.stderr, describe(proc)


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def gcc() -> str:
    path = shutil.which("gcc")
    if path is None:
        pytest.fail(
            "gcc is required to build the test programs in tests/programs (install it, e.g. apt-get install gcc)",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def program(gcc, tmp_path_factory):
    """``program(name)`` -> Path of tests/programs/NAME.c compiled (once per session)."""
    build_dir = tmp_path_factory.mktemp("programs")
    built: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in built:
            src = PROGRAMS_DIR / f"{name}.c"
            assert src.exists(), f"no such test program: {src}"
            exe = build_dir / name
            res = subprocess.run(
                [gcc, "-O1", "-Wall", "-pthread", "-o", str(exe), str(src)],
                capture_output=True,
                timeout=120,
            )
            if res.returncode != 0:
                pytest.fail(
                    f"compiling {src.name} failed:\n{res.stderr.decode(errors='replace')}",
                    pytrace=False,
                )
            built[name] = exe
        return built[name]

    return build


@pytest.fixture
def trace(tmp_path):
    """``trace(cmd, *, options=(), timeout=60, input=None, cwd=None, preexec_fn=None)``

    Runs ``atrace -f [options] -o TRACE -- cmd...`` and returns
    ``(completed_process, events)``; the events are read with ``atrace.read``
    (header left out: see ``read_events``).
    Each call writes a new trace file in the test's tmp_path.
    """
    counter = iter(range(1_000_000))

    def do_trace(cmd, *, options=(), timeout=DEFAULT_TIMEOUT, input=None, cwd=None, preexec_fn=None):
        trace_file = tmp_path / f"trace{next(counter)}.msgpack"
        argv = atrace_argv("-f", *options, "-o", trace_file, "--", *cmd)
        proc = run(argv, timeout=timeout, input=input, cwd=cwd or tmp_path, preexec_fn=preexec_fn)
        assert_no_traceback(proc)
        return proc, read_events(trace_file)

    return do_trace


@pytest.fixture(params=["every-call", "seccomp"])
def trace_set(request, trace, tmp_path):
    """``trace_set(cmd, calls, **kw)``: ``trace`` run once per mode.

    "every-call": as ``trace`` (no set: every call stops and is recorded;
    ``calls`` is ignored). "seccomp": with ``--seccomp-bpf -e trace=CALLS``,
    so only those calls (and execve) stop; the header must say the filter
    was used and atrace must not have fallen back. A corner-case test
    parametrized this way checks the lifecycle (forks, execs, signals,
    exits) that no syscall stop follows any more under seccomp.
    """

    def do_trace(cmd, calls, *, options=(), **kwargs):
        if request.param == "every-call":
            return trace(cmd, options=options, **kwargs)
        proc, events = trace(cmd, options=("--seccomp-bpf", "-e", f"trace={calls}", *options), **kwargs)
        assert b"seccomp-bpf not used" not in proc.stderr, describe(proc)
        latest = max(tmp_path.glob("trace*.msgpack"), key=os.path.getmtime)
        assert read_header(latest).meta["options"]["seccomp"] is True
        return proc, events

    return do_trace


# --------------------------------------------------------------------------
# Event helpers
# --------------------------------------------------------------------------


def of_type(events, cls, **fields) -> list:
    """Events that are instances of ``cls`` and whose fields equal ``fields``."""
    return [e for e in events if isinstance(e, cls) and all(getattr(e, k) == v for k, v in fields.items())]


def root_pid(events) -> int:
    """tid of the launched command: the task of the first event that has a tid."""
    for e in events:
        if hasattr(e, "tid"):
            return e.tid
    raise AssertionError("the trace has no task event at all")


def syscalls(events, name, **fields) -> tuple[list, list]:
    """(entries, exits) of syscall ``name``; exits matched to entries by tid order.

    A SyscallExit carries ``nr`` but no name: an exit belongs to the call most
    recently entered by the same tid, so exits are paired per tid.
    """
    import atrace

    entries, exits = [], []
    pending: dict[int, object] = {}
    for e in events:
        if isinstance(e, atrace.SyscallEntry):
            pending[e.tid] = e
            if e.name == name and all(getattr(e, k) == v for k, v in fields.items()):
                entries.append(e)
        elif isinstance(e, atrace.SyscallExit):
            entry = pending.pop(e.tid, None)
            if entry is not None and entry.name == name and all(getattr(entry, k) == v for k, v in fields.items()):
                exits.append(e)
    return entries, exits


def exits_by_tid(events) -> dict[int, list]:
    """tid -> list of its Exit events (normally exactly one)."""
    import atrace

    out: dict[int, list] = {}
    for e in events:
        if isinstance(e, atrace.Exit):
            out.setdefault(e.tid, []).append(e)
    return out


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.02, what: str = ""):
    """Poll ``predicate`` until it returns a true value; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(interval)


def unix_socket_clients(path) -> int:
    """How many connections a listening unix socket at ``path`` has accepted
    and still holds open: the kernel lists each accepted socket under the
    listener's path in /proc/net/unix, next to the listener itself."""
    name = str(path)
    with open("/proc/net/unix") as table:
        return max(0, sum(1 for line in table if line.rstrip("\n").endswith(" " + name)) - 1)


def proc_status(pid: int, tid: int | None = None) -> dict[str, str]:
    """/proc/PID/status (or /proc/PID/task/TID/status) as a dict; {} if gone."""
    path = f"/proc/{pid}/status" if tid is None else f"/proc/{pid}/task/{tid}/status"
    try:
        with open(path) as f:
            text = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return {}
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


def task_ids(pid: int) -> list[int]:
    """Thread ids of process ``pid`` (from /proc/PID/task)."""
    return sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))


def _record_ends(data: bytes) -> list[int]:
    """Offsets just after each msgpack record of a trace."""
    unpacker = msgpack.Unpacker(raw=False, strict_map_key=False)
    unpacker.feed(data)
    ends = []
    for _record in unpacker:
        ends.append(unpacker.tell())
    return ends


def cut_between_records(data: bytes) -> int:
    """A length that cuts a trace exactly between two records, mid-way."""
    ends = _record_ends(data)
    return ends[len(ends) // 2]


def cut_inside_a_record(data: bytes) -> int:
    """A length that cuts a trace one byte into a record, mid-way."""
    ends = _record_ends(data)
    start, end = ends[len(ends) // 2], ends[len(ends) // 2 + 1]
    assert end - start > 1
    return start + 1
