"""atrace's own failure must not leave tracees stopped or killed.

Fault injection: the output stage is made to crash mid-trace (standing in
for any bug on the trio side). The tracer must then detach, the command
must run on untraced to its normal end, and atrace must say what happened in
one line.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import DEFAULT_TIMEOUT
from test_e2e_passthrough import run_patched

import atrace

CRASHING_OUTPUT = """
import sys
import atrace.outputs as outputs

calls = 0
original = outputs.StreamOutput.deliver

async def deliver(self, batch):
    global calls
    calls += 1
    if calls == 3:
        raise RuntimeError("injected output failure")
    await original(self, batch)

outputs.StreamOutput.deliver = deliver
from atrace.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("trace_set", [[], ["-e", "trace=%process"]], ids=["detached", "seccomp"])
def test_crash_in_the_output_stage_lets_the_command_finish(tmp_path: Path, trace_set: list[str]) -> None:
    """Without a set the tasks are detached; with one, seccomp-bpf is on and
    they are passed through (detached, the sleeps' execs would fail with
    ENOSYS): atrace then waits for the command's end."""
    done = tmp_path / "done"
    script = f"for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; done; echo ok > {done}; exit 5"
    proc = run_patched(CRASHING_OUTPUT, "-f", *trace_set, "-o", str(tmp_path / "t.atrace"), "sh", "-c", script)
    stderr = proc.stderr.decode()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    if trace_set:
        assert lines[0].startswith("atrace: stopped recording (atrace's output stage failed)"), stderr
        assert done.read_text() == "ok\n"  # before atrace's end
        lines = lines[1:]
    assert len(lines) == 1 and lines[0].startswith("atrace: internal error"), stderr
    assert "injected output failure" in lines[0]
    # The batch in flight and everything after it never reached the file:
    # the line counts them, and the trace says so in a lost record.
    lost = re.search(r"; (\d+) events lost", lines[0])
    assert lost is not None, stderr
    events = list(atrace.read(str(tmp_path / "t.atrace")))
    records = [e for e in events if isinstance(e, atrace.Lost)]
    assert len(records) == 1 and records[0].events == int(lost.group(1)) > 0
    assert records[0].reason == "atrace internal error"
    # The command was let go, not killed: it runs on to its end (maybe after
    # atrace has exited).
    deadline = time.monotonic() + DEFAULT_TIMEOUT
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert done.read_text() == "ok\n"


# A bug in a memory reader, which strikes the tracer thread while a task is
# held at its stop: tests/test_e2e_passthrough.py (detached without
# seccomp-bpf, passed through with it).
